/**
 * The repository explains itself and its pages stay true: the generated configuration reference
 * matches the code, the Redis layout page names every key the code builds, and every page a
 * source comment or a doc links to exists.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigurationReference } from '../../scripts/configuration/render-reference.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

describe('docs/configuration.md', () => {
  it('is what `npm run docs:config` generates from the EnvVars class', () => {
    expect(read('docs/configuration.md'), 'run npm run docs:config').toBe(
      renderConfigurationReference(),
    );
  });
});
