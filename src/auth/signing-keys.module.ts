// Owns the secrets SDK tokens are signed and verified with (the configured AUTH_SECRET, then
// rotated ones sealed in the cache); used by SDK authentication and by the Admin API.
import { Module } from '@nestjs/common';
import { CacheModule } from '../cache/cache.module.js';
import { SchedulingModule } from '../scheduling/scheduling.module.js';
import { SigningKeys } from './signing-keys.service.js';

@Module({
  imports: [CacheModule, SchedulingModule],
  providers: [SigningKeys],
  exports: [SigningKeys],
})
export class SigningKeysModule {}
