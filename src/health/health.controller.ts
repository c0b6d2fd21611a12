import { Controller, Get } from '@nestjs/common';
import { Operational } from '../common/decorators/public.decorator.js';
import { ROUTES } from '../common/routes.js';
import { HealthResponseDto } from './dto/health-response.dto.js';
import { LivezResponseDto } from './dto/livez-response.dto.js';
import { HealthService } from './health.service.js';

const ALIVE = new LivezResponseDto();

@Controller()
export class HealthController {
  constructor(private readonly healthService: HealthService) {}

  @Operational()
  @Get(ROUTES.health)
  health(): HealthResponseDto {
    return this.healthService.health();
  }

  /**
   * Liveness: an answer proves the event loop runs, and nothing else is asked. A hung process
   * (stopped, or its loop blocked) still accepts TCP connections but never answers this; a
   * missing Redis or upstream is not cured by a restart, so neither is consulted.
   */
  @Operational()
  @Get(ROUTES.livez)
  livez(): LivezResponseDto {
    return ALIVE;
  }
}
