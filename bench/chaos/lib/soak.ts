import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fingerprint } from '../../../src/common/fingerprint.js';
import { freePort } from '../../../test/support/ports.js';
import { RedisServer } from '../../../test/support/redis-server.js';
import { environmentSeed } from '../../../test/support/upstream-emulator/fixtures.js';
import { UpstreamEmulator } from '../../../test/support/upstream-emulator/upstream-emulator.js';
import { ROOT, track } from '../../lib/children.js';
import { machineInfo, type MachineInfo } from '../../lib/machine.js';
import { sleep } from '../../lib/wait.js';
import { summarise, type FailureRow } from './failures.js';
import { chaosFlags, FlagChurn } from './flag-churn.js';
import type { MetricsLedger } from './metrics-ledger.js';
import { RelayProcess } from './relay-process.js';
import { SdkFleet } from './sdk-fleet.js';
import { SdkLoad } from './sdk-load.js';
import { settle, type Settling } from './settle.js';
import type { SoakOptions } from './soak-options.js';
import { type SoakSample, takeSample } from './soak-sampler.js';

export const SOAK_BUILD = join(ROOT, 'node_modules/.cache/ff-relay-soak-build');
const AUTH_SECRET = 'soak-auth-secret';
/** A soak has no faults: every failure happens under steady load. */
const phase = (): string => 'steady';

export interface SoakResults {
  options: SoakOptions;
  startedAt: string;
  machine: MachineInfo;
  /** SDK_STREAM_MAX_AGE as set, or undefined when this relay has no such setting. */
  streamMaxAge?: string;
  samples: SoakSample[];
  requests: number;
  absorbed: number;
  failures: FailureRow[];
  countedFailures: number;
  initFailures: string[];
  settling: Settling;
  metrics: MetricsLedger;
  flagChanges: number;
}

/** Whether the compiled relay knows SDK_STREAM_MAX_AGE (another change adds it). */
async function hasStreamMaxAge(): Promise<boolean> {
  const envVars = await readFile(join(SOAK_BUILD, 'config/env-vars.js'), 'utf8').catch(() => '');
  return envVars.includes('SDK_STREAM_MAX_AGE');
}

/**
 * One primary on Redis under steady load for `minutes`: readers, Node SDKs holding streams
 * (renewed by age when the relay can), SDK metrics posts and a flag change every 10 s, with
 * the process sampled every `sampleSeconds`.
 */
export async function runSoak(
  options: SoakOptions,
  logDir: string,
  log: (line: string) => void,
): Promise<SoakResults> {
  const startedAt = new Date().toISOString();
  const redis = await RedisServer.start({ onLaunch: track });
  const seed = environmentSeed({ featureConfigs: chaosFlags(options.flags), segments: [] });
  const upstream = new UpstreamEmulator({ seed: { environments: [seed] } });
  await upstream.start();
  const streamMaxAge = (await hasStreamMaxAge()) ? options.streamMaxAge : undefined;
  const primary = new RelayProcess(
    'primary',
    await freePort(),
    {
      REDIS_ADDRESS: redis.address,
      AUTH_SECRET,
      PROXY_KEY: upstream.proxyKey,
      CLIENT_SERVICE: upstream.url,
      METRIC_SERVICE: upstream.metricsUrl,
      ACCESS_LOG: 'false',
      AUTH_RATE_LIMIT: '0',
      ...(streamMaxAge ? { SDK_STREAM_MAX_AGE: streamMaxAge } : {}),
    },
    logDir,
    SOAK_BUILD,
  );
  try {
    await primary.start();
    const sdkKey = seed.apiKeys?.[0] ?? '';
    const fleet = new SdkFleet(sdkKey, primary.url, options.sdks);
    await fleet.start();
    const load = SdkLoad.start({
      baseUrl: primary.url,
      environment: seed.id,
      sdkKeys: [sdkKey],
      readers: options.readers,
      readerIntervalMs: options.readerIntervalMs,
      configuredKid: fingerprint(AUTH_SECRET),
      phase,
    });
    const churn = new FlagChurn(upstream, seed.id, options.seed);
    churn.start(options.changeEveryMs);
    const samples = await sampleEvery(primary, options, log);
    churn.stop();
    churn.finalChange();
    const settling = await settle(fleet, [primary], upstream, seed.id, sdkKey, 90_000);
    await load.stop();
    fleet.close();
    await primary.stop();
    const rows = summarise(load.failures, []);
    const metrics = load.poster.ledger(upstream);
    return {
      options,
      startedAt,
      machine: machineInfo(),
      ...(streamMaxAge ? { streamMaxAge } : {}),
      samples,
      requests: load.requests,
      absorbed: load.absorbed,
      failures: rows,
      countedFailures: rows.filter((row) => row.counted).reduce((sum, row) => sum + row.count, 0),
      initFailures: fleet.initFailures,
      settling,
      metrics,
      flagChanges: churn.changes,
    };
  } finally {
    await primary.kill();
    await upstream.stop();
    await redis.stop();
  }
}

const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

/** A sample every `sampleSeconds` (one at once) until `minutes` have passed. */
async function sampleEvery(
  relay: RelayProcess,
  options: SoakOptions,
  log: (line: string) => void,
): Promise<SoakSample[]> {
  const started = Date.now();
  const samples: SoakSample[] = [];
  for (let n = 1; ; n += 1) {
    const sample = await takeSample(relay, started);
    if (sample) {
      samples.push(sample);
      log(
        `  ${sample.minute.toFixed(1)} min: RSS ${mib(sample.rss)} MiB, heap ${mib(sample.heapUsed)} MiB, ` +
          `${sample.fds} fds, event-loop delay p99 ${(sample.lagP99 * 1000).toFixed(1)} ms`,
      );
    }
    const next = started + n * options.sampleSeconds * 1000;
    if (next > started + options.minutes * 60_000 + 1_000) {
      return samples;
    }
    await sleep(next - Date.now());
  }
}
