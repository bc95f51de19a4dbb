/**
 * Strict structural validation of manifests, as the API server's strict
 * field validation (`kubectl apply --validate=strict`) reports them: unknown
 * fields, values of the wrong JSON type and, for fields upstream's OpenAPI
 * marks required, missing values, each with its field path.
 *
 * Kubernetes kinds come from generated.json (scripts/gen-schema.ts, from the
 * kubernetes-types declarations); ksim's component configurations
 * (KubeSchedulerConfiguration, KubeletConfiguration) from componentConfig.ts.
 * Semantic validation (names, quantities' syntax, enum values, cross-field
 * rules) is not done here: see src/api/validation.ts.
 */
import type { FieldError } from '../errors.ts';
import generated from './generated.json' with { type: 'json' };
import { KUBELET_TYPES, PLUGIN_ARGS_TYPES, SCHEDULER_TYPES } from './componentConfig.ts';
import { SchemaError, SchemaSet, type SchemaNode, type TypeTable } from './model.ts';
import { checkValue, jsonTypeName } from './validate.ts';

export { SchemaError } from './model.ts';

interface GeneratedSchema {
  kinds: Record<string, Record<string, string>>;
  types: TypeTable;
}

const schema = generated as unknown as GeneratedSchema;

/**
 * Names for types kubernetes-types inlines rather than names; usable with
 * validateAgainst like any generated type name.
 */
const ALIAS_REFS: Readonly<Record<string, string>> = {
  ResourceList: '{}quantity',
};

const kubeTypes = new SchemaSet(schema.types);
const schedulerTypes = new SchemaSet(SCHEDULER_TYPES, kubeTypes);
const kubeletTypes = new SchemaSet(KUBELET_TYPES, kubeTypes);

export const SCHEDULER_CONFIG_API_VERSION = 'kubescheduler.config.k8s.io/v1';
export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';

/** apiVersion -> kind -> root node. */
const roots = new Map<string, Map<string, SchemaNode>>();
for (const apiVersion of Object.keys(schema.kinds).sort()) {
  const kinds = new Map<string, SchemaNode>();
  for (const [kind, typeName] of Object.entries(schema.kinds[apiVersion]!)) kinds.set(kind, kubeTypes.node(typeName));
  roots.set(apiVersion, kinds);
}
roots.set(SCHEDULER_CONFIG_API_VERSION, new Map([['KubeSchedulerConfiguration', schedulerTypes.node('KubeSchedulerConfiguration')]]));
roots.set(KUBELET_CONFIG_API_VERSION, new Map([['KubeletConfiguration', kubeletTypes.node('KubeletConfiguration')]]));

/** Compiled nodes for validateAgainst, by type name or ref. */
const nodeCache = new Map<string, SchemaNode>();

/** True when ksim has a structural schema for this apiVersion/kind (including `v1 List`). */
export function knownKind(apiVersion: string, kind: string): boolean {
  if (apiVersion === 'v1' && kind === 'List') return true;
  return roots.get(apiVersion)?.has(kind) ?? false;
}

/** The kinds with a schema, as "apiVersion/kind" pairs (sorted). */
export function knownKinds(): Array<{ apiVersion: string; kind: string }> {
  const out: Array<{ apiVersion: string; kind: string }> = [{ apiVersion: 'v1', kind: 'List' }];
  for (const [apiVersion, kinds] of roots) for (const kind of kinds.keys()) out.push({ apiVersion, kind });
  return out.sort((a, b) => (a.apiVersion === b.apiVersion ? cmp(a.kind, b.kind) : cmp(a.apiVersion, b.apiVersion)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function prefixed(prefix: string, errs: FieldError[]): FieldError[] {
  if (!prefix) return errs;
  for (const e of errs) e.path = e.path ? `${prefix}.${e.path}` : prefix;
  return errs;
}

/**
 * Structural errors of one manifest. Objects whose apiVersion/kind ksim has
 * no schema for (or that lack them) give [] — callers report unknown kinds
 * themselves. A `v1 List` has each item checked by its own kind, with paths
 * "items[i]....".
 */
export function validateManifestShape(obj: unknown): FieldError[] {
  if (!isPlainObject(obj)) return [];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  if (apiVersion === 'v1' && kind === 'List') return validateList(obj);
  if (apiVersion === SCHEDULER_CONFIG_API_VERSION && kind === 'KubeSchedulerConfiguration') {
    return validateSchedulerConfigurationShape(obj, '');
  }
  const node = roots.get(apiVersion)?.get(kind);
  return node ? checkValue(node, obj, '') : [];
}

function validateList(obj: Record<string, unknown>): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(obj)) {
    if (key !== 'apiVersion' && key !== 'kind' && key !== 'metadata' && key !== 'items') {
      errs.push({ path: key, type: 'FieldValueUnknown', detail: '' });
    }
  }
  errs.push(...validateAgainst('ListMeta', obj['metadata'], 'metadata'));
  const items = obj['items'];
  if (items === undefined || items === null) return errs;
  if (!Array.isArray(items)) {
    errs.push({ path: 'items', type: 'TypeInvalid', value: isPlainObject(items) ? undefined : items, detail: `expected array, got ${jsonTypeName(items)}` });
    return errs;
  }
  items.forEach((item: unknown, i) => {
    const path = `items[${i}]`;
    if (!isPlainObject(item)) {
      if (item !== null && item !== undefined) {
        errs.push({ path, type: 'TypeInvalid', value: Array.isArray(item) ? undefined : item, detail: `expected object, got ${jsonTypeName(item)}` });
      }
      return;
    }
    errs.push(...prefixed(path, validateManifestShape(item)));
  });
  return errs;
}

/**
 * Validate a value against a named schema type (e.g. "PodTemplateSpec",
 * "ResourceList", "Container", "autoscaling/v2.MetricSpec", or a ref such as
 * "[]Toleration"), reporting paths under `path`. Null/undefined pass.
 * Throws SchemaError for a type name ksim has no schema for.
 */
export function validateAgainst(typeName: string, value: unknown, path: string): FieldError[] {
  let node = nodeCache.get(typeName);
  if (!node) {
    const ref = ALIAS_REFS[typeName] ?? typeName;
    node = resolveNode(ref);
    nodeCache.set(typeName, node);
  }
  return checkValue(node, value, path);
}

function resolveNode(ref: string): SchemaNode {
  for (const set of [kubeTypes, schedulerTypes, kubeletTypes]) {
    try {
      return set.node(ref);
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
    }
  }
  throw new SchemaError(`unknown schema type "${ref}"`);
}

/**
 * kubescheduler.config.k8s.io/v1 KubeSchedulerConfiguration, including the
 * args of in-tree plugins (which upstream decodes strictly as <Name>Args).
 * Out-of-tree plugins' args are free-form.
 */
export function validateSchedulerConfigurationShape(obj: unknown, path: string): FieldError[] {
  const errs = checkValue(schedulerTypes.node('KubeSchedulerConfiguration'), obj, path);
  if (!isPlainObject(obj) || !Array.isArray(obj['profiles'])) return errs;
  const base = path ? `${path}.` : '';
  obj['profiles'].forEach((profile: unknown, i) => {
    if (!isPlainObject(profile) || !Array.isArray(profile['pluginConfig'])) return;
    profile['pluginConfig'].forEach((pc: unknown, j) => {
      if (!isPlainObject(pc) || typeof pc['name'] !== 'string') return;
      const argsType = PLUGIN_ARGS_TYPES.get(pc['name']);
      if (argsType) errs.push(...checkValue(schedulerTypes.node(argsType), pc['args'], `${base}profiles[${i}].pluginConfig[${j}].args`));
    });
  });
  return errs;
}

/** kubelet.config.k8s.io/v1beta1 KubeletConfiguration. */
export function validateKubeletConfigurationShape(obj: unknown, path: string): FieldError[] {
  return checkValue(kubeletTypes.node('KubeletConfiguration'), obj, path);
}

/**
 * Upstream's strict-decoding wording for unknown-field errors, e.g.
 * `strict decoding error: unknown field "spec.foo", unknown field "spec.bar"`
 * (the API server's BadRequest text after "cannot be handled as a <Kind>: ").
 * Returns undefined when there is no unknown field among `errs`.
 */
export function strictDecodingMessage(errs: readonly FieldError[]): string | undefined {
  const unknown = errs.filter((e) => e.type === 'FieldValueUnknown').map((e) => `unknown field "${e.path}"`);
  return unknown.length > 0 ? `strict decoding error: ${unknown.join(', ')}` : undefined;
}
