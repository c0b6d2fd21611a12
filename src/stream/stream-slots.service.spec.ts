import { Counter, Gauge, Registry } from 'prom-client';
import { StreamLimitError } from '../common/errors/proxy-error.js';
import { loadConfig } from '../config/load-config.js';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import { retryAfterSeconds, StreamSlots } from './stream-slots.service.js';

function slots(limit: string): { slots: StreamSlots; registry: Registry } {
  const registry = new Registry();
  const registers = [registry];
  const gauge = (name: string): Gauge => new Gauge({ name, help: name, registers });
  const refused = new Counter({
    name: METRIC_NAMES.sdkStreamsRefused,
    help: 'refused',
    labelNames: ['reason'],
    registers,
  });
  const created = new StreamSlots(
    loadConfig({ SDK_STREAM_LIMIT: limit }),
    gauge(METRIC_NAMES.sdkStreams),
    gauge(METRIC_NAMES.sdkStreamsLimit),
    refused,
  );
  return { slots: created, registry };
}

async function metric(registry: Registry, name: string): Promise<number> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return values.reduce((sum, v) => sum + v.value, 0);
}

function refusal(take: () => unknown): StreamLimitError {
  try {
    take();
  } catch (error) {
    return error as StreamLimitError;
  }
  throw new Error('expected the stream to be refused');
}

describe(StreamSlots.name, () => {
  it('lets in exactly the limit, then refuses with 503 and Retry-After', async () => {
    const { slots: s, registry } = slots('2');
    s.take();
    s.take();
    const error = refusal(() => s.take());
    expect(error).toBeInstanceOf(StreamLimitError);
    expect(error.status).toBe(503);
    expect(Number(error.headers['Retry-After'])).toBeGreaterThanOrEqual(15);
    expect(s.held).toBe(2);
    expect(await metric(registry, METRIC_NAMES.sdkStreams)).toBe(2);
    expect(await metric(registry, METRIC_NAMES.sdkStreamsLimit)).toBe(2);
    expect(await metric(registry, METRIC_NAMES.sdkStreamsRefused)).toBe(1);
  });

  it('frees a slot once when its stream ends, however often release is called', () => {
    const { slots: s } = slots('1');
    const slot = s.take();
    slot.release();
    slot.release();
    expect(s.held).toBe(0);
    s.take();
    expect(() => s.take()).toThrow(StreamLimitError);
    expect(s.held).toBe(1);
  });

  it('counts without a limit when SDK_STREAM_LIMIT is 0', () => {
    const { slots: s } = slots('0');
    for (let i = 0; i < 20_000; i += 1) {
      s.take();
    }
    expect(s.held).toBe(20_000);
  });
});

describe(retryAfterSeconds.name, () => {
  it('spreads retries over 15 to 45 whole seconds', () => {
    expect(retryAfterSeconds(() => 0)).toBe(15);
    expect(retryAfterSeconds(() => 0.5)).toBe(30);
    expect(retryAfterSeconds(() => 0.999_999)).toBe(45);
  });
});
