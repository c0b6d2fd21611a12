/**
 * `npm run chaos`: faults together, under load (see RELIABILITY.md's header and `--help`).
 * Appends a section to RELIABILITY.md and exits 1 when a budget is broken.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installCleanup, killAll } from '../lib/children.js';
import { buildRelay } from '../lib/relay.js';
import { chaosBudgets } from './lib/budgets.js';
import { runChaos } from './lib/chaos.js';
import { parseChaosOptions } from './lib/options.js';
import { CHAOS_BUILD } from './lib/relay-process.js';
import { appendSection, renderChaos } from './lib/report.js';

const log = (line: string): void => console.log(line);

async function main(): Promise<boolean> {
  const options = parseChaosOptions(process.argv.slice(2));
  installCleanup();
  const logDir = options.logDir ?? (await mkdtemp(join(tmpdir(), 'ff-relay-chaos-')));
  await mkdir(logDir, { recursive: true });
  try {
    log('building the relay (tsc)…');
    await buildRelay(CHAOS_BUILD);
    const results = await runChaos(options, logDir, log);
    const budgets = chaosBudgets(results);
    const section = renderChaos(results, budgets);
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
      log(`relay logs in ${logDir}`);
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
