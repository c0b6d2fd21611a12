import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../../model/environment-config.js';

/**
 * Writes the offline config layout (docs/offline-config.md): one `env-<uuid>/` directory
 * per environment with compact JSON files and a README. An existing directory (a mounted
 * volume) is reused and its files overwritten.
 */
export async function writeOfflineConfig(
  root: string,
  environments: readonly EnvironmentConfig[],
  now = new Date(),
): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const env of environments) {
    const dir = join(root, `env-${env.id}`);
    await mkdir(dir, { recursive: true });
    const files: Record<string, unknown> = {
      'auth_config.json': env.apiKeys,
      'feature_config.json': env.featureConfigs,
      'segments.json': env.segments,
      // The upstream config carries no targets.
      'targets.json': [],
    };
    for (const [name, content] of Object.entries(files)) {
      await writeFile(join(dir, name), `${JSON.stringify(content)}\n`);
    }
    await writeFile(join(dir, 'README.md'), readme(env, now));
  }
}

function readme(env: EnvironmentConfig, now: Date): string {
  const stamp =
    `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ` +
    `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  return [
    '',
    `# Env-${env.id}`,
    '',
    `Env name: ${env.featureConfigs[0]?.environment ?? ''}`,
    '',
    `Number of Features: ${env.featureConfigs.length}`,
    '',
    `Number of Targets: ${env.targets.length}`,
    '',
    `Number of Segments: ${env.segments.length}`,
    '',
    `Generated at: ${stamp}`,
    '',
  ].join('\n');
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
