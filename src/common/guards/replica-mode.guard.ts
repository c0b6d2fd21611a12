import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PRIMARY_ONLY } from '../decorators/primary-only.decorator.js';
import { PrimaryOnlyError } from '../errors/proxy-error.js';

/**
 * Registered only on a read replica (AppModule wires it by mode): routes marked `@PrimaryOnly()`
 * answer 403 with a JSON error instead of changing state a replica does not own.
 */
@Injectable()
export class ReplicaModeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PRIMARY_ONLY, targets)) {
      throw new PrimaryOnlyError();
    }
    return true;
  }
}
