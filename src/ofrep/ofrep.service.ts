import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { bearerToken } from '../auth/verified-tokens.js';
import { sha256Hex } from '../cache/cache-keys.js';
import { ConfigReader } from '../cache/config-reader.service.js';
import { FollowedChanges } from '../cache/followed-changes.js';
import { OfrepError } from '../common/errors/ofrep-error.js';
import { TooManyRequestsError, UnauthorisedError } from '../common/errors/proxy-error.js';
import { FailureLimiter } from '../common/failure-limiter.js';
import { AppConfig } from '../config/app-config.js';
import { isFailure, type OfrepSuccess, statusOf } from './ofrep-answers.js';
import { targetOf } from './ofrep-context.js';
import { OfrepEnvironment } from './ofrep-environment.js';
import { OfrepEvents } from './ofrep-events.service.js';
import { OfrepUsage } from './ofrep-usage.service.js';

export interface OfrepCredentials {
  apiKey?: string;
  authorization?: string;
  /** The client's address: unknown keys are limited per address. */
  address: string;
}

export type BulkAnswer =
  { status: 200; etag: string; body: Buffer } | { status: 304; etag: string };

/** Seconds of hidden-tab inactivity after which the web provider may close its stream. */
const INACTIVITY_DELAY_S = 120;
/** A refetch naming other content reloads it from the cache at most this often per environment. */
const RELOAD_INTERVAL_MS = 1_000;

/** OFREP evaluation (docs/openfeature.md): the Harness SDK key selects the environment. */
@Injectable()
export class OfrepService {
  private readonly environments = new Map<string, OfrepEnvironment>();
  private readonly reloadedAt = new Map<string, number>();

  /** Unknown keys per client address; none when AUTH_RATE_LIMIT is 0. */
  private readonly keyFailures?: FailureLimiter;

  constructor(
    private readonly reader: ConfigReader,
    private readonly config: AppConfig,
    private readonly events: OfrepEvents,
    private readonly usage: OfrepUsage,
    private readonly followed: FollowedChanges,
  ) {
    const limit = config.auth.rateLimitPerMinute;
    this.keyFailures = limit > 0 ? new FailureLimiter(limit, 60_000) : undefined;
  }

  async evaluateFlag(credentials: OfrepCredentials, key: string, body: unknown) {
    const { env } = await this.authenticate(credentials);
    const { target } = targetOf(body);
    const answer = (await this.environment(env)).one(key, target);
    if (!answer) {
      throw new OfrepError(404, 'FLAG_NOT_FOUND', `flag ${key} was not found`);
    }
    if (isFailure(answer)) {
      throw new OfrepError(statusOf(answer), answer.errorCode, answer.errorDetails);
    }
    this.usage.count(env, [answer], target, false);
    return answer satisfies OfrepSuccess;
  }

  /**
   * Every flag, with the event stream that announces changes. The ETag is the body's hash: it
   * changes with the content, the context and the stream URL, so a 304 is always safe to keep.
   * A refetch announced for content this instance does not hold yet (another instance told the
   * client first) waits until a replica has applied the changes Redis holds, then reloads.
   */
  async evaluateFlags(
    credentials: OfrepCredentials,
    body: unknown,
    ifNoneMatch: string | undefined,
    flagConfigEtag: string | undefined,
  ): Promise<BulkAnswer> {
    const { env, keyHash } = await this.authenticate(credentials);
    const { target } = targetOf(body);
    let environment = await this.environment(env);
    if (flagConfigEtag && flagConfigEtag !== environment.configEtag) {
      await this.followed.caughtUp();
      environment = await this.environment(env);
    }
    if (flagConfigEtag && flagConfigEtag !== environment.configEtag && this.mayReload(env)) {
      await Promise.all([this.reader.reload('flags', env), this.reader.reload('segments', env)]);
      environment = await this.environment(env);
    }
    const flags = environment.all(target);
    const bytes = Buffer.from(
      JSON.stringify({
        flags,
        eventStreams: [
          {
            type: 'sse',
            endpoint: { requestUri: this.events.streamPath(env, keyHash) },
            inactivityDelaySec: INACTIVITY_DELAY_S,
          },
        ],
      }),
    );
    const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
    if (matches(ifNoneMatch, etag)) {
      return { status: 304, etag };
    }
    this.usage.count(env, flags, target, true);
    return { status: 200, etag, body: bytes };
  }

  /**
   * A cache fault is the reader's 503, never a 401: only an unknown key is refused. Every OFREP
   * request carries the SDK key itself, so guesses are bounded as `/client/auth` bounds them: an
   * address that sent AUTH_RATE_LIMIT unknown keys within a minute gets 429 with `Retry-After`
   * (which OpenFeature providers wait out), whatever key it sends, until the oldest leaves the
   * minute: a right guess must not stand out.
   */
  private async authenticate(credentials: OfrepCredentials) {
    const wait = this.keyFailures?.retryAfterSeconds(credentials.address) ?? 0;
    if (wait > 0) {
      throw new TooManyRequestsError('unknown SDK keys', wait);
    }
    const key = credentials.apiKey || bearerToken(credentials.authorization);
    if (!key) {
      throw new UnauthorisedError('an SDK key is needed, as X-API-Key or Authorization: Bearer');
    }
    const keyHash = sha256Hex(key);
    const env = await this.reader.environmentOfKey(keyHash);
    if (env === null) {
      this.keyFailures?.fail(credentials.address);
      throw new UnauthorisedError('unknown SDK key');
    }
    return { env, keyHash };
  }

  /** Bounds what refetches naming made-up etags can cost the cache. */
  private mayReload(env: string): boolean {
    const now = Date.now();
    if (now - (this.reloadedAt.get(env) ?? 0) < RELOAD_INTERVAL_MS) {
      return false;
    }
    this.reloadedAt.set(env, now);
    return true;
  }

  private async environment(env: string): Promise<OfrepEnvironment> {
    const [flags, segments] = await Promise.all([
      this.reader.flags(env),
      this.reader.segments(env),
    ]);
    let environment = this.environments.get(env);
    if (!environment?.isFor(flags, segments)) {
      environment = new OfrepEnvironment(flags, segments, this.config.compat.andRules);
      this.environments.set(env, environment);
    }
    return environment;
  }
}

/** `If-None-Match` as browsers and the providers send it: one tag, a list, or `*`. */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) {
    return false;
  }
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}
