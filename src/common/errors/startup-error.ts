/**
 * A reason the process cannot start (Redis never answered, the config directory is unreadable).
 * `main.ts` prints its message as one line and exits 1; no stack trace, since nothing is wrong
 * with the code.
 */
export class StartupError extends Error {
  override readonly name: string = 'StartupError';
}
