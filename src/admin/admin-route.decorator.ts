import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ALWAYS_ON, IS_PUBLIC } from '../common/decorators/public.decorator.js';
import { ReplicaModeGuard } from '../common/guards/replica-mode.guard.js';
import { AdminGuard } from './admin.guard.js';

/**
 * An Admin API route: no SDK token (the admin token instead, checked by AdminGuard, before a
 * replica says it is one), served even before config is loaded, when an operator may need it
 * most. They answer no CORS (see http-server.ts): no page on another origin may call them.
 */
export const AdminRoute = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    SetMetadata(ALWAYS_ON, true),
    UseGuards(AdminGuard, ReplicaModeGuard),
  );
