/**
 * The upstream emulator (our Harness SaaS stand-in) in a process of its own, seeded with
 * generated environments, so the primary's sync and SSE work is measured against a real socket.
 *   node --import tsx bench/servers/emulator.ts <environments> <flags per environment>
 * IPC: `{ cmd: 'toggle', env, flag }` flips a flag and answers the wall time it was sent at.
 */
import { UpstreamEmulator } from '../../test/support/upstream-emulator/upstream-emulator.js';
import { benchEnvironment } from '../data/generate.js';
import { exitWithParent, failStartup, reportReady, serve } from '../lib/child-side.js';
import { BENCH_PROXY_KEY } from './emulator-process.js';

async function main(): Promise<void> {
  const [envCount = '1', flagCount = '50'] = process.argv.slice(2);
  const environments = Array.from({ length: Number(envCount) }, (_, i) => {
    const env = benchEnvironment(i, Number(flagCount));
    return { id: env.id, apiKeys: [env.sdkKey], featureConfigs: env.flags, segments: env.segments };
  });
  const emulator = new UpstreamEmulator({
    seed: { environments },
    proxyKey: BENCH_PROXY_KEY,
    heartbeatMs: 5_000,
  });
  await emulator.start();
  serve((request) => {
    if (request.cmd === 'toggle') {
      const sentAt = performance.timeOrigin + performance.now();
      emulator.toggleFlag(String(request.env), String(request.flag));
      return sentAt;
    }
    if (request.cmd === 'streams') {
      return emulator.openStreams;
    }
    throw new Error(`unknown command ${String(request.cmd)}`);
  });
  reportReady(emulator.port, {
    url: emulator.url,
    metricsUrl: emulator.metricsUrl,
    proxyKey: emulator.proxyKey,
  });
}

exitWithParent();
main().catch(failStartup);
