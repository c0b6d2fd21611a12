import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { ClientConfigController } from '../../src/client-api/client-config.controller.js';
import { ClientEvaluationController } from '../../src/client-api/client-evaluation.controller.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';
import {
  PRODUCTION_CLIENT_SDK_KEY,
  PRODUCTION_ENV_UUID,
  PRODUCTION_SERVER_SDK_KEY,
  STAGING_ENV_UUID,
} from '../support/example-config.js';
import { authenticate, bearer, craftToken } from '../support/sdk-requests.js';

/** A composed interceptor that changes nothing: its presence alone keeps Nest's router. */
@Injectable()
class CountingInterceptor implements NestInterceptor {
  static readonly urls: string[] = [];
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    CountingInterceptor.urls.push(context.switchToHttp().getRequest<{ url: string }>().url);
    return next.handle();
  }
}

/** A spy on a controller method that keeps its route metadata, so Nest still maps the route. */
function spyOnRoute<T extends object>(prototype: T, name: keyof T & string): MockInstance {
  const original = prototype[name] as object;
  const spy = vi.spyOn(prototype, name as never);
  for (const key of Reflect.getMetadataKeys(original) as unknown[]) {
    Reflect.defineMetadata(key, Reflect.getMetadata(key, original) as unknown, spy);
  }
  return spy;
}

const handlers = [
  spyOnRoute(ClientConfigController.prototype, 'featureConfigs'),
  spyOnRoute(ClientConfigController.prototype, 'featureConfig'),
  spyOnRoute(ClientConfigController.prototype, 'targetSegments'),
  spyOnRoute(ClientConfigController.prototype, 'targetSegment'),
  spyOnRoute(ClientEvaluationController.prototype, 'all'),
];
const controllerCalls = (): number => handlers.reduce((sum, spy) => sum + spy.mock.calls.length, 0);

const env = `/client/env/${PRODUCTION_ENV_UUID}`;
const target = Buffer.from(JSON.stringify({ identifier: 'ann', attributes: { plan: 'pro' } }));

/** Every answer a byte route gives: each kind of success and each kind of refusal. */
function requests(server: string, client: string) {
  const auth = { authorization: `Bearer ${server}` };
  return [
    { url: `${env}/feature-configs`, headers: auth },
    { url: `${env}/feature-configs?cluster=2`, headers: { ...auth, 'accept-encoding': 'gzip' } },
    { url: `${env}/feature-configs/dark-mode`, headers: auth },
    { url: `${env}/feature-configs/no-such-flag`, headers: auth },
    { url: `${env}/target-segments`, headers: auth },
    { url: `${env}/target-segments?rules=v2`, headers: auth },
    { url: `${env}/target-segments/beta-testers?rules=v2`, headers: auth },
    { url: `${env}/target-segments/no-such-segment`, headers: auth },
    { url: `${env}/target/ann/evaluations`, headers: { authorization: `Bearer ${client}` } },
    {
      url: `${env}/target/ann/evaluations`,
      headers: { authorization: `Bearer ${client}`, 'harness-target': target.toString('base64') },
    },
    {
      url: `${env}/target/ann/evaluations`,
      headers: { authorization: `Bearer ${client}`, 'harness-target': 'not base64 json' },
    },
    { url: `/client/env/${STAGING_ENV_UUID}/feature-configs`, headers: auth },
    { url: `${env}/feature-configs`, headers: {} },
    { url: `${env}/feature-configs`, headers: { authorization: 'Bearer not.a.jwt' } },
    {
      url: `${env}/target/ann/evaluations`,
      headers: { authorization: `Bearer ${craftToken({ environment: PRODUCTION_ENV_UUID })}` },
    },
  ];
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

async function answers(t: TestApp): Promise<Answer[]> {
  const server = await authenticate(t.app, PRODUCTION_SERVER_SDK_KEY);
  const client = await authenticate(t.app, PRODUCTION_CLIENT_SDK_KEY);
  const out: Answer[] = [];
  for (const request of requests(server, client)) {
    const response = await t.app.inject({
      method: 'GET',
      url: request.url,
      headers: { ...request.headers, 'x-request-id': 'same-id', origin: 'https://app.example' },
    });
    const { date: _date, ...headers } = response.headers;
    out.push({ status: response.statusCode, headers, body: response.rawPayload.toString('hex') });
  }
  return out;
}

describe('SDK byte routes served by Fastify directly', () => {
  let direct: TestApp;
  let routed: TestApp;

  beforeAll(async () => {
    direct = await createTestApp({}, { inMemory: true });
    routed = await createTestApp(
      {},
      {
        inMemory: true,
        compose: { providers: [{ provide: APP_INTERCEPTOR, useClass: CountingInterceptor }] },
      },
    );
  });
  afterAll(async () => {
    await direct.close();
    await routed.close();
  });

  it('answers byte for byte, headers included, as Nest routing does', async () => {
    const before = controllerCalls();
    const fast = await answers(direct);
    // The stock app never reached a controller: its byte routes bypass Nest's router.
    expect(controllerCalls()).toBe(before);
    const slow = await answers(routed);
    expect(controllerCalls()).toBeGreaterThan(before);
    expect(fast.map((a) => a.status)).toEqual([
      200, 200, 200, 404, 200, 200, 200, 404, 200, 200, 200, 401, 401, 401, 401,
    ]);
    expect(fast).toEqual(slow);
  });

  it('keeps a composed interceptor on every byte route, evaluations included', async () => {
    const client = await authenticate(routed.app, PRODUCTION_CLIENT_SDK_KEY);
    CountingInterceptor.urls.length = 0;
    const response = await routed.app.inject({
      method: 'GET',
      url: `${env}/target/bob/evaluations`,
      headers: bearer(client),
    });
    expect(response.statusCode).toBe(200);
    expect(CountingInterceptor.urls).toEqual([`${env}/target/bob/evaluations`]);
  });
});
