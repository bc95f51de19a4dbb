/**
 * The Priority admission plugin, following kube-apiserver v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * (plugin/pkg/admission/priority/admission.go) and the built-in classes the
 * API server creates at start-up (pkg/registry/scheduling/rest).
 *
 * On Pod create it resolves spec.priorityClassName to spec.priority and
 * spec.preemptionPolicy; with no class name it uses the global default class
 * (the lowest-valued one if, through a race, several claim to be default), or
 * priority 0 and PreemptLowerPriority when there is none. On PriorityClass
 * create/update it enforces one global default and the reserved "system-"
 * prefix.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { AdmissionPlugin, AdmissionRequest, KObject, StoreReader } from '../sim/types.ts';
import { ApiError } from '../sim/errors.ts';

/** scheduling.HighestUserDefinablePriority */
export const HighestUserDefinablePriority = 1_000_000_000;
/** scheduling.SystemCriticalPriority */
export const SystemCriticalPriority = 2 * HighestUserDefinablePriority;
export const SystemClusterCritical = 'system-cluster-critical';
export const SystemNodeCritical = 'system-node-critical';
/** scheduling.DefaultPriorityWhenNoDefaultClassExists */
export const DefaultPriorityWhenNoDefaultClassExists = 0;

/** The classes kube-apiserver creates at start-up. */
export function systemPriorityClasses(): Array<PriorityClass & KObject> {
  const make = (name: string, value: number, description: string): PriorityClass & KObject => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    globalDefault: false,
    preemptionPolicy: 'PreemptLowerPriority',
    description,
  });
  return [
    make(SystemNodeCritical, SystemCriticalPriority + 1000, 'Used for system critical pods that must not be moved from their current node.'),
    make(SystemClusterCritical, SystemCriticalPriority, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'),
  ];
}

function findDefaultPriorityClass(store: StoreReader): (PriorityClass & KObject) | undefined {
  let chosen: (PriorityClass & KObject) | undefined;
  for (const pc of store.list<PriorityClass & KObject>('PriorityClass')) {
    if (pc.globalDefault && (chosen === undefined || pc.value < chosen.value)) chosen = pc;
  }
  return chosen;
}

/** The default class last found in a store, and the store's PriorityClass write count when it was found. */
interface FoundDefault {
  writes: number;
  found: (PriorityClass & KObject) | undefined;
}
const foundDefaults = new WeakMap<StoreReader, FoundDefault>();

/**
 * The global default class. Upstream's lister answers from its cache; ksim's store would build a list of
 * every class on each pod create, so the answer is kept per store until a PriorityClass is written — the only
 * thing that can change it (deletes included, which no admission plugin sees).
 */
function defaultPriorityClass(store: StoreReader): (PriorityClass & KObject) | undefined {
  const writes = store.writesOf?.('PriorityClass');
  if (writes === undefined) return findDefaultPriorityClass(store);
  const kept = foundDefaults.get(store);
  if (kept !== undefined && kept.writes === writes) return kept.found;
  const found = findDefaultPriorityClass(store);
  if (kept === undefined) foundDefaults.set(store, { writes, found });
  else {
    kept.writes = writes;
    kept.found = found;
  }
  return found;
}

function admitPod(req: AdmissionRequest): void {
  // Priority is resolved once, at creation; spec.priority is immutable afterwards (validation's job).
  if (req.operation !== 'CREATE') return;
  const pod = req.object as Pod & KObject;
  const spec = pod.spec;
  if (!spec) return;
  const name = pod.metadata.name ?? pod.metadata.generateName ?? '';
  let value: number;
  let policy: string;
  let className = spec.priorityClassName ?? '';
  if (className === '') {
    const def = defaultPriorityClass(req.store);
    if (def) {
      className = def.metadata.name ?? '';
      value = def.value;
      policy = def.preemptionPolicy ?? 'PreemptLowerPriority';
    } else {
      value = DefaultPriorityWhenNoDefaultClassExists;
      policy = 'PreemptLowerPriority';
    }
  } else {
    const pc = req.store.get<PriorityClass & KObject>('PriorityClass', '', className);
    if (!pc) throw ApiError.forbidden('Pod', name, `no PriorityClass with name ${className} was found`);
    value = pc.value;
    policy = pc.preemptionPolicy ?? 'PreemptLowerPriority';
  }
  if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
    throw ApiError.forbidden(
      'Pod',
      name,
      `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
    );
  }
  if (spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== null && spec.preemptionPolicy !== policy) {
    throw ApiError.forbidden(
      'Pod',
      name,
      `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
    );
  }
  if (className !== '') spec.priorityClassName = className;
  spec.priority = value;
  spec.preemptionPolicy = policy;
}

function admitPriorityClass(req: AdmissionRequest): void {
  if (req.operation === 'DELETE') return;
  const pc = req.object as PriorityClass & KObject;
  const name = pc.metadata.name ?? '';
  if (pc.globalDefault) {
    for (const other of req.store.list<PriorityClass & KObject>('PriorityClass')) {
      if (other.globalDefault && other.metadata.name !== name) {
        throw ApiError.forbidden('PriorityClass', name, `PriorityClass ${other.metadata.name} is already marked as default. Only one default can exist`);
      }
    }
  }
}

export const priorityAdmission: AdmissionPlugin = {
  name: 'Priority',
  kinds: ['Pod', 'PriorityClass'],
  mutate(req) {
    if (req.kind === 'Pod') admitPod(req);
  },
  validate(req) {
    if (req.kind === 'PriorityClass') admitPriorityClass(req);
  },
};
