import type { Cluster, Redis } from 'ioredis';

type Connection = Redis | Cluster;

/**
 * REDIS_CON_MAX_LIFETIME_MINUTES: how long each connection has been up (since its last connect),
 * and a check that calls `replace` once the command connection has been up that long. 0 turns
 * it off. Stream readers ask {@link expired} between reads themselves.
 */
export class ConnectionAges {
  private readonly readyAt = new WeakMap<Connection, number>();
  private readonly timer?: NodeJS.Timeout;
  private replacing = false;

  constructor(
    private readonly lifetimeMs: number,
    commands: () => Connection,
    replace: () => Promise<void>,
  ) {
    if (lifetimeMs <= 0) {
      return;
    }
    this.timer = setInterval(
      () => {
        const current = commands();
        if (!this.replacing && current.status === 'ready' && this.expired(current)) {
          this.replacing = true;
          void replace().finally(() => (this.replacing = false));
        }
      },
      Math.min(1_000, lifetimeMs / 4),
    ).unref();
  }

  track(connection: Connection): void {
    if (connection.status === 'ready') {
      this.readyAt.set(connection, Date.now());
    }
    connection.on('ready', () => this.readyAt.set(connection, Date.now()));
  }

  expired(connection: Connection): boolean {
    const since = this.readyAt.get(connection);
    return this.lifetimeMs > 0 && since !== undefined && Date.now() - since >= this.lifetimeMs;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
