import { Injectable, Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Histogram } from 'prom-client';
import { METRIC_NAMES } from '../metrics/metric-names.js';

export interface JobOptions {
  /** Upper bound of the random delay before the first run (default: the interval, ≤ 10 s). */
  maxJitterMs?: number;
  /** A fixed delay before the first run, the jitter added to it (default 0). */
  initialDelayMs?: number;
}

const MAX_JITTER_MS = 10_000;

/**
 * Runs periodic work the same way everywhere: registered in the SchedulerRegistry, a random
 * first delay (so instances restarted together do not act in step), a run is skipped while the
 * previous one is still going, failures are caught and logged, durations go to Prometheus.
 */
@Injectable()
export class ScheduledJobs {
  private readonly logger = new Logger(ScheduledJobs.name);

  constructor(
    private readonly registry: SchedulerRegistry,
    @InjectMetric(METRIC_NAMES.scheduledJobDuration) private readonly duration: Histogram<'job'>,
  ) {}

  every(name: string, intervalMs: number, run: () => Promise<unknown>, options: JobOptions = {}) {
    let running = false;
    const tick = async (): Promise<void> => {
      if (running) {
        this.logger.debug({ job: name }, 'previous run still going: skipped');
        return;
      }
      running = true;
      const stop = this.duration.startTimer({ job: name });
      try {
        await run();
      } catch (err) {
        this.logger.warn({ err, job: name }, 'scheduled job failed');
      } finally {
        stop();
        running = false;
      }
    };
    const jitter =
      (options.initialDelayMs ?? 0) +
      Math.random() * Math.min(options.maxJitterMs ?? intervalMs, MAX_JITTER_MS);
    const first = setTimeout(() => {
      this.registry.deleteTimeout(`${name}:first`);
      void tick();
      this.registry.addInterval(name, setInterval(() => void tick(), intervalMs).unref());
    }, jitter).unref();
    this.registry.addTimeout(`${name}:first`, first);
  }
}
