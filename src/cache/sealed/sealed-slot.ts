import { createHmac, scryptSync, timingSafeEqual } from 'node:crypto';
import { open, seal } from '../../common/sealed-box.js';
import { CacheStore } from '../cache-store.js';

export type SealedReading =
  | { kind: 'missing' }
  | { kind: 'unreadable' }
  | { kind: 'sealed'; epoch: number; plaintext: string };

export type MarkerReading =
  | { kind: 'absent' }
  | { kind: 'valid'; epoch: number; fingerprint: string }
  /** Written under another configured secret (it was changed): not ours to judge. */
  | { kind: 'foreign' }
  /** Not JSON, not our shape, or its MAC does not verify: altered. */
  | { kind: 'damaged' };

export interface SlotReading {
  sealed: SealedReading;
  marker: MarkerReading;
  /** The stored box as read, for a compare-and-set. */
  raw: string | null;
  /** False when neither key changed since the previous read (nothing new to judge). */
  changed: boolean;
}

/** The highest epoch a reading proves was written: its box's, or its valid marker's. */
export function highestEpoch(reading: SlotReading): number {
  return Math.max(
    reading.sealed.kind === 'sealed' ? reading.sealed.epoch : -1,
    reading.marker.kind === 'valid' ? reading.marker.epoch : -1,
  );
}

const FINGERPRINT = /^[0-9a-f]{12}$/;
const HEX = (length: number) => new RegExp(`^[0-9a-f]{${length}}$`);

/**
 * One piece of sealed state in the cache and its marker. The box holds the state, encrypted
 * under the configured secret with its epoch authenticated. The marker, written after it, holds
 * in clear the epoch and the fingerprint of what is in service, with a MAC under a key derived
 * from the same secret: an instance that cannot open the box (or finds it gone) still learns
 * from it what the other instances run on, and a forged marker is told from a true one. A
 * `root` id (derived, so it reveals no more than the MAC) tells a marker written under another
 * configured secret from a damaged one. See docs/sealed-state.md.
 */
export class SealedSlot {
  private keyMaterial?: { key: Buffer; root: string };
  private last?: { raw: string | null; rawMarker: string | null; reading: SlotReading };

  constructor(
    private readonly store: CacheStore,
    readonly purpose: string,
    private readonly keys: { sealed: string; marker: string },
    private readonly password: string,
  ) {}

  /** The marker first, then the box: a marker is written after its box, so never ahead of it. */
  async read(): Promise<SlotReading> {
    const rawMarker = await this.fetch(this.keys.marker);
    const raw = await this.fetch(this.keys.sealed);
    if (this.last && this.last.raw === raw && this.last.rawMarker === rawMarker) {
      return { ...this.last.reading, changed: false };
    }
    const reading: SlotReading = {
      sealed: this.openBox(raw),
      marker: this.verify(rawMarker),
      raw,
      changed: true,
    };
    this.last = { raw, rawMarker, reading };
    return reading;
  }

  /** The box, then its marker. Returns the box as stored. */
  async write(plaintext: string, epoch: number, fingerprint: string): Promise<string> {
    const box = seal(plaintext, this.password, { purpose: this.purpose, epoch });
    this.forgetLastRead();
    await this.store.set([[this.keys.sealed, box]]);
    await this.writeMarker(epoch, fingerprint);
    return box;
  }

  /**
   * As {@link write}, only if the box is still `expected` (compare-and-set): false when another
   * writer got there first.
   */
  async writeIfUnchanged(
    expected: string | null,
    plaintext: string,
    epoch: number,
    fingerprint: string,
  ): Promise<boolean> {
    const box = seal(plaintext, this.password, { purpose: this.purpose, epoch });
    this.forgetLastRead();
    if (!(await this.store.compareAndSet(this.keys.sealed, expected, box))) {
      return false;
    }
    await this.writeMarker(epoch, fingerprint);
    return true;
  }

  async writeMarker(epoch: number, fingerprint: string): Promise<void> {
    const { root } = this.material();
    const marker = { epoch, fingerprint, root, mac: this.mac(epoch, fingerprint) };
    this.forgetLastRead();
    await this.store.set([[this.keys.marker, JSON.stringify(marker)]]);
  }

  /**
   * After a write of ours the next read is judged whatever it finds: a Redis writer that puts
   * back exactly the values read before our write (a restored snapshot) must not pass for
   * "unchanged".
   */
  private forgetLastRead(): void {
    this.last = undefined;
  }

  /** A key holding another Redis type reads as damaged, not as an error that stops the caller. */
  private async fetch(key: string): Promise<string | null> {
    try {
      return await this.store.get(key);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('WRONGTYPE')) {
        return '';
      }
      throw err;
    }
  }

  private openBox(raw: string | null): SealedReading {
    if (raw === null) {
      return { kind: 'missing' };
    }
    const opened = open(raw, this.password, this.purpose);
    return opened ? { kind: 'sealed', ...opened } : { kind: 'unreadable' };
  }

  private verify(raw: string | null): MarkerReading {
    if (raw === null) {
      return { kind: 'absent' };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return { kind: 'damaged' };
    }
    const { epoch, fingerprint, root, mac } = (parsed ?? {}) as Record<string, unknown>;
    if (
      !Number.isSafeInteger(epoch) ||
      (epoch as number) < 0 ||
      typeof fingerprint !== 'string' ||
      !FINGERPRINT.test(fingerprint) ||
      typeof root !== 'string' ||
      !HEX(16).test(root) ||
      typeof mac !== 'string' ||
      !HEX(64).test(mac)
    ) {
      return { kind: 'damaged' };
    }
    if (root !== this.material().root) {
      return { kind: 'foreign' };
    }
    const expected = Buffer.from(this.mac(epoch as number, fingerprint), 'hex');
    return timingSafeEqual(expected, Buffer.from(mac, 'hex'))
      ? { kind: 'valid', epoch: epoch as number, fingerprint }
      : { kind: 'damaged' };
  }

  private mac(epoch: number, fingerprint: string): string {
    return createHmac('sha256', this.material().key)
      .update(`${this.purpose}.${epoch}.${fingerprint}`)
      .digest('hex');
  }

  /** Derived once (scrypt, as slow to guess from as the box itself). */
  private material(): { key: Buffer; root: string } {
    if (!this.keyMaterial) {
      const key = scryptSync(this.password, `ff-relay-marker/${this.purpose}`, 32, { N: 2 ** 14 });
      const root = createHmac('sha256', key).update('root').digest('hex').slice(0, 16);
      this.keyMaterial = { key, root };
    }
    return this.keyMaterial;
  }
}
