import {
  BadRequestException,
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';
import type { Observable } from 'rxjs';

export const TENANT_HEADER = 'x-tenant';
export const TENANT_REQUESTS = 'ff_relay_example_tenant_requests_total';

/** Tenant names become label values: keep them short and few. */
const TENANT = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** The SDK API (route templates as Fastify matched them): what the header is required on. */
function isSdkRoute(route: string | undefined): route is string {
  return (
    route !== undefined &&
    (route.startsWith('/client/') || route === '/stream' || route === '/metrics/:environment_uuid')
  );
}

/**
 * Requires an `X-Tenant` header on every SDK request and counts requests per tenant and route.
 * It runs after ff-relay's guards, so an SDK route has already checked the token (the principal
 * is on `request.user`); a rejection here is an ordinary Nest exception and gets ff-relay's JSON
 * error body.
 */
@Injectable()
export class TenantInterceptor implements NestInterceptor {
  constructor(
    @InjectMetric(TENANT_REQUESTS) private readonly requests: Counter<'tenant' | 'route'>,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const route = request.routeOptions.url;
    if (!isSdkRoute(route)) {
      return next.handle();
    }
    const tenant = request.headers[TENANT_HEADER];
    if (typeof tenant !== 'string' || !TENANT.test(tenant)) {
      throw new BadRequestException(`${TENANT_HEADER} header required (a-z, 0-9, -; 1-40)`);
    }
    this.requests.inc({ tenant, route });
    // Headers set here reach every route, `/stream` included: the stream copies the reply's
    // headers when it takes over the socket. The body cannot be changed there (see
    // docs/extending.md).
    http.getResponse<FastifyReply>().header(TENANT_HEADER, tenant);
    return next.handle();
  }
}
