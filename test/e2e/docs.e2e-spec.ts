/**
 * The repository explains itself and its pages stay true: the generated configuration reference
 * matches the code, the Redis layout page names every key the code builds, and every page a
 * source comment or a doc links to exists.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigurationReference } from '../../scripts/configuration/render-reference.js';
import { CACHE_KEYS, sha256Hex } from '../../src/cache/cache-keys.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` generates from the EnvVars class', () => {
    expect(read('docs/configuration.md'), 'run npm run docs:config').toBe(
      renderConfigurationReference(),
    );
  });
});

describe('docs/redis-layout.md', () => {
  const page = read('docs/redis-layout.md');

  /** A key as the page writes it: each parameter as `<name>`, a hashed one as `<sha256(name)>`. */
  function shown(build: string | ((...args: never[]) => string)): string {
    if (typeof build === 'string') {
      return build;
    }
    const params = (/^\(([^)]*)\)/.exec(build.toString())?.[1] ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    // Every parameter is given as text, `minute` too: the page shows placeholders, not values.
    let key = String(
      Reflect.apply(
        build,
        undefined,
        params.map((p) => `<${p}>`),
      ),
    );
    for (const p of params) {
      key = key.replace(sha256Hex(`<${p}>`), `<sha256(${p})>`);
    }
    return key;
  }

  it.each(Object.entries(CACHE_KEYS))(
    'names CACHE_KEYS.%s and the key it builds',
    (name, build) => {
      expect(page).toContain(`\`CACHE_KEYS.${name}\``);
      expect(page).toContain(`\`${shown(build)}\``);
    },
  );
});
