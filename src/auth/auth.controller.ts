import { Body, Controller, Header, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Public } from '../common/decorators/public.decorator.js';
import { ROUTES } from '../common/routes.js';
import { AuthService } from './auth.service.js';
import { AuthResponseDto } from './dto/auth-response.dto.js';
import { AuthenticateDto } from './dto/authenticate.dto.js';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post(ROUTES.auth)
  @HttpCode(200)
  // The answer is a credential: no cache may keep it, no browser may sniff it.
  @Header('Cache-Control', 'no-store')
  @Header('X-Content-Type-Options', 'nosniff')
  async authenticate(@Body() body: AuthenticateDto): Promise<AuthResponseDto> {
    return new AuthResponseDto(await this.auth.authenticate(body.apiKey, body.target));
  }
}
