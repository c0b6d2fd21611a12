import { Redis } from 'ioredis';

/** One line of `CLUSTER NODES`, as one node sees the cluster. */
export interface ClusterNode {
  id: string;
  port: number;
  flags: Set<string>;
  /** The master's id for a replica, undefined for a master. */
  masterId?: string;
  /** Slot ranges served, inclusive (`[from, to]`); empty for a replica. */
  slots: [number, number][];
}

/** Parses `CLUSTER NODES` (migrating and importing slot markers are left out). */
export function parseClusterNodes(text: string): ClusterNode[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const [id = '', address = '', flags = '', master = '-', , , , , ...slots] = line.split(' ');
      const hostPort = address.split('@')[0] ?? '';
      return {
        id,
        port: Number.parseInt(hostPort.slice(hostPort.lastIndexOf(':') + 1), 10),
        flags: new Set(flags.split(',')),
        masterId: master === '-' ? undefined : master,
        slots: slots
          .filter((slot) => !slot.startsWith('['))
          .map((slot) => {
            const [from = '', to = from] = slot.split('-');
            return [Number.parseInt(from, 10), Number.parseInt(to, 10)] as [number, number];
          }),
      };
    });
}

export function servesSlot(node: ClusterNode, slot: number): boolean {
  return node.slots.some(([from, to]) => slot >= from && slot <= to);
}

/** A master the node believes alive (not `fail`, not `fail?`). */
export function isLiveMaster(node: ClusterNode): boolean {
  return node.flags.has('master') && !node.flags.has('fail') && !node.flags.has('fail?');
}

/**
 * One command on a short-lived connection of its own: its reply as text (null for a nil reply),
 * or undefined when the node does not answer (killed, still starting), so pollers try again.
 */
export async function ask(port: number, ...args: string[]): Promise<string | null | undefined> {
  const client = new Redis({
    port,
    lazyConnect: true,
    connectTimeout: 1_000,
    commandTimeout: 2_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [command = '', ...rest] = args;
    const reply = await client.call(command, ...rest);
    if (reply === null || typeof reply === 'string') {
      return reply;
    }
    return typeof reply === 'number' ? String(reply) : JSON.stringify(reply);
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

export async function clusterNodes(port: number): Promise<ClusterNode[] | undefined> {
  const text = await ask(port, 'CLUSTER', 'NODES');
  return typeof text === 'string' ? parseClusterNodes(text) : undefined;
}

/** Polls `probe` every 100 ms until it returns a value, or throws after `timeoutMs`. */
export async function pollFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() >= deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
