/**
 * Generates src/api/schema/generated.json: a compact structural schema of the
 * Kubernetes kinds ksim models, read from the `kubernetes-types` declarations
 * (which are themselves generated from upstream's OpenAPI spec; a property
 * without `?` is one upstream's OpenAPI lists under "required").
 *
 * Run: npx tsx scripts/gen-schema.ts            (writes the file)
 *      npx tsx scripts/gen-schema.ts --check    (exit 1 if the file is stale)
 *
 * Format (see src/api/schema/model.ts for the reader):
 *   { "kinds": { "<apiVersion>": { "<Kind>": "<TypeName>" } },
 *     "types": { "<TypeName>": { "<field>": "<ref>" } } }
 * A <ref> is one of the scalars string | boolean | int32 | int64 | number |
 * quantity | int-or-string | any, a type name, "[]<ref>" (list) or "{}<ref>"
 * (map with string keys); a leading "!" marks a required field.
 * Type names are the Go/TS names; when two API groups declare the same name
 * both are qualified with their module, e.g. "autoscaling/v2.MetricSpec".
 */
import ts from 'typescript';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..');
const typesDir = join(repo, 'node_modules', 'kubernetes-types');
const outFile = join(repo, 'src', 'api', 'schema', 'generated.json');

/** apiVersion, kind, module (file under kubernetes-types without .d.ts), type name. */
const ROOTS: Array<[string, string, string]> = [
  ['v1', 'Pod', 'core/v1'],
  ['v1', 'Node', 'core/v1'],
  ['v1', 'Namespace', 'core/v1'],
  ['v1', 'Service', 'core/v1'],
  ['v1', 'ConfigMap', 'core/v1'],
  ['v1', 'Secret', 'core/v1'],
  ['v1', 'PersistentVolume', 'core/v1'],
  ['v1', 'PersistentVolumeClaim', 'core/v1'],
  ['v1', 'LimitRange', 'core/v1'],
  ['v1', 'ResourceQuota', 'core/v1'],
  ['v1', 'ReplicationController', 'core/v1'],
  ['v1', 'Event', 'core/v1'],
  ['v1', 'PodTemplate', 'core/v1'],
  ['v1', 'ServiceAccount', 'core/v1'],
  ['events.k8s.io/v1', 'Event', 'events/v1'],
  ['apps/v1', 'Deployment', 'apps/v1'],
  ['apps/v1', 'ReplicaSet', 'apps/v1'],
  ['apps/v1', 'StatefulSet', 'apps/v1'],
  ['apps/v1', 'DaemonSet', 'apps/v1'],
  ['apps/v1', 'ControllerRevision', 'apps/v1'],
  ['batch/v1', 'Job', 'batch/v1'],
  ['batch/v1', 'CronJob', 'batch/v1'],
  ['scheduling.k8s.io/v1', 'PriorityClass', 'scheduling/v1'],
  ['policy/v1', 'PodDisruptionBudget', 'policy/v1'],
  ['storage.k8s.io/v1', 'StorageClass', 'storage/v1'],
  ['storage.k8s.io/v1', 'CSINode', 'storage/v1'],
  ['storage.k8s.io/v1', 'CSIDriver', 'storage/v1'],
  ['autoscaling/v1', 'HorizontalPodAutoscaler', 'autoscaling/v1'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'autoscaling/v2'],
  ['coordination.k8s.io/v1', 'Lease', 'coordination/v1'],
  ['node.k8s.io/v1', 'RuntimeClass', 'node/v1'],
];

/**
 * kubernetes-types renders every integer as `number`, dropping the OpenAPI
 * format. Upstream's Go types are int32 unless listed here (int64 in
 * k8s.io/api, v1.31). Keyed "<TypeName>.<field>" with the unqualified name;
 * "*.<field>" applies to every type. Unlisted numbers are int32, whose range
 * the JSON decoder enforces ("cannot unmarshal number ... of type int32").
 */
const INT64_FIELDS = new Set([
  '*.activeDeadlineSeconds',
  '*.terminationGracePeriodSeconds',
  '*.runAsUser',
  '*.runAsGroup',
  '*.fsGroup',
  '*.supplementalGroups',
  '*.observedGeneration',
  '*.generation',
  '*.deletionGracePeriodSeconds',
  '*.expirationSeconds',
  '*.startingDeadlineSeconds',
  '*.uid',
  '*.tolerationSeconds',
  '*.remainingItemCount',
  '*.gid',
  'ContainerImage.sizeBytes',
  'ControllerRevision.revision',
  'SleepAction.seconds',
  'LinuxContainerUser.uid',
  'LinuxContainerUser.gid',
]);

/**
 * Fields the OpenAPI lists as required that a user may leave out:
 * - StatefulSetSpec.serviceName: marked optional upstream after the
 *   kubernetes-types release we read (kubernetes/kubernetes#130233); it was
 *   never validated as required.
 * - PodFailurePolicyOnPodConditionsPattern.status: defaulted to "True" by
 *   the API server since v1.31 (Job pod failure policy GA), before validation.
 */
const NOT_REQUIRED = new Set(['StatefulSetSpec.serviceName', 'PodFailurePolicyOnPodConditionsPattern.status']);

/**
 * Fields upstream added after the kubernetes-types release we read (1.30), so
 * that manifests written for v1.31+ are not rejected. Refs use "@<module>.<Name>"
 * for named types; a leading "!" marks required. Versions are the release
 * that introduced the field (alpha fields included: the API server accepts
 * them on the wire and drops them when the gate is off).
 */
const ADDED_FIELDS: Record<string, Record<string, string>> = {
  // v1.32 PodLevelResources; v1.34 HostnameOverride.
  'core/v1.PodSpec': { resources: '@core/v1.ResourceRequirements', hostnameOverride: 'string' },
  // v1.31 SupplementalGroupsPolicy; v1.32 SELinuxChangePolicy.
  'core/v1.PodSecurityContext': { supplementalGroupsPolicy: 'string', seLinuxChangePolicy: 'string' },
  // v1.31 DRA: claims name a request; pod claims name the claim directly.
  'core/v1.ResourceClaim': { request: 'string' },
  'core/v1.PodResourceClaim': { resourceClaimName: 'string', resourceClaimTemplateName: 'string' },
  // v1.31 ImageVolume.
  'core/v1.Volume': { image: '@core/v1.ImageVolumeSource' },
  // v1.33 ContainerStopSignals.
  'core/v1.Lifecycle': { stopSignal: 'string' },
  // v1.34 ContainerRestartRules.
  'core/v1.Container': { restartPolicyRules: '[]@core/v1.ContainerRestartRule' },
  // v1.34 EnvFiles.
  'core/v1.EnvVarSource': { fileKeyRef: '@core/v1.FileKeySelector' },
  // v1.31 ResourceHealthStatus; v1.31 SupplementalGroupsPolicy (user); v1.33 stop signals.
  'core/v1.ContainerStatus': {
    allocatedResourcesStatus: '[]@core/v1.ResourceStatus',
    user: '@core/v1.ContainerUser',
    stopSignal: 'string',
  },
  // v1.33 PodObservedGenerationTracking.
  'core/v1.PodStatus': { observedGeneration: 'int64' },
  'core/v1.PodCondition': { observedGeneration: 'int64' },
  // v1.31 node features; v1.32 runtime handler user namespaces; v1.33 swap status.
  'core/v1.NodeStatus': { features: '@core/v1.NodeFeatures' },
  'core/v1.NodeRuntimeHandlerFeatures': { userNamespaces: 'boolean' },
  'core/v1.NodeSystemInfo': { swap: '@core/v1.NodeSwapStatus' },
  // v1.33 DeploymentReplicaSetTerminatingReplicas.
  'apps/v1.DeploymentStatus': { terminatingReplicas: 'int32' },
  'apps/v1.ReplicaSetStatus': { terminatingReplicas: 'int32' },
  // v1.33 HPAConfigurableTolerance.
  'autoscaling/v2.HPAScalingRules': { tolerance: 'quantity' },
  // v1.31 CoordinatedLeaderElection.
  'coordination/v1.LeaseSpec': { strategy: 'string', preferredHolder: 'string' },
  // v1.33 MutableCSINodeAllocatableCount.
  'storage/v1.CSIDriverSpec': { nodeAllocatableUpdatePeriodSeconds: 'int64' },
};

/** Types introduced with ADDED_FIELDS. */
const ADDED_TYPES: Record<string, Record<string, string>> = {
  'core/v1.ImageVolumeSource': { pullPolicy: 'string', reference: 'string' },
  'core/v1.ContainerRestartRule': { action: '!string', exitCodes: '@core/v1.ContainerRestartRuleOnExitCodes' },
  'core/v1.ContainerRestartRuleOnExitCodes': { operator: '!string', values: '[]int32' },
  'core/v1.FileKeySelector': { key: '!string', optional: 'boolean', path: '!string', volumeName: '!string' },
  'core/v1.ResourceStatus': { name: '!string', resources: '[]@core/v1.ResourceHealth' },
  'core/v1.ResourceHealth': { health: 'string', resourceID: '!string' },
  'core/v1.ContainerUser': { linux: '@core/v1.LinuxContainerUser' },
  'core/v1.LinuxContainerUser': { gid: '!int64', supplementalGroups: '[]int64', uid: '!int64' },
  'core/v1.NodeFeatures': { supplementalGroupsPolicy: 'boolean' },
  'core/v1.NodeSwapStatus': { capacity: 'int64' },
};

/** Named types that are scalars on the wire. */
const SPECIAL: Record<string, string> = {
  'api/resource.Quantity': 'quantity',
  'meta/v1.Time': 'string',
  'meta/v1.MicroTime': 'string',
  'runtime.RawExtension': 'any',
  'meta/v1.FieldsV1': 'any',
};

interface ModuleInfo {
  interfaces: Map<string, ts.InterfaceDeclaration>;
  aliases: Map<string, ts.TypeAliasDeclaration>;
  imports: Map<string, string>;
}

const modules = new Map<string, ModuleInfo>();

function loadModule(mod: string): ModuleInfo {
  const cached = modules.get(mod);
  if (cached) return cached;
  const file = join(typesDir, `${mod}.d.ts`);
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const info: ModuleInfo = { interfaces: new Map(), aliases: new Map(), imports: new Map() };
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) info.interfaces.set(st.name.text, st);
    else if (ts.isTypeAliasDeclaration(st)) info.aliases.set(st.name.text, st);
    else if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const target = join(dirname(mod), st.moduleSpecifier.text).replace(/\\/g, '/');
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) {
        for (const el of named.elements) info.imports.set(el.name.text, target);
      }
    }
  }
  modules.set(mod, info);
  return info;
}

/** Qualified id "<module>.<Name>" of a name used inside `mod`. */
function resolveName(mod: string, name: string): string {
  const info = loadModule(mod);
  const imported = info.imports.get(name);
  if (imported !== undefined) return resolveName(imported, name);
  if (info.interfaces.has(name) || info.aliases.has(name)) return `${mod}.${name}`;
  throw new Error(`cannot resolve ${name} in ${mod}`);
}

function splitId(id: string): [string, string] {
  const dot = id.lastIndexOf('.');
  return [id.slice(0, dot), id.slice(dot + 1)];
}

/** A ref with qualified type ids ("@core/v1.Container"); names are shortened later. */
type Fields = Array<[string, string]>;
const collected = new Map<string, Fields>();
const pending: string[] = [];

function refOfId(id: string): string {
  const special = SPECIAL[id];
  if (special) return special;
  const [mod, name] = splitId(id);
  const info = loadModule(mod);
  const alias = info.aliases.get(name);
  if (alias) return refOf(alias.type, mod);
  const iface = info.interfaces.get(name);
  if (!iface) throw new Error(`no declaration for ${id}`);
  if (iface.members.length === 0) return 'any';
  if (!collected.has(id) && !pending.includes(id)) pending.push(id);
  return `@${id}`;
}

/** Queue the named types an added ref mentions. */
function noteAddedRef(ref: string): string {
  const at = ref.indexOf('@');
  if (at >= 0) {
    const id = ref.slice(at + 1);
    if (!collected.has(id) && !pending.includes(id)) pending.push(id);
  }
  return ref;
}

function refOf(node: ts.TypeNode, mod: string): string {
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return 'string';
    case ts.SyntaxKind.BooleanKeyword:
      return 'boolean';
    case ts.SyntaxKind.NumberKeyword:
      return 'number';
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
      return 'any';
  }
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return 'string';
  if (ts.isParenthesizedTypeNode(node)) return refOf(node.type, mod);
  if (ts.isArrayTypeNode(node)) return `[]${refOf(node.elementType, mod)}`;
  if (ts.isUnionTypeNode(node)) {
    const parts = [...new Set(node.types.map((t) => refOf(t, mod)))].sort();
    if (parts.length === 1) return parts[0]!;
    if (parts.join('|') === 'number|string') return 'int-or-string';
    throw new Error(`unsupported union ${node.getText()}`);
  }
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    if (name === 'Array' && node.typeArguments?.length === 1) return `[]${refOf(node.typeArguments[0]!, mod)}`;
    return refOfId(resolveName(mod, name));
  }
  if (ts.isTypeLiteralNode(node)) {
    const [only] = node.members;
    if (node.members.length === 1 && only && ts.isIndexSignatureDeclaration(only)) {
      return `{}${refOf(only.type, mod)}`;
    }
  }
  throw new Error(`unsupported type node ${ts.SyntaxKind[node.kind]}: ${node.getText()}`);
}

function numberKind(typeName: string, field: string): string {
  return INT64_FIELDS.has(`${typeName}.${field}`) || INT64_FIELDS.has(`*.${field}`) ? 'int64' : 'int32';
}

function collect(id: string): void {
  const [mod, name] = splitId(id);
  const fields: Fields = [];
  const addedType = ADDED_TYPES[id];
  if (addedType) {
    for (const [field, ref] of Object.entries(addedType)) fields.push([field, noteAddedRef(ref)]);
    collected.set(id, fields);
    return;
  }
  const iface = loadModule(mod).interfaces.get(name)!;
  for (const m of iface.members) {
    if (!ts.isPropertySignature(m) || !m.type) throw new Error(`unsupported member in ${id}`);
    const field = ts.isIdentifier(m.name) || ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
    // Integers: kubernetes-types keeps `number`; pick int32/int64 per upstream Go type.
    let ref = refOf(m.type, mod).replace(/number$/, numberKind(name, field));
    const required = !m.questionToken && !NOT_REQUIRED.has(`${name}.${field}`);
    if (required) ref = `!${ref}`;
    fields.push([field, ref]);
  }
  for (const [field, ref] of Object.entries(ADDED_FIELDS[id] ?? {})) {
    if (fields.some(([f]) => f === field)) throw new Error(`${id}.${field} already declared: drop it from ADDED_FIELDS`);
    fields.push([field, noteAddedRef(ref)]);
  }
  fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  collected.set(id, fields);
}

function main(): void {
  const kinds = new Map<string, Map<string, string>>();
  const rootIds: Array<[string, string, string]> = [];
  for (const [apiVersion, kind, mod] of ROOTS) {
    rootIds.push([apiVersion, kind, refOfId(resolveName(mod, kind)).slice(1)]);
    const listName = `${kind}List`;
    if (loadModule(mod).interfaces.has(listName)) {
      rootIds.push([apiVersion, listName, refOfId(resolveName(mod, listName)).slice(1)]);
    }
  }
  while (pending.length > 0) {
    const id = pending.shift()!;
    if (!collected.has(id)) collect(id);
  }

  // Short names: the bare name when unique across everything collected.
  const byName = new Map<string, string[]>();
  for (const id of collected.keys()) {
    const name = splitId(id)[1];
    byName.set(name, [...(byName.get(name) ?? []), id]);
  }
  const short = (id: string): string => {
    const name = splitId(id)[1];
    return byName.get(name)!.length === 1 ? name : id;
  };
  const shorten = (ref: string): string => ref.replace(/@(.+)$/, (_m, id: string) => short(id));

  for (const [apiVersion, kind, id] of rootIds) {
    if (!kinds.has(apiVersion)) kinds.set(apiVersion, new Map());
    kinds.get(apiVersion)!.set(kind, short(id));
  }

  const typeEntries = [...collected.entries()]
    .map(([id, fields]) => [short(id), fields] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

  const lines: string[] = [];
  lines.push('{');
  lines.push(' "kinds": {');
  const kindLines = [...kinds.keys()].sort().map((v) => {
    const inner = [...kinds.get(v)!.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return `  ${JSON.stringify(v)}: ${JSON.stringify(Object.fromEntries(inner))}`;
  });
  lines.push(kindLines.join(',\n'));
  lines.push(' },');
  lines.push(' "types": {');
  lines.push(
    typeEntries
      .map(([name, fields]) => `  ${JSON.stringify(name)}: ${JSON.stringify(Object.fromEntries(fields.map(([f, r]) => [f, shorten(r)])))}`)
      .join(',\n'),
  );
  lines.push(' }');
  lines.push('}');
  const text = `${lines.join('\n')}\n`;

  if (process.argv.includes('--check')) {
    const current = readFileSync(outFile, 'utf8');
    if (current !== text) {
      console.error(`${outFile} is stale: run npx tsx scripts/gen-schema.ts`);
      process.exit(1);
    }
    console.log(`${outFile} is up to date (${typeEntries.length} types)`);
    return;
  }
  writeFileSync(outFile, text);
  console.log(`wrote ${outFile}: ${typeEntries.length} types, ${Buffer.byteLength(text)} bytes`);
}

main();
