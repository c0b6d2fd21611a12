import { sleep } from '../../lib/wait.js';
import type { ChaosRun } from './chaos-run.js';

export interface Step {
  /** Seconds after the previous step ended (so each fault lasts as planned however long a step takes). */
  after: number;
  name: string;
  /** A fault that starts with this step and lasts until a later step `ends` it. */
  begins?: string;
  ends?: string;
  /** A fault that lasts as long as this step runs. */
  during?: string;
  run(run: ChaosRun): Promise<string | void>;
}

export interface StepRecord {
  name: string;
  /** Seconds after the sequence started. */
  startedAt: number;
  tookSeconds: number;
  /** Faults under way once the step ran. */
  faults: string;
  note: string;
}

/** Seconds between steps in the full run; the short one compresses them. */
interface Timing {
  rotateProxyKey: number;
  rotateAuthSecret: number;
  killRedis: number;
  killPrimary: number;
  killReplica: number;
  redisBack: number;
  primaryBack: number;
  replicaBack: number;
  upstreamDown: number;
  rolling: number;
  upstreamBack: number;
  drainMs: number;
}

// prettier-ignore
const FULL: Timing = {
  rotateProxyKey: 3, rotateAuthSecret: 2, killRedis: 3, killPrimary: 3, killReplica: 3, redisBack: 6,
  primaryBack: 5, replicaBack: 3, upstreamDown: 9, rolling: 3, upstreamBack: 5, drainMs: 2_000,
};
// prettier-ignore
const SHORT: Timing = {
  rotateProxyKey: 1, rotateAuthSecret: 1, killRedis: 2, killPrimary: 1, killReplica: 1, redisBack: 2,
  primaryBack: 2, replicaBack: 1, upstreamDown: 3, rolling: 1, upstreamBack: 3, drainMs: 1_000,
};

/**
 * The faults, overlapping: Redis hangs and the proxy key and the SDK-token secret are rotated
 * (both with no grace) while it does; the hung Redis is killed; while it is down the primary is
 * killed right after a flag change and a replica dies too; Redis comes back empty with only the
 * other replica running; the primary comes back (and the operator retries what was refused with
 * "try again"), then the replica; the upstream goes away while flags change and the replicas are
 * restarted one by one meanwhile. Flags change upstream all along (FlagChurn).
 */
export function chaosSequence(short: boolean): Step[] {
  const t = short ? SHORT : FULL;
  const [replica1, replica2] = ['replica-1', 'replica-2'];
  return [
    {
      after: 0,
      name: 'Redis hung (SIGSTOP)',
      begins: 'Redis hung',
      run: (r) => Promise.resolve(r.cluster.redis.pause()),
    },
    {
      after: t.rotateProxyKey,
      name: 'proxy-key rotation, gracePeriod 0s',
      run: (r) => r.rotateProxyKey(),
    },
    {
      after: t.rotateAuthSecret,
      name: 'SDK-token secret rotation, gracePeriod 0s',
      run: (r) => r.rotateAuthSecret(),
    },
    {
      after: t.killRedis,
      name: 'Redis killed while hung (SIGKILL)',
      ends: 'Redis hung',
      begins: 'Redis down',
      run: (r) => r.cluster.redis.kill(),
    },
    {
      after: t.killPrimary,
      name: 'flag changed upstream, primary SIGKILL 50 ms later',
      begins: 'primary down',
      run: async (r) => {
        const flag = r.churn.change();
        await sleep(50);
        await r.cluster.crash(r.cluster.primary);
        return `changed ${flag}`;
      },
    },
    {
      after: t.killReplica,
      name: `${replica1} SIGKILL`,
      begins: `${replica1} down`,
      run: (r) => r.cluster.crash(replica(r, 0)),
    },
    {
      after: t.redisBack,
      name: 'Redis back, empty',
      ends: 'Redis down',
      run: (r) => r.cluster.redis.restart({ empty: true }),
    },
    {
      after: t.primaryBack,
      name: 'primary restarted',
      ends: 'primary down',
      run: (r) => r.cluster.restart(r.cluster.primary),
    },
    {
      after: 0,
      name: 'the operator retries the rotations that were refused',
      run: (r) => r.retryRefused(),
    },
    {
      after: t.replicaBack,
      name: `${replica1} restarted`,
      ends: `${replica1} down`,
      run: (r) => r.cluster.restart(replica(r, 0)),
    },
    {
      after: t.upstreamDown,
      name: 'upstream down (connections refused)',
      begins: 'upstream down',
      run: (r) => r.cluster.upstream.goDown('refuse'),
    },
    {
      after: t.rolling,
      name: `rolling restart: ${replica1} then ${replica2} (out of the balancer, SIGTERM, back)`,
      during: 'rolling restart',
      run: async (r) => {
        await r.cluster.rollingRestart(replica(r, 0), t.drainMs);
        await r.cluster.rollingRestart(replica(r, 1), t.drainMs);
      },
    },
    {
      after: t.upstreamBack,
      name: 'upstream back',
      ends: 'upstream down',
      run: (r) => r.cluster.upstream.comeBack(),
    },
  ];
}

function replica(run: ChaosRun, index: number) {
  const relay = run.cluster.replicas[index];
  if (!relay) {
    throw new Error(`the sequence needs replica ${index + 1}`);
  }
  return relay;
}

/** Runs the steps in order, each `after` seconds after the previous one ended. */
export async function runSequence(
  steps: readonly Step[],
  run: ChaosRun,
  log: (line: string) => void,
): Promise<StepRecord[]> {
  const started = Date.now();
  const records: StepRecord[] = [];
  for (const step of steps) {
    await sleep(step.after * 1000);
    const at = Date.now();
    [step.begins, step.during].forEach((fault) => fault && run.faults.add(fault));
    const note = await step.run(run).then(
      (result) => result ?? '',
      (err: unknown) => `step failed: ${err instanceof Error ? err.message : String(err)}`,
    );
    [step.ends, step.during].forEach((fault) => fault && run.faults.delete(fault));
    const record = {
      name: step.name,
      startedAt: (at - started) / 1000,
      tookSeconds: (Date.now() - at) / 1000,
      faults: run.phase(),
      note,
    };
    records.push(record);
    log(
      `  ${record.startedAt.toFixed(1)} s  ${step.name} (${record.tookSeconds.toFixed(1)} s)${note ? `: ${note}` : ''}`,
    );
  }
  return records;
}
