import { SchedulerRegistry } from '@nestjs/schedule';
import { Counter, Histogram } from 'prom-client';
import type { EnvInput } from '../config/env-vars.js';
import { loadConfig } from '../config/load-config.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { DroppedLabel } from '../metrics/metric-names.js';
import { ScheduledJobs } from '../scheduling/scheduled-jobs.service.js';
import { MAX_ATTEMPTS } from './forwarding-policy.js';
import type { MetricsEntry, PartKind } from './sdk-metrics-batch.js';
import { type FlushCheckpoint, SdkMetricsForwarder } from './sdk-metrics-forwarder.service.js';
import type { PartSender } from './sdk-metrics-sender.service.js';

interface Post {
  kind: PartKind;
  env: string;
  entries: unknown[];
}

/** Records every POST; answers with the queued outcomes, then success. */
class FakeSender implements PartSender {
  readonly posts: Post[] = [];
  readonly outcomes: unknown[] = [];
  started = 0;
  gate: Promise<void> = Promise.resolve();

  async send(kind: PartKind, env: string, entries: unknown[]): Promise<unknown> {
    this.started += 1;
    await this.gate;
    this.posts.push({ kind, env, entries });
    return this.outcomes.shift();
  }
}

const entry = (flag: string, count: number): MetricsEntry => ({
  timestamp: 1,
  count,
  metricsType: 'FFMETRICS',
  attributes: [{ key: 'featureIdentifier', value: flag }],
});

const unavailable = () => new UpstreamError('/metrics/env', 503, 'status 503');

/** A reader's position: `read` moves it (as each message is accepted), `commits` are stored. */
class FakeCheckpoint implements FlushCheckpoint {
  read = 0;
  readonly commits: string[] = [];

  mark(): string {
    return String(this.read);
  }

  commit(mark: string): Promise<void> {
    this.commits.push(mark);
    return Promise.resolve();
  }
}

describe(SdkMetricsForwarder.name, () => {
  let sender: FakeSender;
  let scheduler: SchedulerRegistry;
  let dropped: Counter<DroppedLabel>;

  function forwarder(env: EnvInput = {}): SdkMetricsForwarder {
    const config = loadConfig({ PROXY_KEY: 'proxy-key', ...env });
    const histogram = new Histogram({
      name: 'jobs',
      help: 'jobs',
      labelNames: ['job'],
      registers: [],
    });
    const jobs = new ScheduledJobs(scheduler, histogram);
    return new SdkMetricsForwarder(config, sender, jobs, dropped);
  }

  const droppedTotal = async () =>
    (await dropped.get()).values.reduce((sum, value) => sum + value.value, 0);

  beforeEach(() => {
    sender = new FakeSender();
    scheduler = new SchedulerRegistry();
    dropped = new Counter({
      name: 'dropped',
      help: 'dropped',
      labelNames: ['envID', 'kind', 'reason'],
      registers: [],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
    scheduler.getIntervals().forEach((name) => scheduler.deleteInterval(name));
    scheduler.getTimeouts().forEach((name) => scheduler.deleteTimeout(name));
  });

  // Offline and on replicas there is no forwarder at all (SdkMetricsModule wires none).
  it.each<[string, EnvInput]>([['METRIC_POST_DURATION=0', { METRIC_POST_DURATION: '0' }]])(
    'is disabled with %s',
    (_case, env) => {
      const disabled = forwarder(env);
      disabled.onModuleInit();
      expect(disabled.enabled).toBe(false);
      expect(scheduler.getTimeouts()).toEqual([]);
    },
  );

  it('posts metricsData and targetData separately, once per environment', async () => {
    const f = forwarder();
    f.accept('a', { metricsData: [entry('x', 1)], targetData: [{ identifier: 't' }] });
    f.accept('a', { metricsData: [entry('x', 2)] });
    f.accept('b', { metricsData: [entry('x', 5)] });
    await f.flush();
    expect(sender.posts).toEqual([
      { kind: 'metricsData', env: 'a', entries: [entry('x', 3)] },
      { kind: 'metricsData', env: 'b', entries: [entry('x', 5)] },
      { kind: 'targetData', env: 'a', entries: [{ identifier: 't' }] },
    ]);
    await f.flush();
    expect(sender.posts).toHaveLength(3);
  });

  it('keeps a failed part and delivers it, merged with newer data, at the next flush', async () => {
    const f = forwarder();
    f.accept('a', { metricsData: [entry('x', 1)] });
    sender.outcomes.push(unavailable());
    await f.flush();
    expect(f.bufferedBytes).toBeGreaterThan(0);
    f.accept('a', { metricsData: [entry('x', 2)] });
    await f.flush();
    expect(sender.posts.map((p) => p.entries)).toEqual([[entry('x', 1)], [entry('x', 3)]]);
    expect(f.bufferedBytes).toBe(0);
    expect(await droppedTotal()).toBe(0);
  });

  it('tries again within seconds when the upstream refused its credentials (a key switch)', async () => {
    vi.useFakeTimers();
    const f = forwarder();
    f.accept('a', { metricsData: [entry('x', 1)] });
    sender.outcomes.push(new UpstreamError('/metrics/env', 401, 'status 401'));
    await f.flush();
    expect(f.bufferedBytes).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sender.posts).toHaveLength(2);
    expect(f.bufferedBytes).toBe(0);
    // A 503 waits for the next interval: quick retries would spend the attempts of an outage.
    f.accept('a', { metricsData: [entry('x', 1)] });
    sender.outcomes.push(unavailable());
    await f.flush();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sender.posts).toHaveLength(3);
  });

  it(`gives a part up after ${MAX_ATTEMPTS} failed attempts and counts it`, async () => {
    const f = forwarder();
    f.accept('a', { targetData: [{ identifier: 't1' }, { identifier: 't2' }] });
    sender.outcomes.push(...Array.from({ length: MAX_ATTEMPTS }, unavailable));
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      await f.flush();
    }
    expect(sender.posts).toHaveLength(MAX_ATTEMPTS);
    expect(f.bufferedBytes).toBe(0);
    expect(await droppedTotal()).toBe(2);
  });

  it('gives a part up at once when upstream rejects it as bad', async () => {
    const f = forwarder();
    f.accept('a', { metricsData: [entry('x', 1)] });
    sender.outcomes.push(new UpstreamError('/metrics/a', 400, 'status 400'));
    await f.flush();
    expect(f.bufferedBytes).toBe(0);
    expect(await droppedTotal()).toBe(1);
  });

  it('flushes without waiting for the timer once 1 MiB is buffered', async () => {
    const f = forwarder();
    const targets = Array.from({ length: 5000 }, (_, i) => ({
      identifier: `target-${i}`,
      name: 'x'.repeat(200),
    }));
    f.accept('a', { targetData: targets.slice(0, 2500) });
    expect(sender.posts).toHaveLength(0);
    f.accept('a', { targetData: targets.slice(2500) });
    await expect.poll(() => sender.posts).toHaveLength(1);
    expect(sender.posts[0]?.entries).toHaveLength(5000);
  });

  it('runs flushes one after another', async () => {
    const f = forwarder();
    let open = () => undefined as void;
    sender.gate = new Promise((resolve) => (open = resolve));
    f.accept('a', { metricsData: [entry('x', 1)] });
    const first = f.flush();
    await expect.poll(() => sender.started).toBe(1);
    f.accept('a', { metricsData: [entry('x', 2)] });
    const second = f.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sender.started).toBe(1);
    open();
    await Promise.all([first, second]);
    expect(sender.posts.map((p) => p.entries)).toEqual([[entry('x', 1)], [entry('x', 2)]]);
  });

  it('stores the mark once all it covered was posted, though more came in during the flush', async () => {
    const f = forwarder();
    const checkpoint = new FakeCheckpoint();
    f.useCheckpoint(checkpoint);
    let open = () => undefined as void;
    sender.gate = new Promise((resolve) => (open = resolve));
    f.accept('a', { metricsData: [entry('x', 1)] });
    checkpoint.read = 1;
    const flushed = f.flush();
    await expect.poll(() => sender.started).toBe(1);
    f.accept('a', { metricsData: [entry('x', 2)] });
    checkpoint.read = 2;
    open();
    await flushed;
    expect(checkpoint.commits).toEqual(['1']);
    await f.flush();
    expect(checkpoint.commits).toEqual(['1', '2']);
  });

  it('stores no mark past a part kept for a retry; past a part given up, it does', async () => {
    const f = forwarder();
    const checkpoint = new FakeCheckpoint();
    f.useCheckpoint(checkpoint);
    f.accept('a', { metricsData: [entry('x', 1)] });
    f.accept('b', { metricsData: [entry('x', 1)] });
    checkpoint.read = 1;
    sender.outcomes.push(undefined, unavailable());
    await f.flush();
    expect(checkpoint.commits).toEqual([]);
    checkpoint.read = 2;
    sender.outcomes.push(new UpstreamError('/metrics/b', 400, 'status 400'));
    await f.flush();
    expect(checkpoint.commits).toEqual(['2']);
    expect(await droppedTotal()).toBe(1);
  });

  it('flushes once more at shutdown', async () => {
    const f = forwarder();
    f.accept('a', { metricsData: [entry('x', 1)] });
    await f.beforeApplicationShutdown();
    expect(sender.posts).toHaveLength(1);
  });

  it('flushes on the METRIC_POST_DURATION timer, raised to 60 s, after some jitter', async () => {
    vi.useFakeTimers();
    const f = forwarder({ METRIC_POST_DURATION: '5' });
    f.onModuleInit();
    f.accept('a', { metricsData: [entry('x', 1)] });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(sender.posts).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(11_000);
    expect(sender.posts).toHaveLength(1);
    expect(scheduler.getIntervals()).toEqual(['sdk-metrics-flush']);
    f.accept('a', { metricsData: [entry('x', 1)] });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sender.posts).toHaveLength(2);
  });
});
