/**
 * Which stage of serving a request a profile sample belongs to. A sample goes to the stage of the
 * frame nearest its leaf that names one, so a Node or V8 helper (an HMAC, a Buffer copy, an event
 * emit) counts for the library that called it; frames that name none (microtask queue, timers,
 * generic Node internals) pass the question to their caller.
 */
export interface StageFrame {
  functionName: string;
  owner: string;
}

interface Stage {
  name: string;
  matches(frame: StageFrame): boolean;
}

const owners =
  (...names: string[]) =>
  (frame: StageFrame): boolean =>
    names.some((name) => frame.owner === name || frame.owner.startsWith(`${name}/`));

const MODULE_LOADING = new Set([
  'wrapSafe',
  'compileSourceTextModule',
  'compileFunctionForCJSLoader',
  'internalModuleStat',
  'parseCJS',
  'parseSource',
  'defaultGetFormatWithoutErrors',
  'realpathSync',
  'openFileHandle',
]);

const SOCKET_WRITES = new Set([
  'writev',
  'writeBuffer',
  'writevGeneric',
  'writeGeneric',
  'Socket._writeGeneric',
  'Socket._writev',
]);

export const STAGES: readonly Stage[] = [
  { name: 'GC', matches: (f) => f.functionName === '(garbage collector)' },
  {
    name: 'socket writes (syscalls: the floor the ceiling pays too)',
    matches: (f) => SOCKET_WRITES.has(f.functionName),
  },
  { name: 'boot: loading modules', matches: (f) => MODULE_LOADING.has(f.functionName) },
  {
    name: 'JWT: passport-jwt/jsonwebtoken verify or sign, HMAC',
    matches: (f) =>
      owners('jws', 'jwa', 'jsonwebtoken', 'passport', 'passport-jwt', '@nestjs/passport')(f) ||
      owners('@nestjs/jwt', 'lodash.includes', 'lodash.isplainobject', 'lodash.once')(f) ||
      owners('ff-relay auth/jwt.strategy', 'ff-relay auth/signing-keys.service')(f),
  },
  {
    name: 'validation: class-validator, class-transformer',
    matches: owners('class-validator', 'class-transformer', 'validator'),
  },
  {
    name: 'flag evaluation',
    matches: (f) => f.owner.startsWith('ff-relay evaluation/') || owners('murmurhash', 're2js')(f),
  },
  {
    name: 'answer bytes: JSON.stringify, Buffer, evaluations memo',
    matches: owners('ff-relay client-api/environment-evaluator', 'node buffer'),
  },
  { name: 'logging (pino)', matches: owners('pino', 'pino-http', 'nestjs-pino') },
  { name: 'upstream HTTP client (undici fetch)', matches: owners('undici') },
  {
    name: 'Redis client (ioredis)',
    matches: owners('ioredis', 'redis-parser', '@ioredis/commands'),
  },
  {
    name: 'Nest: router, guards, interceptors, pipes, middie',
    matches: owners(
      '@nestjs/core',
      '@nestjs/common',
      '@nestjs/platform-fastify',
      '@nestjs/throttler',
      '@fastify/middie',
      'reflect-metadata',
      'rxjs',
    ),
  },
  {
    name: 'Fastify and Node HTTP: parse, route, headers, hooks',
    matches: (f) =>
      owners('fastify', 'find-my-way', '@fastify/cors', 'secure-json-parse', 'toad-cache')(f) ||
      owners('ff-relay http-server', 'node _http_server', 'node _http_outgoing')(f) ||
      owners('node _http_common', 'node _http_incoming', 'node net')(f),
  },
  {
    name: 'peer only: Express, unleash-client evaluation',
    matches: owners('express', 'router', 'unleash-client', '@unleash/proxy', 'qs', 'murmurhash3js'),
  },
  {
    name: 'ff-relay: other (controllers, services, cache)',
    matches: (f) => f.owner.startsWith('ff-relay'),
  },
];

export const UNCLASSIFIED = 'other: Node internals, microtasks, (program)';

/** `stack` runs from the sampled frame (leaf) to the root. */
export function stageOf(stack: readonly StageFrame[]): string {
  for (const frame of stack) {
    const stage = STAGES.find((s) => s.matches(frame));
    if (stage) {
      return stage.name;
    }
  }
  return UNCLASSIFIED;
}
