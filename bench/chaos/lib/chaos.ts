import { fingerprint } from '../../../src/common/fingerprint.js';
import { machineInfo, type MachineInfo } from '../../lib/machine.js';
import { sleep } from '../../lib/wait.js';
import { ChaosReader } from './chaos-reader.js';
import { type AdminAction, ChaosRun } from './chaos-run.js';
import { CHAOS_AUTH_SECRET, ChaosCluster } from './cluster.js';
import { type FailureRecord, summarise, type FailureRow } from './failures.js';
import { chaosFlags, FlagChurn } from './flag-churn.js';
import { type MetricsLedger, MetricsPoster } from './metrics-poster.js';
import type { ChaosOptions } from './options.js';
import { counterAtRest, type RelayResources, resourcesOf, sampleAtRest } from './resources.js';
import { SdkFleet } from './sdk-fleet.js';
import { chaosSequence, runSequence, type StepRecord } from './sequence.js';
import { settle, type Settling } from './settle.js';

export interface ChaosResults {
  options: ChaosOptions;
  startedAt: string;
  machine: MachineInfo;
  steps: StepRecord[];
  adminActions: AdminAction[];
  events: string[];
  /** SDK requests made by the readers and the metrics poster. */
  requests: number;
  /** Requests that got no answer once and an answer on their retry. */
  absorbed: number;
  failures: FailureRow[];
  countedFailures: number;
  sdks: { count: number; restarts: number; initFailures: string[] };
  settling: Settling;
  metrics: MetricsLedger;
  relays: RelayResources[];
  flagChanges: number;
  replicaUpstreamCalls: number;
  /** The primary's `/health` once the load stopped. */
  primaryHealth: string;
}

const METRICS_RECEIVED = 'ff_proxy_primary_metrics_stream_consumer_messages_received';

/** One fault run, from an empty machine to the figures; every process it started is gone after. */
export async function runChaos(
  options: ChaosOptions,
  logDir: string,
  log: (line: string) => void,
): Promise<ChaosResults> {
  const startedAt = new Date().toISOString();
  log('starting Redis, the upstream emulator, the primary and 2 replicas…');
  const cluster = await ChaosCluster.start({
    replicas: 2,
    flags: chaosFlags(options.flags),
    pollIntervalSeconds: options.pollIntervalSeconds,
    logDir,
  });
  try {
    const churn = new FlagChurn(cluster.upstream, cluster.env, options.seed);
    const fleet = new SdkFleet(cluster.sdkKey, cluster.balancer.url, options.sdks);
    const run = new ChaosRun(cluster, churn, fleet);
    log(`starting ${options.sdks} Node SDKs, ${options.readers} readers and the metrics poster…`);
    await fleet.start();
    const readers = Array.from(
      { length: options.readers },
      (_, i) =>
        new ChaosReader({
          baseUrl: cluster.balancer.url,
          sdkKey: cluster.sdkKey,
          environment: cluster.env,
          target: {
            identifier: `chaos-reader-${i}`,
            name: `Chaos reader ${i}`,
            attributes: { group: i % 2 === 0 ? 'beta' : 'ga' },
          },
          intervalMs: options.readerIntervalMs,
          configuredKid: fingerprint(CHAOS_AUTH_SECRET),
          phase: run.phase,
        }),
    );
    readers.forEach((reader) => reader.start());
    const poster = new MetricsPoster(
      cluster.balancer.url,
      cluster.sdkKey,
      cluster.env,
      run.phase,
      fingerprint(CHAOS_AUTH_SECRET),
    );
    poster.start();
    churn.start(options.changeEveryMs);
    await sleep(options.short ? 3_000 : 10_000);
    log(`faults (seed ${options.seed}):`);
    const steps = await runSequence(chaosSequence(options.short), run, log);
    await Promise.allSettled(run.background);
    churn.stop();
    churn.finalChange();
    log('settling: waiting for every SDK to serve the upstream values…');
    const settling = await settle(
      fleet,
      cluster.relays,
      cluster.upstream,
      cluster.env,
      cluster.sdkKey,
      options.settleTimeoutMs,
    );
    await Promise.all([...readers.map((r) => r.stop()), poster.stop()]);
    fleet.close();
    await sampleAtRest(cluster.relays);
    const primaryHealth = await fetch(`${cluster.primary.url}/health`).then(
      (r) => r.text(),
      (err: unknown) => String(err),
    );
    log(
      'stopping the replicas, then the primary (its shutdown flush sends the SDK metrics it holds)…',
    );
    await Promise.all(cluster.replicas.map((replica) => replica.stop()));
    await counterAtRest(cluster.primary, METRICS_RECEIVED);
    await cluster.primary.stop();
    const failures: FailureRecord[] = [...readers.flatMap((r) => r.failures), ...poster.failures];
    const rows = summarise(failures, run.revoked);
    return {
      options,
      startedAt,
      machine: machineInfo(),
      steps,
      adminActions: run.adminActions,
      events: run.events,
      requests:
        readers.reduce((sum, r) => sum + r.requests, 0) +
        poster.ledger(cluster.upstream).batches +
        poster.failures.length,
      absorbed: readers.reduce((sum, r) => sum + r.absorbed.length, 0),
      failures: rows,
      countedFailures: rows.filter((row) => row.counted).reduce((sum, row) => sum + row.count, 0),
      sdks: { count: options.sdks, restarts: fleet.restarts, initFailures: fleet.initFailures },
      settling,
      metrics: poster.ledger(cluster.upstream),
      relays: cluster.relays.map(resourcesOf),
      flagChanges: churn.changes,
      replicaUpstreamCalls: cluster.trap.requests().length,
      primaryHealth: primaryHealth.slice(0, 300),
    };
  } finally {
    await cluster.stop();
  }
}
