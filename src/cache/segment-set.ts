import { normaliseSegment } from '../model/normalise.js';
import type { Segment } from '../model/segment.js';

/** Which rule representation an SDK asked for (docs/sdk-api.md). */
export type RulesVersion = 'v1' | 'v2';

/**
 * One version of an environment's segments, with response bytes for both rule representations:
 * `rules=v2` gets `servingRules` (plus legacy `rules` only when there are no serving rules, which
 * is safe for the Go and Node SDKs alike); anything else gets only the legacy `rules`.
 */
export class SegmentSet {
  readonly segments: readonly Segment[];
  private readonly byId = new Map<string, Segment>();
  private readonly bodies = new Map<string, Buffer>();
  private legacy?: readonly Segment[];

  constructor(
    readonly version: string,
    segments: readonly Segment[],
  ) {
    this.segments = segments.map(normaliseSegment);
    for (const segment of this.segments) {
      this.byId.set(segment.identifier, segment);
    }
  }

  get(identifier: string): Segment | undefined {
    return this.byId.get(identifier);
  }

  /**
   * The segments without `servingRules`, so only the legacy `rules` are evaluated (the Go
   * proxy's `AND_RULES=false`); built once for this version, on first use.
   */
  get legacySegments(): readonly Segment[] {
    this.legacy ??= this.segments.map((segment) => shape(segment, 'v1'));
    return this.legacy;
  }

  listBody(rules: RulesVersion): Buffer {
    return this.memo(`list:${rules}`, () => this.segments.map((s) => shape(s, rules)));
  }

  itemBody(identifier: string, rules: RulesVersion): Buffer | undefined {
    const segment = this.byId.get(identifier);
    return segment && this.memo(`item:${rules}:${identifier}`, () => shape(segment, rules));
  }

  private memo(key: string, build: () => unknown): Buffer {
    let body = this.bodies.get(key);
    if (!body) {
      body = Buffer.from(`${JSON.stringify(build())}\n`);
      this.bodies.set(key, body);
    }
    return body;
  }
}

function shape(segment: Segment, rules: RulesVersion): Segment {
  const { servingRules, rules: legacy, ...rest } = segment;
  if (rules === 'v2' && servingRules?.length) {
    return { ...rest, servingRules };
  }
  return legacy ? { ...rest, rules: legacy } : rest;
}
