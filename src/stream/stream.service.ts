import { Injectable } from '@nestjs/common';
import { SigningKeys } from '../auth/signing-keys.service.js';
import { bearerToken } from '../auth/verified-tokens.js';
import { sha256Hex } from '../cache/cache-keys.js';
import { ConfigReader } from '../cache/config-reader.service.js';
import {
  BadRequestError,
  EnvironmentMismatchError,
  NotFoundError,
  StreamUnavailableError,
} from '../common/errors/proxy-error.js';
import { ProxyStatus } from '../status/proxy-status.service.js';
import type { SseConnection } from './sse-connection.js';
import { StreamHub } from './stream-hub.service.js';
import { StreamSlots } from './stream-slots.service.js';

/** Decides whether an SDK may hold a `/stream` and on which environment (docs/sdk-api.md). */
@Injectable()
export class StreamService {
  constructor(
    private readonly status: ProxyStatus,
    private readonly reader: ConfigReader,
    private readonly hub: StreamHub,
    private readonly slots: StreamSlots,
    private readonly keys: SigningKeys,
  ) {}

  /**
   * The environment to subscribe to: the one of the `API-Key` header, not of the token. While the
   * stream that brings changes is down (the upstream's, or the primary's for a replica), SDKs are
   * refused with 503 so they poll instead.
   */
  async environmentFor(apiKey: string | undefined, tokenEnvironment?: string): Promise<string> {
    if (!apiKey) {
      throw new BadRequestError("API-Key can't be empty");
    }
    if (!this.status.streamsOpen) {
      throw new StreamUnavailableError();
    }
    const env = await this.reader.environmentOfKey(sha256Hex(apiKey));
    if (env === null) {
      throw new NotFoundError('API-Key');
    }
    // A token of one environment must not hold the stream of another key's environment.
    if (tokenEnvironment !== undefined && tokenEnvironment !== env) {
      throw new EnvironmentMismatchError(tokenEnvironment, env);
    }
    return env;
  }

  /**
   * Holds a stream if this instance has room for one (503 `STREAM_LIMIT_REACHED` if not):
   * `open` commits to the answer and is called only once a slot is taken, in the same
   * synchronous step, so no other request can take that slot in between. `authorization` (the
   * token's header) names the secret whose retirement ends the stream.
   */
  hold(
    env: string,
    apiKey: string,
    authorization: string | undefined,
    open: () => SseConnection,
  ): void {
    const connection = this.slots.open(open);
    const token = bearerToken(authorization);
    this.hub.attach(env, connection, {
      keyHash: sha256Hex(apiKey),
      ...(token === undefined ? {} : { secret: this.keys.secretOf(token) }),
    });
  }
}
