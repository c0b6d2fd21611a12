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

type KeyValueStore = NonNullable<Options['cache']>;
type AsyncKeyValueStore = NonNullable<Options['store']>;

/** The SDK's in-memory cache, one per client. */
class MemoryCache implements KeyValueStore {
  private readonly values = new Map<string, unknown>();

  set(key: string, value: unknown): void {
    this.values.set(key, value);
  }

  get(key: string): unknown {
    return this.values.get(key);
  }

  delete(key: string): void {
    this.values.delete(key);
  }

  *keys(): Generator<string, void, void> {
    yield* this.values.keys();
  }
}

/** The SDK's store, in memory, one per client. */
class MemoryStore implements AsyncKeyValueStore {
  private readonly values = new Map<string, unknown>();

  set(key: string, value: unknown): Promise<true> {
    this.values.set(key, value);
    return Promise.resolve(true);
  }

  /** The SDK reads back what it stored under the same key, so `T` is what it wrote. */
  get<T>(key: string): Promise<T> {
    return Promise.resolve(this.values.get(key) as T);
  }

  del(key: string): Promise<boolean> {
    return Promise.resolve(this.values.delete(key));
  }

  keys(): Promise<Generator<string, void, void>> {
    const values = this.values;
    return Promise.resolve(
      (function* () {
        yield* values.keys();
      })(),
    );
  }
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
    cache: new MemoryCache(),
    store: new MemoryStore(),
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
