import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { counterProvider, MetricsModule } from 'ff-relay';
import { TENANT_REQUESTS, TenantInterceptor } from './tenant.interceptor.js';

/**
 * Imported beside ff-relay: `APP_INTERCEPTOR` makes the interceptor apply to every route, and
 * the counter lives in ff-relay's own registry, so its `/metrics` serves it.
 */
@Module({
  imports: [MetricsModule],
  providers: [
    counterProvider({
      name: TENANT_REQUESTS,
      help: 'SDK requests per tenant and route',
      labelNames: ['tenant', 'route'],
    }),
    { provide: APP_INTERCEPTOR, useClass: TenantInterceptor },
  ],
})
export class TenantModule {}
