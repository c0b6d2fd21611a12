import { constants, gzipSync } from 'node:zlib';
import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { METRIC_NAMES } from '../metrics/metric-names.js';

/** The encodings shared bodies are offered in (see docs/performance.md for why not brotli). */
export const SHARED_BODY_ENCODINGS = ['gzip'] as const;
export type SharedBodyEncoding = (typeof SHARED_BODY_ENCODINGS)[number];

/**
 * The compressed form of each shared, pre-serialised body (a {@link FlagSet} or
 * {@link SegmentSet} builds one Buffer per version and serves that same Buffer to every
 * request). Keyed by that Buffer, weakly: a version's compressed bytes are made on the first
 * request that accepts them, reused by every later one, and go when the version goes.
 */
@Injectable()
export class CompressedBodies {
  private readonly gzipped = new WeakMap<Buffer, Buffer>();

  constructor(
    @InjectMetric(METRIC_NAMES.bodyCompressions) private readonly compressions: Counter<'encoding'>,
  ) {}

  /**
   * The body in `encoding`, or the body itself when compressing does not make it smaller (a
   * single small flag): then it goes out as it is, with no Content-Encoding.
   */
  encoded(body: Buffer, encoding: SharedBodyEncoding): Buffer {
    let encoded = this.gzipped.get(body);
    if (!encoded) {
      // Once per version, so the best (slowest) level costs nothing that matters: ~1 ms for 36 KB.
      const gzipped = gzipSync(body, { level: constants.Z_BEST_COMPRESSION });
      this.compressions.inc({ encoding });
      encoded = gzipped.length < body.length ? gzipped : body;
      this.gzipped.set(body, encoded);
    }
    return encoded;
  }
}
