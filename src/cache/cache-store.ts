/**
 * The one storage interface behind every cache read and write: string keys holding JSON text, as
 * the Harness proxy stores them. Two implementations: Redis (production, shared by a primary and
 * its replicas) and in-memory (the zero-setup default). Both pass the same contract tests.
 */
export abstract class CacheStore {
  /** `redis` or `in_mem`: the label Harness uses in metric names. */
  abstract readonly kind: 'redis' | 'in_mem';
  abstract get(key: string): Promise<string | null>;
  abstract mget(keys: readonly string[]): Promise<(string | null)[]>;
  /** Writes the entries in order, in one round trip where the backend allows it. */
  abstract set(entries: readonly (readonly [string, string])[]): Promise<void>;
  abstract del(keys: readonly string[]): Promise<void>;
  /**
   * Writes then deletes, in order, as one unit where the backend can (a MULTI on single-node
   * Redis; a cluster spreads an environment's keys over slots, so there it is one pipeline).
   */
  abstract batch(
    sets: readonly (readonly [string, string])[],
    dels: readonly string[],
  ): Promise<void>;
  /**
   * Writes `value` only if `key` still holds `expected` (`null`: the key is absent), atomically
   * for every process sharing the backend; false when someone else wrote it first.
   */
  abstract compareAndSet(key: string, expected: string | null, value: string): Promise<boolean>;
  /** Every key containing `substring` (Harness scans with `MATCH *<substring>*`). */
  abstract scan(substring: string): Promise<string[]>;
  /** Resolves when the backend answers; rejects otherwise. */
  abstract ping(): Promise<void>;
}
