import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { SdkPrincipal } from './sdk-token.js';

/** The SDK the token belongs to (set by JwtAuthGuard); undefined only with BYPASS_AUTH. */
export const Principal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): SdkPrincipal | undefined =>
    context.switchToHttp().getRequest<{ user?: SdkPrincipal }>().user,
);
