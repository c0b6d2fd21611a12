import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PRIMARY_ONLY } from '../decorators/primary-only.decorator.js';
import { PrimaryOnlyError } from '../errors/proxy-error.js';

/** Provided by the module whose routes use the guard: true on a read replica. */
export const REPLICA_FENCE = Symbol('replicaFence');

/**
 * On a read replica (`fenced`, decided where the module is wired), routes marked
 * `@PrimaryOnly()` answer 403 with a JSON error instead of changing state a replica does not
 * own. It runs after the route's authentication, so an anonymous caller learns nothing of the
 * instance's role.
 */
@Injectable()
export class ReplicaModeGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(REPLICA_FENCE) private readonly fenced: boolean,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.fenced && this.reflector.getAllAndOverride<boolean>(PRIMARY_ONLY, targets)) {
      throw new PrimaryOnlyError();
    }
    return true;
  }
}
