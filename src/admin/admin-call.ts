import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * One Admin API call as its audit line tells it: who asked, and what the service adds on the
 * way (fingerprints, reasons; never a secret). The line itself is written once the answer has
 * been sent, with its real status (AdminAudit), so failures before the handler count too.
 */
export class AdminCall {
  readonly details: Record<string, unknown> = {};
  /** Set only when the status alone does not say how it went. */
  outcome?: string;

  constructor(readonly address: string) {}

  note(details: object, outcome?: string): void {
    Object.assign(this.details, details);
    this.outcome = outcome ?? this.outcome;
  }
}

const CALLS = new WeakMap<object, AdminCall>();

/** The call a handler noted things on, if it got that far. */
export function recordedCall(request: object): AdminCall | undefined {
  return CALLS.get(request);
}

/** The current request's {@link AdminCall}, for Admin API handlers. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<{ ip: string }>();
  const call = CALLS.get(request) ?? new AdminCall(request.ip);
  CALLS.set(request, call);
  return call;
});
