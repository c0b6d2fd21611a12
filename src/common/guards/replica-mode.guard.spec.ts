import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { PrimaryOnly } from '../decorators/primary-only.decorator.js';
import { PrimaryOnlyError } from '../errors/proxy-error.js';
import { ReplicaModeGuard } from './replica-mode.guard.js';

class Routes {
  @PrimaryOnly()
  rotate(): void {}

  read(): void {}
}

/** The context Nest builds for a call of `handler`, with no request: the guard reads none. */
function contextFor(handler: keyof Routes): ExecutionContextHost {
  return new ExecutionContextHost([], Routes, Routes.prototype[handler]);
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
