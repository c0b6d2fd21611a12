import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ROUTES } from '../common/routes.js';
import { ClientConfigService } from './client-config.service.js';
import { SharedBody } from './shared-body.decorator.js';
import { JSON_UTF8, rulesVersion } from './sdk-wire.js';

/**
 * Server-SDK config routes. Query parameters SDKs add (`cluster`) are accepted and ignored.
 * Every answer is a body shared by all callers, so each is served compressed when asked.
 */
@Controller()
export class ClientConfigController {
  constructor(private readonly configs: ClientConfigService) {}

  @Get(ROUTES.featureConfigs)
  @Header('Content-Type', JSON_UTF8)
  @SharedBody()
  featureConfigs(@Param('environment_uuid') env: string): Promise<Buffer> {
    return this.configs.featureConfigs(env);
  }

  @Get(ROUTES.featureConfig)
  @Header('Content-Type', JSON_UTF8)
  @SharedBody()
  featureConfig(
    @Param('environment_uuid') env: string,
    @Param('identifier') identifier: string,
  ): Promise<Buffer> {
    return this.configs.featureConfig(env, identifier);
  }

  @Get(ROUTES.targetSegments)
  @Header('Content-Type', JSON_UTF8)
  @SharedBody()
  targetSegments(
    @Param('environment_uuid') env: string,
    @Query('rules') rules?: string,
  ): Promise<Buffer> {
    return this.configs.targetSegments(env, rulesVersion(rules));
  }

  @Get(ROUTES.targetSegment)
  @Header('Content-Type', JSON_UTF8)
  @SharedBody()
  targetSegment(
    @Param('environment_uuid') env: string,
    @Param('identifier') identifier: string,
    @Query('rules') rules?: string,
  ): Promise<Buffer> {
    return this.configs.targetSegment(env, identifier, rulesVersion(rules));
  }
}
