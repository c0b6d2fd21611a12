/**
 * `npm run soak`: one relay under steady load for an hour (`--minutes`), sampled each minute;
 * appends the trends to RELIABILITY.md and exits 1 when a budget is broken.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installCleanup, killAll } from '../lib/children.js';
import { buildRelay } from '../lib/relay.js';
import { appendSection } from './lib/report.js';
import { runSoak, SOAK_BUILD } from './lib/soak.js';
import { parseSoakOptions } from './lib/soak-options.js';
import { renderSoak, soakBudgets } from './lib/soak-report.js';

const log = (line: string): void => console.log(line);

async function main(): Promise<boolean> {
  const options = parseSoakOptions(process.argv.slice(2));
  installCleanup();
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'ff-relay-soak-')));
  await mkdir(logDir, { recursive: true });
  try {
    log('building the relay (tsc)…');
    await buildRelay(SOAK_BUILD);
    log(`soak: ${options.minutes} min, a sample every ${options.sampleSeconds} s`);
    const results = await runSoak(options, logDir, log);
    const budgets = soakBudgets(results);
    const section = renderSoak(results, budgets);
    const output = resolve(options.output);
    await appendSection(output, section);
    if (options.json) {
      await writeFile(options.json, JSON.stringify({ ...results, budgets }, null, 2));
    }
    log(`\n${section}\nappended to ${output}`);
    const broken = budgets.filter((b) => !b.met);
    broken.forEach((b) => log(`budget broken: ${b.name}: ${b.measured}`));
    return broken.length === 0;
  } finally {
    if (options.logDir) {
      log(`relay log in ${logDir}`);
    } else {
      await rm(logDir, { recursive: true, force: true });
    }
  }
}

main().then(
  (met) => process.exit(met ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    killAll();
    process.exit(2);
  },
);
