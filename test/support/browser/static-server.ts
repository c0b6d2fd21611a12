import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SDK's self-contained ESM browser build (its dependencies bundled in). */
const SDK_BUNDLE = createRequire(import.meta.url).resolve(
  '@harnessio/ff-javascript-client-sdk/dist/sdk.client.js',
);
const PAGE = fileURLToPath(new URL('flags-page.html', import.meta.url));

type Files = Readonly<Record<string, { path: string; type: string }>>;

const FILES: Files = {
  '/': { path: PAGE, type: 'text/html; charset=utf-8' },
  '/sdk.js': { path: SDK_BUNDLE, type: 'text/javascript; charset=utf-8' },
};

const JS = 'text/javascript; charset=utf-8';
const requireFrom = (module: string) =>
  createRequire(createRequire(import.meta.url).resolve(module));
const webProvider = createRequire(import.meta.url).resolve('@openfeature/ofrep-web-provider');
/** The ESM builds of the unmodified OpenFeature web SDK and OFREP web provider, as npm laid them out. */
export const OFREP_FILES: Files = {
  '/': {
    path: fileURLToPath(new URL('ofrep-page.html', import.meta.url)),
    type: 'text/html; charset=utf-8',
  },
  '/of/web-sdk.js': {
    path: createRequire(import.meta.url)
      .resolve('@openfeature/web-sdk')
      .replace('/cjs/', '/esm/'),
    type: JS,
  },
  '/of/core.js': {
    path: requireFrom('@openfeature/web-sdk')
      .resolve('@openfeature/core')
      .replace('/cjs/', '/esm/'),
    type: JS,
  },
  '/of/ofrep-core.js': {
    path: join(
      dirname(requireFrom('@openfeature/ofrep-web-provider').resolve('@openfeature/ofrep-core')),
      'index.esm.js',
    ),
    type: JS,
  },
  '/of/ofrep-web-provider.js': { path: join(dirname(webProvider), 'index.esm.js'), type: JS },
};

export interface StaticServer {
  /** Origin of the page, e.g. `http://127.0.0.1:41234`: never the proxy's origin. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the flags page and the SDK bundle (or `files`) on a port of its own, so SDK calls are
 * cross-origin.
 */
export async function startStaticServer(files: Files = FILES): Promise<StaticServer> {
  const server = createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://localhost').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    readFile(file.path).then(
      (body) => res.writeHead(200, { 'content-type': file.type }).end(body),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
