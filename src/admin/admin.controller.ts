import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { type AdminCall, Caller } from './admin-call.js';
import { AdminRoute } from './admin-route.decorator.js';
import { PrimaryOnly } from '../common/decorators/primary-only.decorator.js';
import { ADMIN_ROUTES } from '../common/routes.js';
import { AdminService } from './admin.service.js';
import { AuthSecretRotatedDto, KeysResponseDto } from './dto/keys-response.dto.js';
import {
  ProxyKeyInUseDto,
  ProxyKeyRotatedDto,
  PutProxyKeyDto,
  RotateProxyKeyDto,
} from './dto/proxy-key.dto.js';
import { RotateAuthSecretDto } from './dto/rotate-auth-secret.dto.js';
import { ProxyKeyAdmin } from './proxy-key-admin.service.js';
import {
  CreateSdkKeyDto,
  RemoveSdkKeyQueryDto,
  SdkKeyCreatedDto,
  SdkKeyFingerprintParamsDto,
  SdkKeyParamsDto,
} from './dto/sdk-keys.dto.js';
import { SdkKeysAdmin } from './sdk-keys-admin.service.js';

@Controller()
@AdminRoute()
export class AdminController {
  constructor(
    private readonly admin: AdminService,
    private readonly proxyKeys: ProxyKeyAdmin,
    private readonly sdkKeys: SdkKeysAdmin,
  ) {}

  @Get(ADMIN_ROUTES.keys)
  keys(): Promise<KeysResponseDto> {
    return this.admin.listKeys();
  }

  @PrimaryOnly()
  @Post(ADMIN_ROUTES.rotateAuthSecret)
  @HttpCode(200)
  rotateAuthSecret(
    @Body() body: RotateAuthSecretDto,
    @Caller() call: AdminCall,
  ): Promise<AuthSecretRotatedDto> {
    return this.admin.rotateAuthSecret(body.gracePeriod, call);
  }

  @PrimaryOnly()
  @Post(ADMIN_ROUTES.rotateProxyKey)
  @HttpCode(200)
  rotateProxyKey(
    @Body() body: RotateProxyKeyDto,
    @Caller() call: AdminCall,
  ): Promise<ProxyKeyRotatedDto> {
    return this.proxyKeys.rotate(body.gracePeriod, call);
  }

  @PrimaryOnly()
  @Put(ADMIN_ROUTES.proxyKey)
  replaceProxyKey(
    @Body() body: PutProxyKeyDto,
    @Caller() call: AdminCall,
  ): Promise<ProxyKeyInUseDto> {
    return this.proxyKeys.replace(body.key, call);
  }

  @PrimaryOnly()
  @Post(ADMIN_ROUTES.sdkKeys)
  @HttpCode(201)
  createSdkKey(
    @Param() params: SdkKeyParamsDto,
    @Body() body: CreateSdkKeyDto,
    @Caller() call: AdminCall,
  ): Promise<SdkKeyCreatedDto> {
    return this.sdkKeys.create(params.environment, body.kind, call);
  }

  @PrimaryOnly()
  @Delete(ADMIN_ROUTES.sdkKey)
  @HttpCode(204)
  async removeSdkKey(
    @Param() params: SdkKeyFingerprintParamsDto,
    @Query() query: RemoveSdkKeyQueryDto,
    @Caller() call: AdminCall,
  ): Promise<void> {
    await this.sdkKeys.remove(
      params.environment,
      params.fingerprint,
      query.gracePeriod ?? '0s',
      call,
    );
  }
}
