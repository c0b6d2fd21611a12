import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface MonitoredCommand {
  db: number;
  /** The command and its arguments, as sent. */
  args: string[];
}

/**
 * `redis-cli MONITOR` in a process of its own: ioredis's monitor mode can mistake another
 * client's traffic for a reply to its own connection ("Command queue state error").
 */
export class RedisMonitor {
  private constructor(private readonly child: ChildProcess) {}

  /** Resolves once Redis has started reporting commands to `onCommand`. */
  static start(
    port: number,
    onCommand: (command: MonitoredCommand) => void,
  ): Promise<RedisMonitor> {
    const child = spawn('redis-cli', ['-p', String(port), 'monitor'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      lines.on('line', (line) => {
        if (line === 'OK') {
          resolve(new RedisMonitor(child));
          return;
        }
        const parsed = /^\d+\.\d+ \[(\d+) [^\]]*\] (.*)$/.exec(line);
        if (parsed) {
          const args = [...(parsed[2] ?? '').matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(
            (m) => m[1] ?? '',
          );
          onCommand({ db: Number(parsed[1]), args });
        }
      });
    });
  }

  stop(): void {
    this.child.kill();
  }
}
