/** A message from the account-level stream, decoded and checked (docs/upstream.md). */
export interface UpstreamEvent {
  event: string;
  domain: string;
  identifier: string;
  version: number;
  environment: string;
  environments: string[];
  /** SHA-256 hex of an SDK key (apiKeyAdded / apiKeyRemoved). */
  apiKey: string;
}

/** Decodes a `data:` payload; undefined when it is not a JSON object. Unknown fields drop. */
export function parseUpstreamEvent(data: string): UpstreamEvent | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return undefined;
  }
  const m = raw as Record<string, unknown>;
  return {
    event: text(m.event),
    domain: text(m.domain),
    identifier: text(m.identifier),
    version: typeof m.version === 'number' ? m.version : 0,
    environment: text(m.environment).toLowerCase(),
    environments: Array.isArray(m.environments)
      ? m.environments.filter((e): e is string => typeof e === 'string').map((e) => e.toLowerCase())
      : [],
    apiKey: text(m.apiKey).toLowerCase(),
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
