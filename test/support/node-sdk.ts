import { Client, Event, type Options, type Target } from '@harnessio/ff-nodejs-server-sdk';
import type { FlagKind } from '../../src/model/feature-config.js';

/** A silent logger so SDK retries do not flood the test output. */
const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** An in-memory AsyncKeyValueStore, one per client. */
function memoryStore(): NonNullable<Options['store']> {
  const values = new Map<string, unknown>();
  return {
    set: (key: string, value: unknown) => Promise.resolve((values.set(key, value), true as const)),
    get: <T>(key: string) => Promise.resolve(values.get(key) as T),
    del: (key: string) => Promise.resolve(values.delete(key)),
    keys: () => Promise.resolve(values.keys()),
  } as unknown as NonNullable<Options['store']>;
}

/**
 * An unmodified Harness Node server SDK pointed at the proxy. Each client gets its own cache and
 * store: the SDK's defaults are process-wide (a shared LRU and a FileStore on disk) and would mix
 * environments across clients.
 */
export function nodeSdkClient(sdkKey: string, baseUrl: string, options: Options = {}): Client {
  return new Client(sdkKey, {
    baseUrl,
    eventsUrl: baseUrl,
    // A Map satisfies the SDK's KeyValueStore (get/set/delete/keys).
    cache: new Map<string, unknown>() as unknown as Options['cache'],
    store: memoryStore(),
    logger: quietLogger,
    ...options,
  });
}

/**
 * Evaluates a flag with the SDK method for its kind, with defaults no real value can equal, so a
 * flag the SDK could not evaluate never passes for a real answer. Booleans are asked twice, with
 * both defaults: only a real evaluation gives the same answer both times.
 */
export function variation(
  client: Client,
  kind: FlagKind,
  flag: string,
  target: Target,
): Promise<unknown> {
  switch (kind) {
    case 'boolean':
      return Promise.all([
        client.boolVariation(flag, target, false),
        client.boolVariation(flag, target, true),
      ]).then(([a, b]) => (a === b ? a : '<<default>>'));
    case 'int':
      return client.numberVariation(flag, target, Number.NaN);
    case 'string':
      return client.stringVariation(flag, target, '<<default>>');
    case 'json':
      return client.jsonVariation(flag, target, { '<<default>>': true });
    default:
      throw new Error(`unknown flag kind ${String(kind)}`);
  }
}

/** Resolves with the identifier of the next flag the SDK reports as changed. */
export function nextChange(client: Client, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no change event from the SDK')), timeoutMs);
    const listener = (...args: unknown[]): void => {
      const identifier = args[0];
      clearTimeout(timer);
      client.off(Event.CHANGED, listener);
      resolve(String(identifier));
    };
    client.on(Event.CHANGED, listener);
  });
}

export { Event };
