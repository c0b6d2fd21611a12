import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator.js';
import { ROUTES } from '../common/routes.js';
import { NodeSseConnection } from '../stream/node-sse-connection.js';
import { OfrepEvents } from './ofrep-events.service.js';

/** The OFREP event stream; its URL carries its own short-lived credential (`token`). */
@Controller()
@Public()
export class OfrepEventsController {
  constructor(private readonly events: OfrepEvents) {}

  /**
   * `@Res()`, as for SDK streams: the response outlives the handler, and its bytes and write
   * boundaries are the hub's.
   */
  @Get(ROUTES.ofrepEvents)
  async stream(
    @Res() reply: FastifyReply,
    @Query('token') token?: string,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<void> {
    await this.events.hold(typeof token === 'string' ? token : undefined, lastEventId, () => {
      return NodeSseConnection.takeOver(reply);
    });
  }
}
