/**
 * Nothing accepted is silently ignored. After loading, the scenario is read
 * for what ksim stores but does not act on, and each is said once, as a
 * warning (printed by validate and run, and in the JSON `warnings`):
 *  - kinds that nothing reconciles (stored only), one line per kind;
 *  - fields that would make a real cluster act but not ksim, one line per
 *    kind and field with how many objects set it;
 *  - KubeSchedulerConfiguration fields ksim accepts but does not model.
 * The tables are data: each entry says what upstream would do that ksim does not.
 */
import type { KObject } from '../sim/types.ts';
import type { LoadedObject, LoadedScenario } from './types.ts';
import { isPlainObject } from './shape.ts';
import { STORED_ONLY_KINDS } from '../api/discovery.ts';

/** A field that acts in a real cluster but not in ksim: where it is and what ksim leaves out. */
interface FieldRule {
  kinds: readonly string[];
  /** Dotted path from the object root; `[]` steps into every list item. */
  path: string;
  /** Only when the value matches (default: any value that is set and not empty). */
  when?: (v: unknown) => boolean;
  not: string;
}

const POD_TEMPLATE_KINDS = ['Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job'];

/** Pod spec fields; each applies to Pods and to pod templates of workloads. */
const POD_SPEC_RULES: Array<Omit<FieldRule, 'kinds'>> = [
  { path: 'spec.resourceClaims', not: 'dynamic resource allocation is not modelled: the claims are not allocated and do not constrain scheduling' },
  { path: 'spec.runtimeClassName', not: 'the RuntimeClass admission plugin does not run (no pod overhead or scheduling constraints from the class)' },
  { path: 'spec.containers[].resizePolicy', not: 'in-place resize of running pods is not modelled' },
  { path: 'spec.containers[].lifecycle.postStart', not: 'postStart hooks are not run; a container starts as if it had none' },
  { path: 'spec.hostNetwork', when: (v) => v === true, not: 'pod networking is not modelled (host ports are still checked by NodePorts)' },
  { path: 'spec.dnsConfig', not: 'DNS is not modelled' },
];

function podRules(): FieldRule[] {
  const out: FieldRule[] = [];
  for (const r of POD_SPEC_RULES) {
    out.push({ ...r, kinds: ['Pod'] });
    out.push({ ...r, kinds: POD_TEMPLATE_KINDS, path: r.path.replace(/^spec\./, 'spec.template.spec.') });
    out.push({ ...r, kinds: ['CronJob'], path: r.path.replace(/^spec\./, 'spec.jobTemplate.spec.template.spec.') });
  }
  return out;
}

export const FIELD_RULES: readonly FieldRule[] = [
  ...podRules(),
  { kinds: ['Service'], path: 'spec.type', when: (v) => v === 'LoadBalancer' || v === 'NodePort', not: 'no node ports or load balancers are allocated' },
  { kinds: ['Node'], path: 'spec.podCIDR', not: 'pod networking is not modelled' },
  // Storage (src/controllers/volume): volumes have no contents, attributes classes and expansion are not applied.
  { kinds: ['PersistentVolumeClaim'], path: 'spec.dataSource', not: 'the provisioned volume is empty; ksim has no volume contents to clone or restore' },
  { kinds: ['PersistentVolumeClaim'], path: 'spec.dataSourceRef', not: 'the provisioned volume is empty; ksim has no volume contents to clone or restore' },
  { kinds: ['PersistentVolumeClaim'], path: 'spec.volumeAttributesClassName', not: 'VolumeAttributesClasses are not applied' },
  { kinds: ['StatefulSet'], path: 'spec.volumeClaimTemplates[].spec.dataSource', not: 'the provisioned volumes are empty; ksim has no volume contents to clone or restore' },
  { kinds: ['StatefulSet'], path: 'spec.volumeClaimTemplates[].spec.dataSourceRef', not: 'the provisioned volumes are empty; ksim has no volume contents to clone or restore' },
  { kinds: ['StorageClass'], path: 'allowVolumeExpansion', when: (v) => v === true, not: 'claims are never resized' },
  { kinds: ['PersistentVolume'], path: 'spec.persistentVolumeReclaimPolicy', when: (v) => v === 'Recycle', not: 'Recycle is not run: a released volume is marked Failed with a VolumeFailedRecycle event' },
];

/** KubeSchedulerConfiguration fields accepted (validated) but without effect, and why. */
export const SCHEDULER_CONFIG_NOT_MODELLED: Readonly<Record<string, string>> = {
  extenders: 'scheduler extenders (HTTP webhooks) are not called',
  parallelism: 'ksim evaluates nodes one at a time; the decisions are those of any parallelism',
  leaderElection: 'one scheduler runs; there is no leader election',
  clientConnection: 'there is no API client connection to tune',
  enableProfiling: 'there is no profiling endpoint',
  enableContentionProfiling: 'there is no profiling endpoint',
  healthzBindAddress: 'there are no serving endpoints',
  metricsBindAddress: 'there are no serving endpoints',
};

/** A rule's path split into steps once, not once per object (150,000 pods meet every pod rule). */
const STEPS = new Map<string, Array<{ key: string; each: boolean }>>();
function pathSteps(path: string): Array<{ key: string; each: boolean }> {
  let steps = STEPS.get(path);
  if (!steps) {
    steps = path.split('.').map((raw) => (raw.endsWith('[]') ? { key: raw.slice(0, -2), each: true } : { key: raw, each: false }));
    STEPS.set(path, steps);
  }
  return steps;
}

/**
 * Whether some value at the dotted path (`[]` steps go into every list
 * element) satisfies `pred`; walked without building lists of values.
 */
function someValueAt(cur: unknown, steps: ReadonlyArray<{ key: string; each: boolean }>, i: number, pred: (v: unknown) => boolean): boolean {
  if (i === steps.length) return pred(cur);
  if (!isPlainObject(cur)) return false;
  const step = steps[i]!;
  const v = cur[step.key];
  if (v === undefined || v === null) return false;
  if (!step.each) return someValueAt(v, steps, i + 1, pred);
  if (!Array.isArray(v)) return false;
  for (const x of v) if (someValueAt(x, steps, i + 1, pred)) return true;
  return false;
}

function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

function objectName(o: KObject): string {
  const ns = o.metadata.namespace;
  return `${ns ? `${ns}/` : ''}${o.metadata.name ?? o.metadata.generateName ?? ''}`;
}

function examples(names: string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown}, and ${names.length - 3} more` : shown;
}

/** The warnings for a loaded scenario, in a stable order (kinds, then rules, then config fields). */
export function notModelledWarnings(objects: readonly LoadedObject[], config: LoadedScenario['config']): string[] {
  const out: string[] = [];
  const byKind = new Map<string, Set<string>>();
  for (const lo of objects) {
    const k = lo.object.kind;
    if (!(k in STORED_ONLY_KINDS)) continue;
    let l = byKind.get(k);
    if (!l) byKind.set(k, (l = new Set()));
    // An object applied again later (an update) is one object.
    l.add(objectName(lo.object));
  }
  for (const [kind, set] of [...byKind].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const names = [...set];
    out.push(`${names.length} ${kind}${names.length === 1 ? '' : 's'} (${examples(names)}) stored but not reconciled: ${STORED_ONLY_KINDS[kind]}`);
  }
  // Each rule looks only at objects of its kinds (positions in input order, grouped by kind once).
  const positions = new Map<string, number[]>();
  objects.forEach((lo, i) => {
    const list = positions.get(lo.object.kind);
    if (list) list.push(i);
    else positions.set(lo.object.kind, [i]);
  });
  for (const rule of FIELD_RULES) {
    const steps = pathSteps(rule.path);
    const test = rule.when ?? isSet;
    // Kinds are reported in the order of their first object that sets the field, as a scan in input order finds them.
    const hits: Array<{ kind: string; first: number; names: Set<string> }> = [];
    for (const kind of new Set(rule.kinds)) {
      let hit: { kind: string; first: number; names: Set<string> } | undefined;
      for (const i of positions.get(kind) ?? []) {
        const o = objects[i]!.object;
        if (!someValueAt(o, steps, 0, test)) continue;
        if (!hit) hits.push((hit = { kind, first: i, names: new Set() }));
        hit.names.add(objectName(o));
      }
    }
    hits.sort((a, b) => a.first - b.first);
    for (const { kind, names } of hits) out.push(`${kind} ${rule.path} is not modelled (${examples([...names])}): ${rule.not}`);
  }
  const sched = config.scheduler;
  if (isPlainObject(sched)) {
    for (const [field, why] of Object.entries(SCHEDULER_CONFIG_NOT_MODELLED)) {
      if (isSet(sched[field]) || (field === 'parallelism' && typeof sched[field] === 'number')) {
        out.push(`KubeSchedulerConfiguration ${field} is accepted but not modelled: ${why}`);
      }
    }
  }
  return out;
}
