import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { CacheHealthService } from '../../cache/cache-health.service.js';
import { ConfigReader } from '../../cache/config-reader.service.js';
import { MemoryMirror, type MemoryView } from '../../cache/memory-mirror.js';
import type { EnvironmentConfig } from '../../model/environment-config.js';
import { ChangePublisher } from '../change-publisher.service.js';
import { resyncEvents, type ServedEnvironment } from '../resync-events.js';

const RETRY_MS = 2_000;
/** Environments reloaded at once. */
const RELOAD_CONCURRENCY = 16;

/**
 * A read replica's memory is the only record of what its SDKs were served when a primary fills
 * Redis anew without announcing anything: one that starts on a Redis that came back empty has
 * nothing to compare with, so flags that changed while no primary ran reach no SDK (the Node
 * SDK does not poll while its stream is up). When the seed marker changes, the replica reloads
 * the environments it serves and announces to its SDK streams what differs, by content.
 */
@Injectable()
export class RefillResync implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(RefillResync.name);
  private running?: Promise<void>;
  private unsubscribe?: () => void;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly cacheHealth: CacheHealthService,
    @Inject(MemoryMirror) private readonly mirror: MemoryView,
    private readonly reader: ConfigReader,
    private readonly publisher: ChangePublisher,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.cacheHealth.onRefilled(() => void this.run());
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    clearTimeout(this.retry);
  }

  /** One at a time; a refill during one is covered by it or by the retry after a failure. */
  run(): Promise<void> {
    this.running ??= this.resync().finally(() => (this.running = undefined));
    return this.running;
  }

  private async resync(): Promise<void> {
    const before = new Map<string, ServedEnvironment>(
      this.mirror
        .servedEnvironments()
        .map((env) => [
          env.id,
          { flags: env.flags.flags, segments: env.segments.segments, apiKeys: env.apiKeys },
        ]),
    );
    try {
      // A few at a time: a replica serving thousands of environments must not reload one
      // after another (two round trips each), nor all at once.
      const ids = [...before.keys()];
      for (let i = 0; i < ids.length; i += RELOAD_CONCURRENCY) {
        await Promise.all(
          ids
            .slice(i, i + RELOAD_CONCURRENCY)
            .flatMap((id) => [this.reader.reload('flags', id), this.reader.reload('segments', id)]),
        );
      }
    } catch (err) {
      this.logger.warn({ err }, 'could not reload the config after a refill: trying again');
      this.retry = setTimeout(() => void this.run(), RETRY_MS);
      this.retry.unref();
      return;
    }
    // Only what is served on both sides: an environment gone is announced by the primary.
    const after: EnvironmentConfig[] = this.mirror
      .servedEnvironments()
      .filter((env) => before.has(env.id))
      .map((env) => ({
        id: env.id,
        apiKeys: env.apiKeys,
        featureConfigs: [...env.flags.flags],
        segments: [...env.segments.segments],
        targets: [],
      }));
    const kept = new Set(after.map((env) => env.id));
    const compared = new Map([...before].filter(([id]) => kept.has(id)));
    const events = resyncEvents(compared, after).filter(
      (event) => event.domain === 'flag' || event.domain === 'target-segment',
    );
    events.forEach((event) => this.publisher.publish(event));
    this.logger.log(
      { environments: after.length, changes: events.length },
      'another instance filled the cache anew: announced what changed to sdk streams',
    );
  }
}
