import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import { ADMIN_ROUTES } from '../common/routes.js';
import { METRIC_NAMES } from '../metrics/metric-names.js';
import { recordedCall } from './admin-call.js';

const ADMIN_PATH = /^\/admin(?:[/?]|$)/;

const ACTIONS = new Map<string, string>([
  [`GET /${ADMIN_ROUTES.keys}`, 'list-keys'],
  [`POST /${ADMIN_ROUTES.rotateAuthSecret}`, 'rotate-auth-secret'],
  [`POST /${ADMIN_ROUTES.rotateProxyKey}`, 'rotate-proxy-key'],
  [`PUT /${ADMIN_ROUTES.proxyKey}`, 'set-proxy-key'],
  [`POST /${ADMIN_ROUTES.sdkKeys}`, 'create-sdk-key'],
  [`DELETE /${ADMIN_ROUTES.sdkKey}`, 'remove-sdk-key'],
]);

const OUTCOMES: Readonly<Record<number, string>> = {
  400: 'invalid',
  401: 'unauthorised',
  403: 'primary-only',
  404: 'not-found',
  409: 'refused',
  422: 'refused',
  429: 'rate-limited',
  502: 'upstream-failed',
  503: 'not-stored',
};

/**
 * The audit trail of the Admin API: one structured log line and one count in
 * `ff_relay_admin_actions_total{action,outcome}` for every request under `/admin`, whatever its
 * outcome (a wrong token, a bad body, a replica's refusal, a failure), written when the answer
 * has been sent, so the outcome is the real one. Fingerprints and the client address only.
 */
@Injectable()
export class AdminAudit implements OnModuleInit {
  private readonly logger = new Logger('AdminAudit');

  constructor(
    @InjectMetric(METRIC_NAMES.adminActions)
    private readonly actions: Counter<'action' | 'outcome'>,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      if (ADMIN_PATH.test(request.url)) {
        this.record(request, reply.statusCode);
      }
      done();
    });
  }

  private record(request: FastifyRequest, status: number): void {
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const action = ACTIONS.get(`${method} ${request.routeOptions.url ?? ''}`) ?? 'unknown';
    const call = recordedCall(request);
    const outcome = call?.outcome ?? outcomeOf(status);
    this.actions.inc({ action, outcome });
    this.logger.log(
      { action, outcome, status, client: request.ip, requestId: request.id, ...call?.details },
      'admin action',
    );
  }
}

function outcomeOf(status: number): string {
  if (status < 400) {
    return 'ok';
  }
  return OUTCOMES[status] ?? (status < 500 ? 'invalid' : 'error');
}
