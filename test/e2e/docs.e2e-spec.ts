/**
 * The repository explains itself and its pages stay true: the generated configuration reference
 * matches the code, the Redis layout page names every key the code builds, and every page a
 * source comment or a doc links to exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderConfigurationReference } from '../../scripts/configuration/render-reference.js';
import { CACHE_KEYS, sha256Hex } from '../../src/cache/cache-keys.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (file: string) => readFileSync(`${ROOT}${file}`, 'utf8');

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

describe('pointers to docs', () => {
  const SOURCE_DIRS = ['src', 'test', 'scripts', 'bench', 'helm', 'examples'];
  const sources = SOURCE_DIRS.flatMap((dir) =>
    readdirSync(`${ROOT}${dir}`, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.(ts|mjs|yaml|tpl|txt|json)$/.test(file))
      .map((file) => `${dir}/${file}`),
  );

  it('no source file or page points at a spec outside the repository', () => {
    const pages = readdirSync(`${ROOT}docs`, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`);
    const outside = [...sources, 'README.md', ...pages].filter((file) => {
      if (file === 'test/e2e/docs.e2e-spec.ts') {
        return false; // this check itself
      }
      const text = read(file);
      // `§` numbered the sections of the external spec; WHATWG's section in the SSE parser is fine.
      return /shared\/spec|§(?!9\.2\.6)/.test(text);
    });
    expect(outside).toEqual([]);
  });

  it('every docs/ page a source file names exists', () => {
    const named = new Set(
      sources.flatMap((file) => [...read(file).matchAll(/\bdocs\/[\w./-]+\.md/g)].map((m) => m[0])),
    );
    expect([...named].filter((page) => !existsSync(`${ROOT}${page}`))).toEqual([]);
  });

  it('every relative link of the docs and the README resolves inside the repository', () => {
    const pages = [
      'README.md',
      ...readdirSync(`${ROOT}docs`, { recursive: true, encoding: 'utf8' })
        .filter((file) => file.endsWith('.md'))
        .map((file) => `docs/${file}`),
    ];
    const broken = pages.flatMap((page) =>
      [...read(page).matchAll(/\]\(([^)#\s]+)(#[^)\s]*)?\)/g)]
        .map((m) => m[1] ?? '')
        .filter((target) => !/^[a-z]+:/.test(target))
        .filter((target) => {
          const resolved = path.join(ROOT, path.dirname(page), target);
          return !resolved.startsWith(ROOT) || !existsSync(resolved);
        })
        .map((target) => `${page} → ${target}`),
    );
    expect(broken).toEqual([]);
  });
});
