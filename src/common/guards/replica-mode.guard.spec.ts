import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { PrimaryOnly } from '../decorators/primary-only.decorator.js';
import { PrimaryOnlyError } from '../errors/proxy-error.js';
import { ReplicaModeGuard } from './replica-mode.guard.js';

class Routes {
  @PrimaryOnly()
  rotate(): void {}

  read(): void {}
}

function contextFor(handler: keyof Routes): ExecutionContext {
  return {
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
  } as unknown as ExecutionContext;
}

describe(ReplicaModeGuard.name, () => {
  const guard = new ReplicaModeGuard(new Reflector(), true);

  it('refuses a primary-only route with a 403 that says why', () => {
    const error = (() => {
      try {
        guard.canActivate(contextFor('rotate'));
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(PrimaryOnlyError);
    expect(error).toMatchObject({ status: 403, code: 'PRIMARY_ONLY' });
  });

  it('lets every other route through', () => {
    expect(guard.canActivate(contextFor('read'))).toBe(true);
  });

  it('lets everything through when not fenced (a primary, offline)', () => {
    expect(new ReplicaModeGuard(new Reflector(), false).canActivate(contextFor('rotate'))).toBe(
      true,
    );
  });
});
