// Owns SDK authentication: POST /client/auth (key lookup, token issue, target registration) and
// the global JwtAuthGuard that checks every other SDK route. Reads keys through the cache; with
// FORWARD_TARGETS, re-sends SDK targets to Harness through the upstream client.
import { createSecretKey } from 'node:crypto';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { CacheModule } from '../cache/cache.module.js';
import { AppConfig } from '../config/app-config.js';
import { StatusModule } from '../status/status.module.js';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { UpstreamModule } from '../upstream/upstream.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { ReadinessGuard } from './readiness.guard.js';
import { RouteMarkings } from './route-markings.js';
import { JwtStrategy } from './jwt.strategy.js';
import { SigningKeysModule } from './signing-keys.module.js';
import { TargetForwarder } from './target-forwarder.service.js';

const IMPORTS = [
  // One client address may authenticate AUTH_RATE_LIMIT times a minute (SDKs do once per start);
  // a flood of guesses gets 429s. Counted per instance.
  ThrottlerModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      throttlers: [{ name: 'auth', ttl: 60_000, limit: config.auth.rateLimitPerMinute }],
      skipIf: () => config.auth.rateLimitPerMinute === 0,
    }),
  }),
  CacheModule,
  SigningKeysModule,
  StatusModule,
  UpstreamModule,
  PassportModule,
  JwtModule.registerAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      // A KeyObject: a string secret is re-parsed (as a private key first) on every signature.
      privateKey: createSecretKey(Buffer.from(config.auth.secret)),
      // No expiry, like the Go proxy: SDKs never refresh their token.
      signOptions: { algorithm: 'HS256' },
    }),
  }),
];

@Module({})
export class AuthModule {
  static register(config: AppConfig): DynamicModule {
    // A read replica makes no upstream call at all; offline has no upstream.
    const forwardTargets = config.mode === 'primary' && config.upstream.forwardTargets;
    return {
      module: AuthModule,
      imports: IMPORTS,
      controllers: [AuthController],
      providers: [
        AuthService,
        {
          provide: TargetForwarder,
          inject: [UpstreamClient],
          useFactory: (upstream: UpstreamClient) => new TargetForwarder(upstream, forwardTargets),
        },
        JwtStrategy,
        RouteMarkings,
        // In this order: readiness first, so no SDK is told 401 for want of config.
        { provide: APP_GUARD, useClass: ReadinessGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
      ],
    };
  }
}
