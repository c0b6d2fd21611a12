import { Writable } from 'node:stream';
import { pino } from 'pino';
import { LOG_LINE_OPTIONS } from './logger-options.js';

describe('LOG_LINE_OPTIONS (the server and one-shot commands alike)', () => {
  it('writes text levels, RFC 3339 UTC times and redacts secrets', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    pino(LOG_LINE_OPTIONS, sink).warn({ proxy: { proxyKey: 'secret-key' } }, 'hello');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line.level).toBe('warn');
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(line.proxy).toEqual({ proxyKey: '[redacted]' });
  });
});
