import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Manifest } from './helm-chart.js';

/**
 * Checks rendered manifests against the Kubernetes API schemas of the releases the chart supports,
 * in two layers, both from npm packages generated from the Kubernetes OpenAPI spec:
 *
 * - per release (1.33, 1.34, 1.36): the models of `@kubernetes/client-node` generated from that
 *   release, turned into a strict JSON Schema: the kind must be served, every field must exist
 *   (kubectl's strict field validation refuses unknown ones), required fields present, types right;
 * - `kubernetes-models` (Kubernetes 1.36 OpenAPI, with enums and formats), and its CRD packages
 *   for the Istio VirtualService and the Prometheus Operator ServiceMonitor (not strict).
 */
export const KUBERNETES_VERSIONS = ['1.33', '1.34', '1.36'] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

const CLIENT_MODELS: Record<KubernetesVersion, string> = {
  '1.33': 'kubernetes-client-node-1.33',
  '1.34': 'kubernetes-client-node-1.34',
  '1.36': 'kubernetes-client-node-1.36',
};
const CRD_PACKAGES: Record<string, string> = {
  'networking.istio.io': '@kubernetes-models/istio',
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
};
/** Fields of type resource.Quantity, which the client models type as strings: YAML numbers too. */
const QUANTITIES = new Set([
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1EmptyDirVolumeSource.sizeLimit',
]);

interface Attribute {
  baseName: string;
  type: string;
  format: string;
}
type Schema = Record<string, unknown>;
interface ModelClass {
  new (data: unknown): { validate(): void };
}

function modelsDir(version: KubernetesVersion): string {
  return fileURLToPath(
    new URL(`../../node_modules/${CLIENT_MODELS[version]}/dist/gen/models/`, import.meta.url),
  );
}

/** The Kubernetes release the installed client models were generated from, e.g. "1.33". */
export function modelsRelease(version: KubernetesVersion): string | undefined {
  const header = readFileSync(join(modelsDir(version), 'V1PodSpec.js'), 'utf8');
  return /OpenAPI spec version: (?:v|release-)(\d+\.\d+)/.exec(header)?.[1];
}

/** Every problem of one manifest, across the supported releases; empty when valid everywhere. */
export async function kubernetesProblems(manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  const isCrd = Object.keys(CRD_PACKAGES).includes(group(manifest.apiVersion));
  for (const version of KUBERNETES_VERSIONS) {
    if (!isCrd) {
      problems.push(...(await strictProblems(version, manifest)));
    }
  }
  problems.push(...(await openApiProblems(manifest)));
  return problems.map((p) => `${manifest.kind}/${manifest.metadata.name}: ${p}`);
}

function group(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
}

async function openApiProblems(manifest: Manifest): Promise<string[]> {
  const crdPackage = CRD_PACKAGES[group(manifest.apiVersion)];
  const specifier = crdPackage
    ? `${crdPackage}/${manifest.apiVersion}/${manifest.kind}`
    : `kubernetes-models/${manifest.apiVersion}/${manifest.kind}`;
  let module: Record<string, ModelClass | undefined>;
  try {
    module = (await import(specifier)) as Record<string, ModelClass | undefined>;
  } catch {
    return [`kubernetes-models: no ${manifest.apiVersion} ${manifest.kind}`];
  }
  const Model = module[manifest.kind];
  if (!Model) {
    return [`kubernetes-models: ${specifier} exports no ${manifest.kind}`];
  }
  try {
    new Model(manifest).validate();
    return [];
  } catch (error) {
    return [`kubernetes-models (1.36): ${(error as Error).message}`];
  }
}

const validators = new Map<string, ValidateFunction | undefined>();

async function strictProblems(version: KubernetesVersion, manifest: Manifest): Promise<string[]> {
  const apiVersion = manifest.apiVersion as string;
  const versionPart = apiVersion.slice(apiVersion.lastIndexOf('/') + 1);
  const model = `${versionPart.charAt(0).toUpperCase()}${versionPart.slice(1)}${manifest.kind}`;
  const cacheKey = `${version} ${model}`;
  if (!validators.has(cacheKey)) {
    validators.set(cacheKey, await compile(version, model));
  }
  const validate = validators.get(cacheKey);
  if (!validate) {
    return [`Kubernetes ${version} serves no ${apiVersion} ${manifest.kind}`];
  }
  return validate(manifest) ? [] : (validate.errors ?? []).map((e) => describe(version, e));
}

function describe(version: string, error: ErrorObject): string {
  const extra =
    error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
  return `Kubernetes ${version} ${error.instancePath || '/'} ${error.message ?? ''}${extra}`;
}

/** A strict JSON Schema of one model and every model it refers to, compiled; undefined if absent. */
async function compile(
  version: KubernetesVersion,
  root: string,
): Promise<ValidateFunction | undefined> {
  const dir = modelsDir(version);
  if (!existsSync(join(dir, `${root}.js`))) {
    return undefined;
  }
  const definitions: Record<string, Schema> = {};
  const pending = [root];
  while (pending.length > 0) {
    const name = pending.pop() ?? '';
    if (definitions[name]) {
      continue;
    }
    const refs = new Set<string>();
    definitions[name] = await modelSchema(dir, name, refs);
    pending.push(...refs);
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  return ajv.compile({ $ref: `#/definitions/${root}`, definitions });
}

async function modelSchema(dir: string, name: string, refs: Set<string>): Promise<Schema> {
  const module = (await import(pathToFileURL(join(dir, `${name}.js`)).href)) as Record<
    string,
    { getAttributeTypeMap(): Attribute[] } | undefined
  >;
  const attributes = module[name]?.getAttributeTypeMap() ?? [];
  // The generated declarations mark optional fields with `?`: the others are required.
  const declaration = readFileSync(join(dir, `${name}.d.ts`), 'utf8');
  const required = [...declaration.matchAll(/^ {4}'([^']+)':/gm)].map((m) => m[1] ?? '');
  const properties: Record<string, Schema> = {};
  for (const attribute of attributes) {
    properties[attribute.baseName] = QUANTITIES.has(`${name}.${attribute.baseName}`)
      ? quantitySchema(attribute.type)
      : typeSchema(attribute.type, attribute.format, refs);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

function quantitySchema(type: string): Schema {
  const quantity = { type: ['string', 'number'] };
  return type.startsWith('{') ? { type: 'object', additionalProperties: quantity } : quantity;
}

function typeSchema(type: string, format: string, refs: Set<string>): Schema {
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1]) {
    return { type: 'array', items: typeSchema(array[1], format, refs) };
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1]) {
    return { type: 'object', additionalProperties: typeSchema(map[1], format, refs) };
  }
  switch (type) {
    case 'string':
    case 'Date':
      return { type: 'string' };
    case 'number':
      return { type: format.startsWith('int') ? 'integer' : 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'IntOrString':
      return { type: ['string', 'integer'] };
    case 'any':
    case 'object':
      return {};
    default:
      refs.add(type);
      return { $ref: `#/definitions/${type}` };
  }
}
