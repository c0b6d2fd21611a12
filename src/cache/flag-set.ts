import type { FeatureConfig } from '../model/feature-config.js';
import { normaliseFlag } from '../model/normalise.js';

/**
 * One version of an environment's flags, decoded once and serialised once: every request for
 * this version reuses the same response bytes.
 */
export class FlagSet {
  readonly flags: readonly FeatureConfig[];
  readonly listBody: Buffer;
  private readonly byId = new Map<string, FeatureConfig>();
  private readonly itemBodies = new Map<string, Buffer>();

  constructor(
    /** Identifies the version: the `-latest` hash, or `''` for an empty environment. */
    readonly version: string,
    flags: readonly FeatureConfig[],
  ) {
    this.flags = flags.map(normaliseFlag);
    for (const flag of this.flags) {
      this.byId.set(flag.feature, flag);
    }
    this.listBody = Buffer.from(`${JSON.stringify(this.flags)}\n`);
  }

  get(feature: string): FeatureConfig | undefined {
    return this.byId.get(feature);
  }

  itemBody(feature: string): Buffer | undefined {
    let body = this.itemBodies.get(feature);
    const flag = this.byId.get(feature);
    if (!body && flag) {
      body = Buffer.from(`${JSON.stringify(flag)}\n`);
      this.itemBodies.set(feature, body);
    }
    return body;
  }
}
