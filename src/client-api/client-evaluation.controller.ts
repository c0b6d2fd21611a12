import { Controller, Get, Header, Headers, Param } from '@nestjs/common';
import { ROUTES } from '../common/routes.js';
import type { Evaluation } from '../model/evaluation.js';
import { ClientEvaluationService } from './client-evaluation.service.js';
import { JSON_UTF8 } from './sdk-wire.js';

/** Client-SDK routes: every flag evaluated for one target. */
@Controller()
export class ClientEvaluationController {
  constructor(private readonly evaluations: ClientEvaluationService) {}

  @Get(ROUTES.evaluations)
  @Header('Content-Type', JSON_UTF8)
  all(
    @Param('environment_uuid') env: string,
    @Param('target') target: string,
    @Headers('harness-target') header?: string,
  ): Promise<Buffer> {
    return this.evaluations.evaluations(env, target, header);
  }

  @Get(ROUTES.evaluation)
  one(
    @Param('environment_uuid') env: string,
    @Param('target') target: string,
    @Param('feature') feature: string,
    @Headers('harness-target') header?: string,
  ): Promise<Evaluation> {
    return this.evaluations.evaluation(env, target, feature, header);
  }
}
