import { IpcChild } from '../lib/ipc.js';

/** The proxy key the bench's emulator is seeded with (`PROXY_KEY` of the primaries). */
export const BENCH_PROXY_KEY = 'bench-proxy-key-0000';

/**
 * The emulator's proxy token names every environment, so with thousands of them the primary's
 * `Authorization` header passes Node's default 16 KiB header limit (a 431): allow more.
 */
const MAX_HEADER_BYTES = 4 * 1024 * 1024;

export interface EmulatorProcess {
  child: IpcChild;
  /** The primary's settings: `CLIENT_SERVICE`, `METRIC_SERVICE`, `PROXY_KEY`. */
  primaryEnv: Record<string, string>;
}

/** `servers/emulator.ts` in a process of its own, seeded with generated environments. */
export async function startEmulator(environments: number, flags: number): Promise<EmulatorProcess> {
  const child = await IpcChild.start('servers/emulator.ts', [String(environments), String(flags)], {
    nodeArgs: [`--max-http-header-size=${MAX_HEADER_BYTES}`],
  });
  return {
    child,
    primaryEnv: {
      PROXY_KEY: BENCH_PROXY_KEY,
      CLIENT_SERVICE: child.ready.info?.url ?? '',
      METRIC_SERVICE: child.ready.info?.metricsUrl ?? '',
    },
  };
}
