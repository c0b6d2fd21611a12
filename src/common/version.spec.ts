import { readFileSync } from 'node:fs';
import { PROXY_VERSION } from './version.js';

describe('PROXY_VERSION', () => {
  it('is the package version', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(PROXY_VERSION).toBe(pkg.version);
  });
});
