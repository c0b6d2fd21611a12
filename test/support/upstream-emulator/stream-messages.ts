/**
 * The JSON payloads SaaS sends on the account stream (docs/upstream.md). Objects are built
 * field by field so that the serialised key order matches the documented examples.
 */

export type ChangeEvent = 'create' | 'patch' | 'delete';
export type ChangeDomain = 'flag' | 'target-segment';
export type ProxyEvent =
  'environmentsAdded' | 'environmentsRemoved' | 'apiKeyAdded' | 'apiKeyRemoved' | 'proxyKeyDeleted';

export interface ChangeMessage {
  event: ChangeEvent;
  domain: ChangeDomain;
  identifier: string;
  version: number;
  environment: string;
}

export interface ProxyMessage {
  event: ProxyEvent;
  domain: 'proxy';
  environments?: string[];
  apiKey?: string;
}

export type StreamMessage = ChangeMessage | ProxyMessage;

export function changeMessage(
  event: ChangeEvent,
  domain: ChangeDomain,
  identifier: string,
  version: number,
  environment: string,
): ChangeMessage {
  return { event, domain, identifier, version, environment };
}

export function proxyMessage(
  event: ProxyEvent,
  environments?: string[],
  apiKey?: string,
): ProxyMessage {
  const message: ProxyMessage = { event, domain: 'proxy' };
  if (environments) {
    message.environments = environments;
  }
  if (apiKey !== undefined) {
    message.apiKey = apiKey;
  }
  return message;
}

/** One SSE block exactly as written to the wire (`event: *` is what SaaS is believed to send). */
export function sseFrame(message: object): string {
  return `event: *\ndata: ${JSON.stringify(message)}\n\n`;
}
