import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { makeCounterProvider } from '@willsoto/nestjs-prometheus';
import { TENANT_REQUESTS, TenantInterceptor } from './tenant.interceptor.js';

/** Imported beside ff-relay: `APP_INTERCEPTOR` makes the interceptor apply to every route. */
@Module({
  providers: [
    makeCounterProvider({
      name: TENANT_REQUESTS,
      help: 'SDK requests per tenant and route',
      labelNames: ['tenant', 'route'],
    }),
    { provide: APP_INTERCEPTOR, useClass: TenantInterceptor },
  ],
})
export class TenantModule {}
