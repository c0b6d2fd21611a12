import {
  Body,
  Controller,
  Header,
  Headers,
  HttpCode,
  Ip,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/decorators/public.decorator.js';
import { ROUTES } from '../common/routes.js';
import { OfrepService } from './ofrep.service.js';

/** A cross-origin page reads the ETag only if it is exposed; the web provider needs it for 304s. */
const EXPOSE = ['Access-Control-Expose-Headers', 'ETag'] as const;

/**
 * OFREP evaluation routes. `@Public()` because the credential is the SDK key itself, checked by
 * the service (the readiness gate still applies: 503 until config is loaded). Bodies are taken
 * as they come: an OFREP context is free-form, and mapping it is the service's job.
 */
@Controller()
@Public()
export class OfrepController {
  constructor(private readonly ofrep: OfrepService) {}

  @Post(ROUTES.ofrepFlag)
  @HttpCode(200)
  evaluateFlag(
    @Param('key') key: string,
    @Body() body: unknown,
    @Ip() address: string,
    @Headers('x-api-key') apiKey?: string,
    @Headers('authorization') authorization?: string,
  ) {
    return this.ofrep.evaluateFlag({ apiKey, authorization, address }, key, body);
  }

  /** `passthrough` only to choose 200 or 304 and set the ETag; Nest still sends the body. */
  @Post(ROUTES.ofrepFlags)
  @Header(...EXPOSE)
  @Header('Content-Type', 'application/json; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  async evaluateFlags(
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Ip() address: string,
    @Query('flagConfigEtag') flagConfigEtag?: string,
    @Headers('if-none-match') ifNoneMatch?: string,
    @Headers('x-api-key') apiKey?: string,
    @Headers('authorization') authorization?: string,
  ): Promise<Buffer | undefined> {
    const answer = await this.ofrep.evaluateFlags(
      { apiKey, authorization, address },
      body,
      ifNoneMatch,
      typeof flagConfigEtag === 'string' ? flagConfigEtag : undefined,
    );
    void reply.status(answer.status).header('ETag', answer.etag);
    return answer.status === 200 ? answer.body : undefined;
  }
}
