import { SetMetadata } from '@nestjs/common';

export const PRIMARY_ONLY = Symbol('primaryOnly');

/**
 * Marks a route only the writer may serve (Admin API writes): a read replica answers 403, once
 * the caller has authenticated (ReplicaModeGuard, which the route's guards must include).
 */
export const PrimaryOnly = (): MethodDecorator & ClassDecorator => SetMetadata(PRIMARY_ONLY, true);
