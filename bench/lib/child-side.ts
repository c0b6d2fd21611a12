/**
 * The child side of {@link IpcChild}: report readiness, answer requests, and exit when the
 * parent goes away (so a killed bench leaves nothing behind).
 */
export function reportReady(port?: number, info?: Record<string, string>): void {
  process.send?.({ type: 'ready', port, info });
}

export function serve(handle: (request: Record<string, unknown>) => unknown): void {
  process.on('message', (message: unknown) => {
    const request = message as Record<string, unknown> & { id: number };
    Promise.resolve()
      .then(() => handle(request))
      .then(
        (value) => process.send?.({ type: 'result', id: request.id, value }),
        (error: unknown) =>
          process.send?.({ type: 'error', id: request.id, message: String(error) }),
      );
  });
}

export function exitWithParent(): void {
  process.on('disconnect', () => process.exit(0));
  // An orderly exit, so that `--cpu-prof` writes its profile.
  process.on('SIGTERM', () => process.exit(0));
}

export function failStartup(error: unknown): void {
  process.send?.({
    type: 'error',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
}
