/**
 * Writes docs/configuration.md from the EnvVars class and scripts/configuration/variable-docs.ts.
 *
 *   npm run docs:config            regenerates the page
 *   npm run docs:config -- --check exits 1 if the page is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigurationReference } from './configuration/render-reference.js';

export const CONFIGURATION_PAGE = fileURLToPath(
  new URL('../docs/configuration.md', import.meta.url),
);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const page = renderConfigurationReference();
  if (process.argv.includes('--check')) {
    if (readFileSync(CONFIGURATION_PAGE, 'utf8') !== page) {
      console.error('docs/configuration.md is out of date: run npm run docs:config');
      process.exit(1);
    }
  } else {
    writeFileSync(CONFIGURATION_PAGE, page);
  }
}
