import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import {
  CompressedBodies,
  SHARED_BODY_ENCODINGS,
  type SharedBodyEncoding,
} from './compressed-bodies.js';
import { SHARED_BODY } from './shared-body.decorator.js';

/** `identity` last: among equally preferred codings, compressed wins (`*`, `gzip, identity`). */
const OFFERED: readonly string[] = [...SHARED_BODY_ENCODINGS, 'identity'];
/** SDKs send a handful of distinct headers; the memo is cleared, not grown, past this. */
const MEMO_LIMIT = 256;

/**
 * Serves the routes marked {@link SharedBody} compressed when the request's Accept-Encoding
 * prefers a coding we offer, from bytes compressed once per version ({@link CompressedBodies}).
 * Every answer of such a route says `Vary: Accept-Encoding`, so a shared cache in front keeps
 * both forms apart. An Accept-Encoding that refuses everything (`identity;q=0, *;q=0`) gets
 * the identity body: a 406 would leave an SDK with no config at all.
 */
export function encodeSharedBodies(fastify: FastifyInstance, bodies: CompressedBodies): void {
  const chosen = new Map<string, SharedBodyEncoding | null>();
  const encodingFor = (header: string): SharedBodyEncoding | null => {
    let encoding = chosen.get(header);
    if (encoding === undefined) {
      encoding = negotiate(header);
      if (chosen.size >= MEMO_LIMIT) {
        chosen.clear();
      }
      chosen.set(header, encoding);
    }
    return encoding;
  };
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (!isShared(request)) {
      done(null, payload);
      return;
    }
    addVary(reply);
    const header = request.headers['accept-encoding'];
    const encoding = reply.statusCode === 200 && header ? encodingFor(header) : null;
    if (!encoding || !Buffer.isBuffer(payload)) {
      done(null, payload);
      return;
    }
    const encoded = bodies.encoded(payload, encoding);
    if (encoded !== payload) {
      void reply.header('content-encoding', encoding);
    }
    done(null, encoded);
  });
}

function isShared(request: FastifyRequest): boolean {
  const config = request.routeOptions.config;
  return SHARED_BODY in config && config[SHARED_BODY] === true;
}

function negotiate(header: string): SharedBodyEncoding | null {
  const best = new Negotiator({ headers: { 'accept-encoding': header } }).encoding(OFFERED);
  return SHARED_BODY_ENCODINGS.find((encoding) => encoding === best) ?? null;
}

function addVary(reply: FastifyReply): void {
  const vary = reply.getHeader('vary');
  const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
  if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(current)) {
    void reply.header('vary', current ? `${current}, Accept-Encoding` : 'Accept-Encoding');
  }
}
