import { fingerprint } from '../../../src/common/fingerprint.js';
import { machineInfo, type MachineInfo } from '../../lib/machine.js';
import { sleep } from '../../lib/wait.js';
import { type AdminAction, ChaosRun } from './chaos-run.js';
import { CHAOS_AUTH_SECRET, ChaosCluster } from './cluster.js';
import { summarise, type FailureRow } from './failures.js';
import { chaosFlags, FlagChurn } from './flag-churn.js';
import type { MetricsLedger } from './metrics-ledger.js';
import type { ChaosOptions } from './options.js';
import { counterAtRest, type RelayResources, resourcesOf, sampleAtRest } from './resources.js';
import { SdkFleet } from './sdk-fleet.js';
import { SdkLoad } from './sdk-load.js';
import { chaosSequence, runSequence, type StepRecord } from './sequence.js';
import { settle, type Settling } from './settle.js';
import { type StreamState, StreamWatch } from './stream-watch.js';

export interface ChaosResults {
  options: ChaosOptions;
  startedAt: string;
  machine: MachineInfo;
  steps: StepRecord[];
  /** When the first step ran (ms since the epoch): step times count from there. */
  sequenceStarted: number;
  /** Each change of the primary's upstream stream state, from the load's start to its end. */
  primaryStream: StreamState[];
  adminActions: AdminAction[];
  events: string[];
  /** SDK requests made by the readers, the metrics poster and the newcomers. */
  requests: number;
  /** Requests that got no answer once and an answer on their retry. */
  absorbed: number;
  /** Apps that started with an SDK key of their own during the run. */
  newcomers: number;
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
    extraKeys: options.newcomerKeys,
  });
  try {
    const churn = new FlagChurn(cluster.upstream, cluster.env, options.seed);
    const fleet = new SdkFleet(cluster.sdkKey, cluster.balancer.url, options.sdks, logDir);
    const run = new ChaosRun(cluster, churn, fleet);
    log(`starting ${options.sdks} Node SDKs, ${options.readers} readers and the metrics poster…`);
    await fleet.start();
    const load = SdkLoad.start({
      baseUrl: cluster.balancer.url,
      environment: cluster.env,
      sdkKeys: cluster.sdkKeys,
      readers: options.readers,
      readerIntervalMs: options.readerIntervalMs,
      newcomerEveryMs: options.newcomerEveryMs,
      configuredKid: fingerprint(CHAOS_AUTH_SECRET),
      phase: run.phase,
    });
    churn.start(options.changeEveryMs);
    const watch = new StreamWatch(cluster.primary);
    watch.start();
    await sleep(options.short ? 3_000 : 10_000);
    log(`faults (seed ${options.seed}):`);
    const sequenceStarted = Date.now();
    const steps = await runSequence(chaosSequence(options.short), run, log);
    await Promise.allSettled(run.background);
    churn.stop();
    churn.finalChange();
    log('settling: waiting for every SDK to serve the upstream values…');
    const { env, sdkKey, upstream } = cluster;
    const settling = await settle(
      fleet,
      cluster.relays,
      upstream,
      env,
      sdkKey,
      options.settleTimeoutMs,
    );
    await load.stop();
    fleet.close();
    watch.stop();
    const primaryHealth = await stopGracefully(cluster, log);
    const rows = summarise(load.failures, run.revoked);
    return {
      options,
      startedAt,
      machine: machineInfo(),
      steps,
      sequenceStarted,
      primaryStream: watch.changes,
      adminActions: run.adminActions,
      events: run.events,
      requests: load.requests,
      absorbed: load.absorbed,
      newcomers: load.newcomersArrived,
      failures: rows,
      countedFailures: rows.filter((row) => row.counted).reduce((sum, row) => sum + row.count, 0),
      sdks: { count: options.sdks, restarts: fleet.restarts, initFailures: fleet.initFailures },
      settling,
      metrics: load.poster.ledger(cluster.upstream),
      relays: cluster.relays.map(resourcesOf),
      flagChanges: churn.changes,
      replicaUpstreamCalls: cluster.trap.requests().length,
      primaryHealth: primaryHealth.slice(0, 300),
    };
  } finally {
    await cluster.stop();
  }
}

/**
 * Samples every relay at rest, then stops the replicas and, once it has read what they left in
 * the metrics stream, the primary: its shutdown flush sends the SDK metrics it holds. Returns
 * the primary's `/health` before that.
 */
async function stopGracefully(cluster: ChaosCluster, log: (line: string) => void): Promise<string> {
  await sampleAtRest(cluster.relays);
  const health = await fetch(`${cluster.primary.url}/health`).then(
    (r) => r.text(),
    (err: unknown) => String(err),
  );
  log(
    'stopping the replicas, then the primary (its shutdown flush sends the SDK metrics it holds)…',
  );
  await Promise.all(cluster.replicas.map((replica) => replica.stop()));
  await counterAtRest(cluster.primary, METRICS_RECEIVED);
  await cluster.primary.stop();
  return health;
}
