import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ALWAYS_ON, IS_PUBLIC } from '../common/decorators/public.decorator.js';
import { AdminGuard } from './admin.guard.js';

/**
 * An Admin API route: no SDK token (the admin token instead, checked by AdminGuard), and served
 * even before config is loaded, when an operator may need it most.
 */
export const AdminRoute = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(IS_PUBLIC, true),
    SetMetadata(ALWAYS_ON, true),
    UseGuards(AdminGuard),
  );
