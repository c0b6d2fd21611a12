import type { SdkEvent } from '../stream/sdk-event.js';

/** A config change as an operator reads it: which environment, what, which one, which version. */
export interface ConfigChangeFields {
  env: string;
  kind: string;
  change: string;
  identifier: string;
  version?: number;
}

const KINDS: Record<string, string> = { flag: 'flag', 'target-segment': 'segment' };

/**
 * The log fields of one change event, never its content (rules can name targets). SDK keys are
 * named by fingerprint (the first 12 hex characters of their SHA-256, as the Admin API shows).
 */
export function configChangeFields(event: SdkEvent): ConfigChangeFields {
  const kind = KINDS[event.domain];
  if (kind) {
    return {
      env: event.environment,
      kind,
      change: event.event,
      identifier: event.identifier,
      version: event.version,
    };
  }
  const env = event.environments?.join(',') ?? '';
  if (event.event === 'apiKeyAdded' || event.event === 'apiKeyRemoved') {
    const change = event.event === 'apiKeyAdded' ? 'create' : 'delete';
    return { env, kind: 'sdk-key', change, identifier: (event.apiKey ?? '').slice(0, 12) };
  }
  return { env, kind: event.domain, change: event.event, identifier: event.identifier };
}
