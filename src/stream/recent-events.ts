/** What one environment's streams were sent lately, for streams that connect after it. */
interface Sent {
  frame: string;
  at: number;
}

/**
 * The event frames of the last `windowMs` per environment (at most `maxPerEnvironment` each),
 * kept so a stream that connects late still gets them. Per environment, so a connect reads only
 * its own environment's few frames, however many environments change.
 */
export class RecentEvents {
  private readonly byEnvironment = new Map<string, Sent[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxPerEnvironment: number,
  ) {}

  add(environment: string, frame: string, now = Date.now()): void {
    const sent = this.fresh(environment, now);
    sent.push({ frame, at: now });
    if (sent.length > this.maxPerEnvironment) {
      sent.splice(0, sent.length - this.maxPerEnvironment);
    }
    this.byEnvironment.set(environment, sent);
  }

  /** The environment's recent frames, oldest first, as one string ('' when there are none). */
  of(environment: string, now = Date.now()): string {
    return this.fresh(environment, now)
      .map((sent) => sent.frame)
      .join('');
  }

  private fresh(environment: string, now: number): Sent[] {
    const sent = this.byEnvironment.get(environment) ?? [];
    const first = sent.findIndex((s) => s.at > now - this.windowMs);
    if (first !== 0) {
      sent.splice(0, first < 0 ? sent.length : first);
    }
    if (sent.length === 0) {
      this.byEnvironment.delete(environment);
    }
    return sent;
  }
}
