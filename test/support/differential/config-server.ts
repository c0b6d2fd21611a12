import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { signJwt } from '../upstream-emulator/jwt.js';
import type { DifferentialEnvironment } from './build-environment.js';

const CLUSTER = '1';

/**
 * The three routes a polling Node server SDK reads, serving any number of generated environments
 * side by side, each under its own environment id and SDK key.
 */
export class ConfigServer {
  private readonly app: FastifyInstance = Fastify();
  private readonly environments = new Map<string, DifferentialEnvironment>();
  private created = 0;

  constructor() {
    this.app.post<{ Body: { apiKey?: string } }>('/client/auth', (request, reply) => {
      const environment = environmentOfKey(request.body.apiKey ?? '');
      if (!this.environments.has(environment)) {
        return reply.code(403).send({ message: 'unknown SDK key' });
      }
      // The SDK only decodes the payload; the signature is never checked.
      return { authToken: signJwt({ environment, clusterIdentifier: CLUSTER }, 'unchecked') };
    });
    this.app.get<{ Params: { env: string } }>(
      '/client/env/:env/feature-configs',
      (request, reply) => this.serve(request.params.env, reply, (env) => env.flags),
    );
    this.app.get<{ Params: { env: string } }>(
      '/client/env/:env/target-segments',
      (request, reply) => this.serve(request.params.env, reply, (env) => env.segments),
    );
  }

  /** Starts listening on a free port and resolves with the base URL. */
  start(): Promise<string> {
    return this.app.listen({ port: 0, host: '127.0.0.1' });
  }

  close(): Promise<void> {
    return this.app.close();
  }

  /** Serves `environment` until `remove` is called; resolves the SDK key for it. */
  add(environment: DifferentialEnvironment): { sdkKey: string; remove: () => void } {
    const id = `env-${this.created++}`;
    this.environments.set(id, environment);
    return { sdkKey: `key:${id}`, remove: () => this.environments.delete(id) };
  }

  private serve(
    id: string,
    reply: FastifyReply,
    select: (environment: DifferentialEnvironment) => unknown,
  ): unknown {
    const environment = this.environments.get(id);
    return environment ? select(environment) : reply.code(404).send({ message: 'unknown env' });
  }
}

const environmentOfKey = (sdkKey: string): string => sdkKey.replace(/^key:/, '');
