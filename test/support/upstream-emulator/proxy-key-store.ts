import { newRawKey } from './key-material.js';

export interface ProxyKeyRecord {
  identifier: string;
  /** The raw key handed out by the last create or rotation. */
  current: string;
  /** Keys replaced by a rotation, each valid until its grace period ends. */
  previous: { raw: string; expiresAt: number }[];
  /** `all` mirrors the admin API's `scope: "all"`: new environments are covered automatically. */
  environments: 'all' | Set<string>;
}

/** setTimeout's longest delay; a longer grace period outlives any test run anyway. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Proxy keys as the Harness admin API manages them: create, rotate with grace, delete. */
export class ProxyKeyStore {
  private readonly keys = new Map<string, ProxyKeyRecord>();
  private readonly graceTimers = new Set<NodeJS.Timeout>();

  /** `onRevoked` runs whenever a rotated-out key stops being valid (its grace period ended). */
  constructor(
    private readonly environmentExists: (env: string) => boolean,
    private readonly onRevoked: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  add(identifier: string, environments: 'all' | string[] = 'all', raw = newRawKey()): string {
    if (this.keys.has(identifier)) {
      throw new Error(`proxy key ${identifier} already exists`);
    }
    const scope = environments === 'all' ? 'all' : new Set(environments);
    this.keys.set(identifier, { identifier, current: raw, previous: [], environments: scope });
    return raw;
  }

  get(identifier: string): ProxyKeyRecord | undefined {
    return this.keys.get(identifier);
  }

  identifiers(): string[] {
    return [...this.keys.keys()];
  }

  /** The key a raw value belongs to, if it is current or a rotated key still in its grace period. */
  findByRaw(raw: string): ProxyKeyRecord | undefined {
    const now = this.now();
    return [...this.keys.values()].find(
      (key) => key.current === raw || key.previous.some((p) => p.raw === raw && p.expiresAt > now),
    );
  }

  /** Issues a new raw key; the old one keeps working for `graceMs` (0 = revoked at once). */
  rotate(identifier: string, graceMs: number): string {
    const key = this.require(identifier);
    key.previous.push({ raw: key.current, expiresAt: this.now() + graceMs });
    key.current = newRawKey();
    if (graceMs === 0) {
      this.onRevoked();
    } else if (graceMs < MAX_TIMER_MS) {
      // Timers fire no earlier than asked; the extra millisecond makes the key expired by then.
      const timer = setTimeout(() => {
        this.graceTimers.delete(timer);
        this.onRevoked();
      }, graceMs + 1).unref();
      this.graceTimers.add(timer);
    }
    return key.current;
  }

  /** Ends the grace period of every rotated-out key now. */
  expirePrevious(identifier: string): void {
    this.require(identifier).previous = [];
    this.onRevoked();
  }

  /** Forgets pending grace-period ends (the emulator stops). */
  close(): void {
    this.graceTimers.forEach((timer) => clearTimeout(timer));
    this.graceTimers.clear();
  }

  delete(identifier: string): void {
    this.require(identifier);
    this.keys.delete(identifier);
  }

  covers(identifier: string, env: string): boolean {
    const scope = this.keys.get(identifier)?.environments;
    if (!scope || !this.environmentExists(env)) {
      return false;
    }
    return scope === 'all' || scope.has(env);
  }

  environmentsOf(identifier: string, allEnvironments: string[]): string[] {
    return allEnvironments.filter((env) => this.covers(identifier, env));
  }

  /** Adds an environment to keys with a `selected` scope (keys with `all` cover it anyway). */
  grant(identifier: string, env: string): void {
    const key = this.require(identifier);
    if (key.environments !== 'all') {
      key.environments.add(env);
    }
  }

  forget(env: string): void {
    this.keys.forEach((key) => key.environments !== 'all' && key.environments.delete(env));
  }

  private require(identifier: string): ProxyKeyRecord {
    const key = this.keys.get(identifier);
    if (!key) {
      throw new Error(`unknown proxy key ${identifier}`);
    }
    return key;
  }
}
