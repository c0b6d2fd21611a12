import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ROUTES } from '../common/routes.js';
import { Principal } from '../auth/sdk-principal.decorator.js';
import type { SdkPrincipal } from '../auth/sdk-token.js';
import { NodeSseConnection, SSE_HEADERS } from './node-sse-connection.js';
import { StreamService } from './stream.service.js';

@Controller()
export class StreamController {
  constructor(private readonly streams: StreamService) {}

  /**
   * `@Res()` is the exception to the thin-controller rule here: an SSE response outlives the
   * handler and must control every byte and write boundary, which Nest's `@Sse()` does not.
   */
  @Get(ROUTES.stream)
  async stream(
    @Headers('api-key') apiKey: string | undefined,
    @Headers('authorization') authorization: string | undefined,
    @Principal() principal: SdkPrincipal | undefined,
    @Res() reply: FastifyReply,
  ) {
    const env = await this.streams.environmentFor(apiKey, principal?.environment);
    if (reply.request.method === 'HEAD') {
      // Fastify answers HEAD with the GET handler: the headers, but no stream to hold open.
      await reply.code(200).headers(SSE_HEADERS).send();
      return;
    }
    this.streams.hold(env, apiKey ?? '', authorization, () => NodeSseConnection.takeOver(reply));
  }
}
