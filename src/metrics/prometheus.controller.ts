import { Controller, Get, Res } from '@nestjs/common';
import { PrometheusController as BasePrometheusController } from '@willsoto/nestjs-prometheus';
import type { FastifyReply } from 'fastify';
import { Operational } from '../common/decorators/public.decorator.js';

/** The scrape endpoint, open like the Harness one (`prometheus-metrics.md` §1). */
@Controller()
@Operational()
export class PrometheusController extends BasePrometheusController {
  @Get()
  override index(@Res({ passthrough: true }) response: FastifyReply): Promise<string> {
    return super.index(response);
  }
}
