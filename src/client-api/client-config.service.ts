import { Injectable } from '@nestjs/common';
import { ConfigReader } from '../cache/config-reader.service.js';
import { FollowedChanges } from '../cache/followed-changes.js';
import type { RulesVersion } from '../cache/segment-set.js';
import { NotFoundError } from '../common/errors/proxy-error.js';
import { AppConfig } from '../config/app-config.js';

/**
 * The server-SDK reads (docs/sdk-api.md). Bodies are the pre-serialised bytes of the current
 * config version; an unknown environment is an empty list, never a 404, as in Harness.
 */
@Injectable()
export class ClientConfigService {
  constructor(
    private readonly reader: ConfigReader,
    private readonly config: AppConfig,
    private readonly followed: FollowedChanges,
  ) {}

  async featureConfigs(env: string): Promise<Buffer> {
    return (await this.reader.flags(env)).listBody;
  }

  /** What a server SDK fetches after an event: on a replica, once that event is applied here. */
  async featureConfig(env: string, feature: string): Promise<Buffer> {
    await this.followed.caughtUp();
    const body = (await this.reader.flags(env)).itemBody(feature);
    if (!body) {
      throw new NotFoundError(`flag ${feature}`);
    }
    return body;
  }

  async targetSegments(env: string, rules: RulesVersion): Promise<Buffer> {
    return (await this.reader.segments(env)).listBody(this.served(rules));
  }

  async targetSegment(env: string, identifier: string, rules: RulesVersion): Promise<Buffer> {
    await this.followed.caughtUp();
    const body = (await this.reader.segments(env)).itemBody(identifier, this.served(rules));
    if (!body) {
      throw new NotFoundError(`segment ${identifier}`);
    }
    return body;
  }

  /** With `AND_RULES=false`, as in the Go proxy, `rules=v2` gets the legacy shape too. */
  private served(asked: RulesVersion): RulesVersion {
    return this.config.compat.andRules ? asked : 'v1';
  }
}
