import { applyDecorators, SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = Symbol('isPublic');

/** Opens a route to callers without an SDK token (auth, health, Prometheus). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

export const ALWAYS_ON = Symbol('alwaysOn');

/**
 * Public and served even before config is loaded: health and Prometheus, which must answer
 * while SDK routes still say 503.
 */
export const Operational = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), SetMetadata(ALWAYS_ON, true));
