// Owns the HTTP connection to the Harness service: proxy auth and token, paged config, the
// account stream request, per-environment refetches, metrics and target forwarding.
import { Module } from '@nestjs/common';
import { UpstreamClient } from './upstream.client.js';

@Module({ providers: [UpstreamClient], exports: [UpstreamClient] })
export class UpstreamModule {}
