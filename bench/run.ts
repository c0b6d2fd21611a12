/**
 * `npm run bench`: measures one relay instance against two baselines in the same run and
 * appends the tables to BENCHMARKS.md (see its header, and `--help`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installCleanup, killAll, trackDir } from './lib/children.js';
import { machineInfo } from './lib/machine.js';
import { parseOptions } from './lib/options.js';
import { buildRelay } from './lib/relay.js';
import { appendSection, renderSection } from './lib/report.js';
import type { BenchResults } from './lib/results.js';
import { runHttp } from './scenarios/http.js';
import { runScale } from './scenarios/scale.js';
import { runSse } from './scenarios/sse.js';

const log = (line: string): void => console.log(line);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  installCleanup();
  const startedAt = new Date();
  const workDir = trackDir(await mkdtemp(join(tmpdir(), 'ff-relay-bench-')));
  const results: BenchResults = {};
  try {
    log('building the relay (tsc)…');
    await buildRelay();
    if (options.scenarios.includes('http')) {
      log('requests:');
      results.http = await runHttp(options, workDir, log);
    }
    if (options.scenarios.includes('sse')) {
      log('SSE fan-out:');
      results.sse = await runSse(options, log);
    }
    if (options.scenarios.includes('scale')) {
      log('scale:');
      results.scale = await runScale(options, log);
    }
  } finally {
    killAll();
    await rm(workDir, { recursive: true, force: true });
  }
  const section = renderSection(results, machineInfo(), options, startedAt);
  const output = resolve(options.output);
  await appendSection(output, section);
  log(`\n${section}\nappended to ${output}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    killAll();
    process.exit(1);
  },
);
