import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PprofProfiles, ProfileBusyError } from './pprof-profiles.js';

/** Go's default duration, and a bound so a typo cannot hold a profile open for hours. */
const DEFAULT_SECONDS = 30;
const MAX_SECONDS = 300;
const SECONDS = /^\d{1,4}$/;
/** Only a port-forward or a shell in the pod reaches it, as with the Go proxy's `localhost:6060`. */
const HOST = '127.0.0.1';

const INDEX = `ff-relay profiles (pprof format; read them with \`go tool pprof URL\`):
/debug/pprof/profile?seconds=N  CPU profile of the JavaScript thread, N seconds (default ${DEFAULT_SECONDS}, at most ${MAX_SECONDS})
/debug/pprof/heap               live heap, sampled every 512 KiB allocated since start
`;

interface Answer {
  status: number;
  body: Buffer | string;
  type: string;
  /** Profiles are downloads, named as Go names them. */
  filename?: string;
}

const PROFILE_TYPE = 'application/octet-stream';

/**
 * `PPROF=true`: the Go proxy's pprof server, at its paths, on 127.0.0.1 only. Heap sampling
 * starts with the module, as Go's runtime samples from its start.
 */
@Injectable()
export class PprofListener implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PprofListener.name);
  private profiles?: PprofProfiles;
  private server?: Server;

  constructor(private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    this.profiles = await PprofProfiles.load();
    this.profiles.startHeapSampling();
  }

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.profiling.pprofPort;
    const server = createServer((request, response) => void this.serve(request, response));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, HOST, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      // As in the Go proxy, profiles are a diagnostic aid: SDKs are served without them.
      this.logger.warn({ err, port }, 'PPROF: cannot listen for profiles; serving without them');
      return;
    }
    this.server = server;
    this.logger.log({ address: `${HOST}:${port}` }, 'PPROF: serving pprof profiles');
  }

  async onApplicationShutdown(): Promise<void> {
    this.profiles?.cancel();
    const server = this.server;
    this.server = undefined;
    if (server) {
      const closed = new Promise((resolve) => server.close(resolve));
      server.closeAllConnections();
      await closed;
    }
    this.profiles?.stopHeapSampling();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let answer: Answer;
    try {
      answer = await this.answer(request);
    } catch (err) {
      this.logger.warn({ err }, 'PPROF: could not take a profile');
      answer = problem(500, 'INTERNAL', 'the profile could not be taken');
    }
    const { filename } = answer;
    response.writeHead(answer.status, {
      'Content-Type': answer.type,
      'X-Content-Type-Options': 'nosniff',
      ...(filename ? { 'Content-Disposition': `attachment; filename="${filename}"` } : {}),
    });
    response.end(request.method === 'HEAD' ? undefined : answer.body);
  }

  /** Loaded at module init, before the listener starts. */
  private loaded(): PprofProfiles {
    if (!this.profiles) {
      throw new Error('the profiler is not loaded yet');
    }
    return this.profiles;
  }

  private async answer(request: IncomingMessage): Promise<Answer> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return problem(405, 'METHOD_NOT_ALLOWED', 'profiles are read with GET');
    }
    const url = new URL(request.url ?? '/', 'http://pprof');
    switch (url.pathname) {
      case '/debug/pprof':
      case '/debug/pprof/':
        return { status: 200, body: INDEX, type: 'text/plain; charset=utf-8' };
      case '/debug/pprof/heap':
        return {
          status: 200,
          body: await this.loaded().heap(),
          type: PROFILE_TYPE,
          filename: 'heap',
        };
      case '/debug/pprof/profile':
        return this.cpu(url.searchParams.get('seconds'));
      default:
        return problem(404, 'NOT_FOUND', `no profile at ${url.pathname}; see /debug/pprof/`);
    }
  }

  private async cpu(seconds: string | null): Promise<Answer> {
    const duration = seconds === null ? DEFAULT_SECONDS : Number(seconds);
    if ((seconds !== null && !SECONDS.test(seconds)) || duration < 1 || duration > MAX_SECONDS) {
      return problem(400, 'BAD_REQUEST', `seconds must be a whole number from 1 to ${MAX_SECONDS}`);
    }
    try {
      const profile = await this.loaded().cpu(duration);
      return profile
        ? { status: 200, body: profile, type: PROFILE_TYPE, filename: 'profile' }
        : problem(503, 'SHUTTING_DOWN', 'the relay is shutting down');
    } catch (err) {
      if (err instanceof ProfileBusyError) {
        return problem(409, 'CONFLICT', err.message);
      }
      throw err;
    }
  }
}

function problem(status: number, code: string, message: string): Answer {
  const body = JSON.stringify({ statusCode: status, code, message });
  return { status, body, type: 'application/json; charset=utf-8' };
}
