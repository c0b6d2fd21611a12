import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import { parseAllDocuments } from 'yaml';
import { helmBinary } from '../../scripts/helm.js';
import { EnvVars } from '../../src/config/env-vars.js';

export const CHART_DIR = fileURLToPath(new URL('../../helm/ff-relay', import.meta.url));
export const RELEASE = 'relay';
export const NAMESPACE = 'flags';

/** A rendered Kubernetes object; tests read whichever fields they check. */
export type Manifest = {
  kind: string;
  metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> };
} & Record<string, any>;

export interface HelmResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with a values file holding `values` (JSON is YAML). */
export function helm(args: string[], values: object = {}): HelmResult {
  const dir = mkdtempSync(join(tmpdir(), 'ff-relay-helm-'));
  try {
    const file = join(dir, 'values.yaml');
    writeFileSync(file, JSON.stringify(values));
    const result = spawnSync(helmBinary(), [...args, '-f', file], { encoding: 'utf8' });
    return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function template(values: object, args: string[] = []): HelmResult {
  return helm(['template', RELEASE, CHART_DIR, '--namespace', NAMESPACE, ...args], values);
}

/** Renders and parses the manifests; a failed render fails the test with helm's message. */
export function render(values: object, args: string[] = []): Manifest[] {
  const result = template(values, args);
  if (result.status !== 0) {
    throw new Error(`helm template failed: ${result.stderr}`);
  }
  return parseAllDocuments(result.stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

export function find(manifests: Manifest[], kind: string, name: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) {
    const present = manifests.map((m) => `${m.kind}/${m.metadata.name}`).join(', ');
    throw new Error(`${kind}/${name} not rendered; rendered: ${present}`);
  }
  return found;
}

export function kinds(manifests: Manifest[]): string[] {
  return manifests.map((m) => `${m.kind}/${m.metadata.name}`).sort();
}

/** Plain deep merge for values objects (arrays and scalars of `b` replace those of `a`). */
export function merge(a: Record<string, any>, b: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...a };
  for (const [key, value] of Object.entries(b)) {
    const isObject = (v: unknown): boolean =>
      typeof v === 'object' && v !== null && !Array.isArray(v);
    out[key] = isObject(value) && isObject(out[key]) ? merge(out[key], value) : value;
  }
  return out;
}

/** Every environment variable the proxy reads: the properties of the validated EnvVars class. */
export function proxyEnvVarNames(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvVars, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))].sort();
}
