import { claimTestDb, releaseTestDb } from './redis.js';

// Runs around every e2e test file: a Redis DB no other running file uses.
beforeAll(claimTestDb);
afterAll(releaseTestDb);
