import { Logger } from '@nestjs/common';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A secret that verifies tokens: the current one (no end) or a previous one until its end. */
export interface Accepted {
  fingerprint: string;
  validUntil?: number;
}

/**
 * Tells listeners which SDK-token secrets stopped being accepted (a 0s rotation, a grace period
 * that ended), so that the streams their tokens opened end too. Checked whenever the secrets
 * change and at the next grace end, to the millisecond.
 */
export class SecretRetirement {
  private readonly logger = new Logger('SigningKeys');
  private accepted: Set<string>;
  private readonly listeners = new Set<(fingerprints: string[]) => void>();
  private timer?: NodeJS.Timeout;

  constructor(
    initial: string,
    private readonly secrets: (now: number) => Accepted[],
  ) {
    this.accepted = new Set([initial]);
  }

  onRetired(listener: (fingerprints: string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  check(): void {
    const now = Date.now();
    const live = this.secrets(now).filter((s) => s.validUntil === undefined || s.validUntil > now);
    const accepted = new Set(live.map((s) => s.fingerprint));
    const retired = [...this.accepted].filter((fp) => !accepted.has(fp));
    this.accepted = accepted;
    if (retired.length > 0) {
      this.logger.log({ retired }, 'token secrets retired: their SDK streams end');
      this.listeners.forEach((listener) => listener(retired));
    }
    clearTimeout(this.timer);
    const next = Math.min(...live.map((s) => s.validUntil ?? Number.POSITIVE_INFINITY));
    if (Number.isFinite(next)) {
      // Node fires a longer timeout at once; the refresh job checks every 2 s anyway.
      const delay = Math.min(Math.max(0, next - now), MAX_TIMEOUT_MS);
      this.timer = setTimeout(() => this.check(), delay).unref();
    }
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
