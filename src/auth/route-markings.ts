import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ALWAYS_ON, IS_PUBLIC } from '../common/decorators/public.decorator.js';

export interface Markings {
  /** Answered even before config is in place (probes, metrics). */
  alwaysOn: boolean;
  /** Needs no SDK token. */
  isPublic: boolean;
}

/** What a route's decorators say; read once per handler, since they never change. */
@Injectable()
export class RouteMarkings {
  private readonly cache = new WeakMap<object, Markings>();

  constructor(private readonly reflector: Reflector) {}

  of(context: ExecutionContext): Markings {
    const handler = context.getHandler();
    let markings = this.cache.get(handler);
    if (markings === undefined) {
      const targets = [handler, context.getClass()];
      markings = {
        alwaysOn:
          this.reflector.getAllAndOverride<boolean | undefined>(ALWAYS_ON, targets) ?? false,
        isPublic:
          this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) ?? false,
      };
      this.cache.set(handler, markings);
    }
    return markings;
  }
}
