// Owns the HTTP connection to the Harness service: proxy auth and token, paged config, the
// account stream request, per-environment refetches, metrics and target forwarding.
import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ProxyKey } from './proxy-key.js';
import { UpstreamAdminClient } from './upstream-admin.client.js';
import { UpstreamClient } from './upstream.client.js';

@Module({
  imports: [MetricsModule],
  providers: [UpstreamClient, UpstreamAdminClient, ProxyKey],
  exports: [UpstreamClient, UpstreamAdminClient, ProxyKey],
})
export class UpstreamModule {}
