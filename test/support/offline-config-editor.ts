import type { INestApplicationContext } from '@nestjs/common';
import { ConfigReader } from '../../src/cache/config-reader.service.js';
import { ConfigWriter } from '../../src/cache/config-writer.service.js';
import type { FeatureConfig } from '../../src/model/feature-config.js';
import type { Segment } from '../../src/model/segment.js';
import { ChangePublisher } from '../../src/sync/change-publisher.service.js';

/**
 * Changes an offline relay's config the way a config change reaches it in production: the
 * cache is written first, then the event goes to connected SDKs, so an SDK that re-fetches on
 * the event reads the new data. Test-only: offline, config changes come from CONFIG_DIR.
 */
export class OfflineConfigEditor {
  private readonly reader: ConfigReader;
  private readonly writer: ConfigWriter;
  private readonly publisher: ChangePublisher;

  constructor(app: INestApplicationContext) {
    this.reader = app.get(ConfigReader);
    this.writer = app.get(ConfigWriter);
    this.publisher = app.get(ChangePublisher);
  }

  async upsertFlag(env: string, flag: FeatureConfig): Promise<void> {
    const { list, existed } = upsert((await this.reader.flags(env)).flags, flag, (f) => f.feature);
    await this.writer.writeFlags(env, list);
    this.notify(existed ? 'patch' : 'create', 'flag', env, flag.feature, flag.version);
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
