import { Body, Controller, Header, HttpCode, Param, Post } from '@nestjs/common';
import { ROUTES } from '../common/routes.js';
import { PostMetricsDto } from './dto/post-metrics.dto.js';
import { SdkMetricsService } from './sdk-metrics.service.js';

/** The Go proxy answers a JSON `null`; any 2xx satisfies every SDK. */
const NULL_BODY = Buffer.from('null\n');

@Controller()
export class SdkMetricsController {
  constructor(private readonly metrics: SdkMetricsService) {}

  @Post(ROUTES.sdkMetrics)
  @HttpCode(200)
  @Header('Content-Type', 'application/json; charset=utf-8')
  async post(
    @Param('environment_uuid') env: string,
    @Body() body: PostMetricsDto,
  ): Promise<Buffer> {
    await this.metrics.accept(env, body);
    return NULL_BODY;
  }
}
