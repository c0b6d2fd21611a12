import { Controller, Get } from '@nestjs/common';
import { Operational } from '../common/decorators/public.decorator.js';
import { ROUTES } from '../common/routes.js';
import { HealthResponseDto } from './dto/health-response.dto.js';
import { HealthService } from './health.service.js';

@Controller()
export class HealthController {
  constructor(private readonly healthService: HealthService) {}

  @Operational()
  @Get(ROUTES.health)
  health(): HealthResponseDto {
    return this.healthService.health();
  }
}
