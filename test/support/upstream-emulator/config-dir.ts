import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { EnvironmentSeed } from './environment-store.js';
import { isFeatureConfig, isSegment, isString } from './json-guards.js';

async function readJsonArray<T>(file: string, isItem: (item: unknown) => item is T): Promise<T[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
      return [];
    }
    throw error;
  }
  const value: unknown = JSON.parse(text);
  if (value === null) {
    return [];
  }
  if (!Array.isArray(value) || !value.every(isItem)) {
    throw new Error(`${file}: not an array of the expected objects`);
  }
  return value;
}

async function readEnvironment(dir: string): Promise<EnvironmentSeed> {
  return {
    id: basename(dir).replace(/^env-/, ''),
    apiKeyHashes: await readJsonArray(join(dir, 'auth_config.json'), isString),
    featureConfigs: await readJsonArray(join(dir, 'feature_config.json'), isFeatureConfig),
    segments: await readJsonArray(join(dir, 'segments.json'), isSegment),
  };
}

/**
 * Reads an offline config directory (docs/offline-config.md): every directory whose name
 * contains `env-`, at any depth, is an environment. `auth_config.json` holds hashes only.
 */
export async function loadConfigDir(root: string): Promise<EnvironmentSeed[]> {
  const seeds: EnvironmentSeed[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.filter((e) => e.isDirectory())) {
      const path = join(dir, entry.name);
      if (entry.name.includes('env-')) {
        seeds.push(await readEnvironment(path));
      }
      await walk(path);
    }
  };
  await walk(root);
  return seeds;
}
