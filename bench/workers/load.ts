/**
 * The load generator: autocannon in a process of its own, so its CPU shows up apart from the
 * server's. IPC `{ cmd: 'run', ...LoadSpec }` answers a {@link LoadResult}.
 */
import autocannon, { type Request, type RequestSpec } from 'autocannon';
import { userTarget } from '../data/generate.js';
import { exitWithParent, reportReady, serve } from '../lib/child-side.js';

/** How each request differs from the last: a new target (client SDKs) or none. */
export type Variation =
  | { kind: 'none' }
  /** `{id}` in the path becomes the target id; the target goes in `Harness-Target` (JS SDK). */
  | { kind: 'harness-target'; pathTemplate: string }
  /** The same target as a query context, as Unleash proxy clients send it. */
  | { kind: 'unleash-context'; path: string };

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  variation: Variation;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  /** Bytes received per answer, headers included (what goes over the wire). */
  bytesPerAnswer: number;
}

/** Distinct across every run of this process, so no two requests share a target. */
let nextUser = 1_000_000;

function harnessTarget(template: string): (request: Request) => Request {
  return (request) => {
    const target = userTarget(nextUser++);
    const header = Buffer.from(JSON.stringify(target)).toString('base64');
    return {
      ...request,
      path: template.replace('{id}', target.identifier),
      headers: { ...request.headers, 'Harness-Target': header },
    };
  };
}

function unleashContext(path: string): (request: Request) => Request {
  return (request) => {
    const { identifier, attributes = {} } = userTarget(nextUser++);
    const query = new URLSearchParams({ userId: identifier });
    for (const [name, value] of Object.entries(attributes)) {
      query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
    return { ...request, path: `${path}?${query.toString()}` };
  };
}

function requests(variation: Variation): RequestSpec[] | undefined {
  if (variation.kind === 'harness-target') {
    return [{ setupRequest: harnessTarget(variation.pathTemplate) }];
  }
  if (variation.kind === 'unleash-context') {
    return [{ setupRequest: unleashContext(variation.path) }];
  }
  return undefined;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    requests: requests(spec.variation),
  });
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    bytesPerAnswer: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  };
}

exitWithParent();
serve((request) => {
  if (request.cmd !== 'run') {
    throw new Error(`unknown command ${String(request.cmd)}`);
  }
  return run(request.spec as LoadSpec);
});
reportReady();
