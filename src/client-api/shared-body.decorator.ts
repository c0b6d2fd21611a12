import { RouteConfig } from '@nestjs/platform-fastify';

/** The Fastify route config key {@link SharedBody} sets and the compression hook reads. */
export const SHARED_BODY = 'sharedBody';

/**
 * Marks a route whose answer is one pre-serialised Buffer per content version, shared by every
 * caller: it is served compressed when the request accepts it (see `shared-body-encoding.ts`).
 * Per-target answers (evaluations) are not marked: compressing them per request costs more CPU
 * than the bytes it saves are worth (docs/performance.md).
 */
export const SharedBody = (): MethodDecorator => RouteConfig({ [SHARED_BODY]: true });
