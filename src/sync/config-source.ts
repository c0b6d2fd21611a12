import type { SdkEvent } from '../stream/sdk-event.js';

/**
 * Where this instance's config comes from, chosen once when modules are wired: the offline
 * directory, the upstream service (primary) or the primary through Redis (read replica).
 */
export abstract class ConfigSource {
  /** Loads or starts following config; SDK routes serve once the status says ready. */
  abstract start(): Promise<void>;
}

/**
 * Where announced changes go besides this instance's SDK streams: on a primary with Redis, the
 * `proxy:sse_events` stream its read replicas follow. Not provided elsewhere.
 */
export abstract class ChangeRelay {
  /** Resolves once the replicas can see the event, or once waiting longer would hold SDKs up. */
  abstract relay(event: SdkEvent): Promise<void>;
}
