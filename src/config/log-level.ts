import type { LogLevel } from './app-config.js';

/**
 * Harness reads `DEBUG` and `ERROR` (case-sensitive) and turns anything else into INFO, so a
 * `debug` or `warn` silently logs at INFO there. ff-relay takes every usual level in any case
 * and refuses the rest at boot.
 */
const LEVELS: Readonly<Record<string, LogLevel>> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  WARNING: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
};

export const LOG_LEVEL_PATTERN = new RegExp(`^(${Object.keys(LEVELS).join('|')})$`, 'i');

/** The pino level for a validated `LOG_LEVEL` (INFO when unset). */
export function logLevelOf(value: string | undefined): LogLevel {
  return LEVELS[(value ?? 'INFO').toUpperCase()] ?? 'info';
}
