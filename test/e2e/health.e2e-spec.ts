import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { HeartbeatService } from '../../src/health/heartbeat.service.js';
import { createTestApp, type TestApp } from '../support/create-test-app.js';

describe('GET /health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports config, upstream stream and cache state without authentication', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      configStatus: { state: 'SYNCED', since: expect.any(Number) },
      // Offline there is no upstream stream.
      streamStatus: { state: 'DISCONNECTED', since: expect.any(Number) },
      cacheStatus: 'healthy',
    });
  });
});

describe('GET /livez', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 200 without authentication, and only to GET', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/livez' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'alive' });
    expect((await t.app.inject({ method: 'POST', url: '/livez' })).statusCode).toBe(405);
  });
});

describe('GET /metrics (Prometheus)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { inMemory: true });
  });
  afterAll(() => t.close());

  it('serves the text exposition format without authentication', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });
});

describe('HEARTBEAT_INTERVAL', () => {
  it('has the process call its own /health on the interval', async () => {
    const t = await createTestApp({ HEARTBEAT_INTERVAL: '1' }, { inMemory: true, listen: true });
    try {
      const heartbeat = t.app.get(HeartbeatService);
      await expect.poll(() => heartbeat.last?.status, { timeout: 5000 }).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('says a start still under way is not ready yet as a WARN, not an ERROR', async () => {
    const error = vi.spyOn(Logger.prototype, 'error');
    const warn = vi.spyOn(Logger.prototype, 'warn');
    // A read replica on a Redis no primary has filled: /health answers 503 until one does.
    const t = await createTestApp(
      { READ_REPLICA: 'true', OFFLINE: 'false', HEARTBEAT_INTERVAL: '1' },
      { listen: true },
    );
    try {
      const heartbeat = t.app.get(HeartbeatService);
      await expect.poll(() => heartbeat.last?.status, { timeout: 5000 }).toBe(503);
      expect(warn).toHaveBeenCalledWith(expect.anything(), 'heartbeat: not ready yet');
      expect(error.mock.calls.filter(([, msg]) => String(msg).startsWith('heartbeat'))).toEqual([]);
    } finally {
      error.mockRestore();
      warn.mockRestore();
      await t.close();
    }
  });

  it('is off with HEARTBEAT_INTERVAL=0 (the Go proxy panics on it)', async () => {
    const t = await createTestApp({ HEARTBEAT_INTERVAL: '0' }, { inMemory: true, listen: true });
    try {
      // Neither the first (jittered) run nor the interval is scheduled.
      const scheduler = t.app.get(SchedulerRegistry);
      const jobs = [...scheduler.getIntervals(), ...scheduler.getTimeouts()];
      expect(jobs.filter((name) => name.startsWith('heartbeat'))).toEqual([]);
      // The registry does hold the jobs that are on.
      expect(jobs.some((name) => name.startsWith('cache-health'))).toBe(true);
    } finally {
      await t.close();
    }
  });
});
