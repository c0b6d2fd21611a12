/** One SDK request that did not get the answer an SDK needs. */
export interface FailureRecord {
  at: number;
  route: string;
  /** Undefined when no HTTP answer came (timeout, connection cut). */
  status?: number;
  /** The relay's error `code` (`CACHE_UNAVAILABLE`, `NOT_READY`…) when the body had one. */
  code?: string;
  detail: string;
  /** `kid` of the SDK token the request carried. */
  tokenKid?: string;
  /** The faults under way when it happened. */
  phase: string;
}

/** An SDK-token secret revoked at once: tokens it signed are refused from `at` on, by design. */
export interface RevokedSecret {
  fingerprint: string;
  at: number;
}

export interface Classified {
  kind: string;
  /** Counts against the budget. */
  counted: boolean;
}

/**
 * Names each failure. Two kinds are not counted: a 503 `CACHE_UNAVAILABLE` (the instance was
 * asked for something it never saw while its cache was out: SDKs retry it) and a 401 for a
 * token whose secret an operator revoked at once (the documented effect of a "0s" rotation).
 * Everything else — another 401, an empty list, any other 5xx, a timeout, a connection cut that
 * retries did not cure — is a failure.
 */
export function classify(failure: FailureRecord, revoked: readonly RevokedSecret[]): Classified {
  const { status, code, route } = failure;
  if (status === undefined) {
    return {
      kind: failure.detail.startsWith('timeout') ? 'timeout' : 'no answer (connection)',
      counted: true,
    };
  }
  if (status === 503 && code === 'CACHE_UNAVAILABLE') {
    return { kind: '503 CACHE_UNAVAILABLE: never seen by that instance (allowed)', counted: false };
  }
  if (status === 401 && route !== 'auth') {
    const secret = revoked.find((r) => r.fingerprint === failure.tokenKid && failure.at >= r.at);
    if (secret) {
      return { kind: '401 for a token of the secret revoked at "0s" (expected)', counted: false };
    }
    return { kind: '401 SDK token refused', counted: true };
  }
  if (status === 401) {
    return { kind: '401 SDK key refused at auth', counted: true };
  }
  if (status === 200) {
    return { kind: 'empty list', counted: true };
  }
  return { kind: `${status}${code ? ` ${code}` : ''}`, counted: true };
}

export interface FailureRow {
  kind: string;
  counted: boolean;
  count: number;
  routes: string[];
  phases: string[];
  first: number;
  last: number;
  example: string;
}

/** Failures grouped by kind, counted ones first. */
export function summarise(
  failures: readonly FailureRecord[],
  revoked: readonly RevokedSecret[],
): FailureRow[] {
  const rows = new Map<string, FailureRow>();
  for (const failure of failures) {
    const { kind, counted } = classify(failure, revoked);
    const row = rows.get(kind) ?? {
      kind,
      counted,
      count: 0,
      routes: [],
      phases: [],
      first: failure.at,
      last: failure.at,
      example:
        `${failure.route}${failure.tokenKid ? ` (token of secret ${failure.tokenKid})` : ''}: ${failure.detail}`.slice(
          0,
          200,
        ),
    };
    row.count += 1;
    row.last = Math.max(row.last, failure.at);
    row.first = Math.min(row.first, failure.at);
    if (!row.routes.includes(failure.route)) {
      row.routes.push(failure.route);
    }
    if (!row.phases.includes(failure.phase)) {
      row.phases.push(failure.phase);
    }
    rows.set(kind, row);
  }
  return [...rows.values()].sort(
    (a, b) => Number(b.counted) - Number(a.counted) || b.count - a.count,
  );
}

/**
 * The fingerprint of the secret that signed an SDK token: its header's `kid`, which the relay
 * leaves out for tokens of the configured AUTH_SECRET (`configured` is then that one's).
 */
export function tokenKid(token: string, configured: string): string {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      kid?: unknown;
    };
    return typeof header.kid === 'string' ? header.kid : configured;
  } catch {
    return configured;
  }
}
