import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { AdminRoute } from './admin-route.decorator.js';
import { PrimaryOnly } from '../common/decorators/primary-only.decorator.js';
import { ADMIN_ROUTES } from '../common/routes.js';
import { AdminService } from './admin.service.js';
import { AuthSecretRotatedDto, KeysResponseDto } from './dto/keys-response.dto.js';
import { RotateAuthSecretDto } from './dto/rotate-auth-secret.dto.js';

@Controller()
@AdminRoute()
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get(ADMIN_ROUTES.keys)
  keys(@Ip() address: string): KeysResponseDto {
    return this.admin.listKeys({ address });
  }

  @PrimaryOnly()
  @Post(ADMIN_ROUTES.rotateAuthSecret)
  @HttpCode(200)
  rotateAuthSecret(
    @Body() body: RotateAuthSecretDto,
    @Ip() address: string,
  ): Promise<AuthSecretRotatedDto> {
    return this.admin.rotateAuthSecret(body.gracePeriod, { address });
  }
}
