/** The proxy key the bench's emulator is seeded with (`PROXY_KEY` of the primaries). */
export const BENCH_PROXY_KEY = 'bench-proxy-key-0000';
