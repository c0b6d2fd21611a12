import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { type NodeChild, ROOT, startNode, type SpawnOptions, stopChild } from './children.js';

/** Messages every harness child sends its parent. */
export type ChildMessage =
  | { type: 'ready'; port?: number; info?: Record<string, string> }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id?: number; message: string };

const isChildMessage = (value: unknown): value is ChildMessage =>
  typeof value === 'object' && value !== null && 'type' in value;

/** A harness child (server or worker, TypeScript) that talks over IPC. */
export class IpcChild {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();

  private constructor(
    readonly node: NodeChild,
    readonly ready: { port?: number; info?: Record<string, string> },
  ) {
    node.child.on('message', (message: unknown) => this.onMessage(message));
    void node.exited.then((code) => {
      for (const { reject } of this.pending.values()) {
        reject(new Error(`child exited with ${code}:\n${node.output()}`));
      }
      this.pending.clear();
    });
  }

  /** Starts `bench/<script>` and waits for its `ready` message. */
  static async start(
    script: string,
    args: string[] = [],
    options: SpawnOptions = {},
    timeoutMs = 120_000,
  ): Promise<IpcChild> {
    const node = startNode(join(ROOT, 'bench', script), args, {
      ...options,
      typescript: true,
      ipc: true,
    });
    const ready = await firstReady(node.child, timeoutMs).catch((error: unknown) => {
      node.child.kill('SIGKILL');
      throw new Error(`${script}: ${String(error)}\n${node.output()}`);
    });
    return new IpcChild(node, ready);
  }

  get pid(): number {
    return this.node.pid;
  }

  get port(): number {
    if (this.ready.port === undefined) {
      throw new Error('this child has no port');
    }
    return this.ready.port;
  }

  /** Sends a request; resolves with the child's `result` for it. */
  call<T>(request: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: (value) => resolve(value as T), reject });
      this.node.child.send({ ...request, id });
    });
  }

  kill(): void {
    this.node.child.kill('SIGKILL');
  }

  /** SIGTERM first, so a `--cpu-prof` profile gets written. */
  stop(): Promise<void> {
    return stopChild(this.node);
  }

  private onMessage(message: unknown): void {
    if (!isChildMessage(message) || message.type === 'ready' || message.id === undefined) {
      return;
    }
    const waiter = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.type === 'error') {
      waiter?.reject(new Error(message.message));
    } else {
      waiter?.resolve(message.value);
    }
  }
}

function firstReady(
  child: ChildProcess,
  timeoutMs: number,
): Promise<{ port?: number; info?: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('not ready in time')), timeoutMs);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready`)));
    child.on('message', (message: unknown) => {
      if (isChildMessage(message) && message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (isChildMessage(message) && message.type === 'error') {
        reject(new Error(message.message));
      }
    });
  });
}
