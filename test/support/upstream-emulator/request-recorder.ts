import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface RecordedRequest {
  method: string;
  /** Full path without the query string, base path included. */
  path: string;
  /** The path after the base path it was served under, e.g. `/proxy/config`. */
  route: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON (or the raw string) for requests with a body; undefined otherwise. */
  body: unknown;
  /** Set once the response has been sent; for a stream, when it ends. */
  status?: number;
  at: number;
}

export interface RequestFilter {
  method?: string;
  /** Exact route (`/proxy/config`) or a pattern (`/^\/client\/env\//`). */
  route?: string | RegExp;
}

function parseQuery(url: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of new URL(url, 'http://emulator').searchParams) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [previous, value].flat();
  }
  return query;
}

/** Keeps every request the emulator sees, in arrival order, for tests to assert on. */
export class RequestRecorder {
  private readonly records: RecordedRequest[] = [];
  private readonly byRequest = new WeakMap<FastifyRequest, RecordedRequest>();

  constructor(private readonly basePaths: string[]) {}

  register(app: FastifyInstance): void {
    app.addHook('onRequest', (request, _reply, done) => {
      const path = request.url.split('?')[0] ?? '';
      const record: RecordedRequest = {
        method: request.method,
        path,
        route: this.routeOf(path),
        query: parseQuery(request.url),
        headers: { ...request.headers },
        body: undefined,
        at: Date.now(),
      };
      this.records.push(record);
      this.byRequest.set(request, record);
      done();
    });
    app.addHook('preHandler', (request, _reply, done) => {
      const record = this.byRequest.get(request);
      if (record) {
        record.body = request.body;
      }
      done();
    });
    app.addHook('onResponse', (request, reply, done) => {
      const record = this.byRequest.get(request);
      if (record) {
        record.status = reply.statusCode;
      }
      done();
    });
  }

  list(filter: RequestFilter = {}): RecordedRequest[] {
    return this.records.filter(
      (r) =>
        (filter.method === undefined || r.method === filter.method.toUpperCase()) &&
        (filter.route === undefined ||
          (typeof filter.route === 'string'
            ? r.route === filter.route
            : filter.route.test(r.route))),
    );
  }

  clear(): void {
    this.records.length = 0;
  }

  private routeOf(path: string): string {
    const base = this.basePaths
      .filter((b) => b !== '' && (path === b || path.startsWith(`${b}/`)))
      .sort((a, b) => b.length - a.length)[0];
    return base === undefined ? path : path.slice(base.length) || '/';
  }
}
