import { Injectable } from '@nestjs/common';
import { ConfigReader } from '../../cache/config-reader.service.js';
import { ConfigWriter } from '../../cache/config-writer.service.js';
import type { FeatureConfig } from '../../model/feature-config.js';
import type { Segment } from '../../model/segment.js';
import { ChangePublisher } from '../change-publisher.service.js';
import type { EnvironmentConfig } from '../../model/environment-config.js';

/**
 * Applies config changes: cache first, then the event to connected SDKs, so an SDK that
 * re-fetches on the event always reads the new data (`sdk-api.md` §6.3).
 */
@Injectable()
export class ConfigUpdater {
  constructor(
    private readonly reader: ConfigReader,
    private readonly writer: ConfigWriter,
    private readonly publisher: ChangePublisher,
  ) {}

  /** Loads a whole environment; lists are written even when empty (offline semantics). */
  async loadEnvironment(env: EnvironmentConfig): Promise<void> {
    await this.writer.writeEnvironment(env, 'offline');
    for (const target of env.targets) {
      await this.writer.writeTarget(env.id, target);
    }
  }

  async upsertFlag(env: string, flag: FeatureConfig): Promise<void> {
    const { list, existed } = upsert((await this.reader.flags(env)).flags, flag, (f) => f.feature);
    await this.writer.writeFlags(env, list);
    this.notify(existed ? 'patch' : 'create', 'flag', env, flag.feature, flag.version);
  }

  async deleteFlag(env: string, feature: string): Promise<void> {
    const current = (await this.reader.flags(env)).flags;
    await this.writer.writeFlags(
      env,
      current.filter((f) => f.feature !== feature),
    );
    this.notify('delete', 'flag', env, feature, 0);
  }

  async upsertSegment(env: string, segment: Segment): Promise<void> {
    const current = (await this.reader.segments(env)).segments;
    const { list, existed } = upsert(current, segment, (s) => s.identifier);
    await this.writer.writeSegments(env, list);
    const event = existed ? 'patch' : 'create';
    this.notify(event, 'target-segment', env, segment.identifier, segment.version);
  }

  async deleteSegment(env: string, identifier: string): Promise<void> {
    const current = (await this.reader.segments(env)).segments;
    await this.writer.writeSegments(
      env,
      current.filter((s) => s.identifier !== identifier),
    );
    this.notify('delete', 'target-segment', env, identifier, 0);
  }

  private notify(
    event: 'create' | 'patch' | 'delete',
    domain: 'flag' | 'target-segment',
    environment: string,
    identifier: string,
    version: number | undefined,
  ): void {
    this.publisher.publish({ event, domain, identifier, version: version ?? 0, environment });
  }
}

/** `list` with `item` replacing the element of the same id, or appended. */
function upsert<T>(list: readonly T[], item: T, id: (value: T) => string) {
  const existed = list.some((value) => id(value) === id(item));
  return {
    existed,
    list: existed ? list.map((value) => (id(value) === id(item) ? item : value)) : [...list, item],
  };
}
