/**
 * The peer: `@unleash/proxy` serving the bootstrap file's toggles on `/proxy/all`, with no
 * upstream fetches and no metrics (both intervals 0, set through the environment because the
 * option parser treats 0 as unset).
 *   node --import tsx bench/servers/peer.ts <bootstrap file> <client key>
 */
import type { AddressInfo } from 'node:net';
import unleashProxy from '@unleash/proxy';
import { exitWithParent, failStartup, reportReady } from '../lib/child-side.js';

async function main(): Promise<void> {
  const [filePath, clientKey] = process.argv.slice(2);
  if (!filePath || !clientKey) {
    throw new Error('usage: peer.ts <bootstrap file> <client key>');
  }
  const app = unleashProxy.createApp({
    // Never reached: the toggles come from the bootstrap file.
    unleashUrl: 'http://127.0.0.1:9/api/',
    unleashApiToken: 'bench-unused-token',
    clientKeys: [clientKey],
    enableAllEndpoint: true,
    expBootstrap: { filePath },
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  reportReady((server.address() as AddressInfo).port);
}

exitWithParent();
main().catch(failStartup);
