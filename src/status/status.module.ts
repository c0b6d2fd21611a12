// Owns the in-process sync status (config loaded? upstream stream connected?) that sync writes
// and health, streaming and the readiness gate read.
import { Module } from '@nestjs/common';
import { ProxyStatus } from './proxy-status.service.js';

@Module({ providers: [ProxyStatus], exports: [ProxyStatus] })
export class StatusModule {}
