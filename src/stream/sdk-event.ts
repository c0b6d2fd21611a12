/** A change notification as SDKs receive it over `/stream` (docs/sdk-api.md). */
export interface SdkEvent {
  event: string;
  domain: string;
  identifier: string;
  version: number;
  environment: string;
  environments?: string[];
  apiKey?: string;
}

/**
 * The event's JSON in the Go proxy's field order, with `environments` only when non-empty and
 * `apiKey` always present: the same text goes to SDKs and to replicas over Redis.
 */
export function eventJson(event: SdkEvent): string {
  return JSON.stringify({
    event: event.event,
    domain: event.domain,
    identifier: event.identifier,
    version: event.version,
    environment: event.environment,
    ...(event.environments?.length ? { environments: event.environments } : {}),
    apiKey: event.apiKey ?? '',
  });
}

/** One SSE frame, written in a single write so no SDK ever sees half an event. */
export function eventFrame(event: SdkEvent): string {
  return `event: *\ndata: ${eventJson(event)}\n\n`;
}

/** The bare-colon comment: the Go SDK only counts a comment with empty text as a heartbeat. */
export const HEARTBEAT_FRAME = ':\n\n';
/** The heartbeat as bytes, encoded once for every stream and every sweep. */
export const HEARTBEAT_BYTES: Uint8Array = Buffer.from(HEARTBEAT_FRAME);
