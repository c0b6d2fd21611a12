import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchEnvironment, sha256Hex } from './generate.js';

/** Writes environments in the Harness offline layout (`env-<uuid>/…json`) under `dir`. */
export async function writeOfflineDir(
  dir: string,
  environments: BenchEnvironment[],
): Promise<void> {
  for (const env of environments) {
    const envDir = join(dir, `env-${env.id}`);
    await mkdir(envDir, { recursive: true });
    const files: [string, unknown][] = [
      ['auth_config.json', [sha256Hex(env.sdkKey)]],
      ['feature_config.json', env.flags],
      ['segments.json', env.segments],
      ['targets.json', env.targets],
    ];
    await Promise.all(
      files.map(([name, value]) => writeFile(join(envDir, name), JSON.stringify(value, null, 2))),
    );
  }
}
