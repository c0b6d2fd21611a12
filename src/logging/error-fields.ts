/** How every error looks in a log line: `{type, message}` (plus `code` and `cause` when known). */
export interface ErrorFields {
  type: string;
  message: string;
  code?: string;
  cause?: string;
}

/**
 * The `err` serializer of every logger. It receives an Error, pino-std-serializers' copy of one
 * (pino-http applies that first), a bare message or nothing at all, and always writes the same
 * shape, so a pipeline can filter on `err.type`; no error at all writes no `err` field (never
 * `"err":null`). No stack: for an expected failure (a dropped stream, a refused connection) it
 * is noise; the one place an unexpected error is logged adds it (all-exceptions.filter.ts).
 */
export function errorFields(err: unknown): ErrorFields | undefined {
  if (err === null || err === undefined) {
    return undefined;
  }
  if (typeof err !== 'object') {
    return { type: 'Error', message: typeof err === 'string' ? err : (JSON.stringify(err) ?? '') };
  }
  // pino-std-serializers keeps the original as `raw`: read that, so both paths write the same.
  const raw = (err as { raw?: unknown }).raw;
  const e = (typeof raw === 'object' && raw !== null ? raw : err) as Record<string, unknown>;
  const message = typeof e.message === 'string' ? e.message : '';
  const fields: ErrorFields = { type: typeOf(e), message };
  if (typeof e.code === 'string' || typeof e.code === 'number') {
    fields.code = String(e.code);
  }
  // undici's "fetch failed" says why only in its cause (ECONNREFUSED, a reset, a TLS error).
  const cause = e.cause as { message?: unknown } | undefined;
  if (cause && typeof cause.message === 'string' && cause.message !== '') {
    fields.cause = cause.message;
  }
  return fields;
}

function typeOf(e: Record<string, unknown>): string {
  const constructorName = (e.constructor as { name?: string } | undefined)?.name;
  if (constructorName && constructorName !== 'Object' && constructorName !== 'Error') {
    return constructorName;
  }
  // A plain object copied from an error (ioredis' without its command) says it by `name`.
  return typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
}
