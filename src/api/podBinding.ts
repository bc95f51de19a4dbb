/**
 * What the API server's pods/binding subresource does to a pod besides
 * setting spec.nodeName and PodScheduled=True, following kube-apiserver v1.35
 * pkg/registry/core/pod/storage (BindingREST.setPodNodeAndMetadata) and
 * plugin/pkg/admission/podtopologylabels:
 *
 *  - PodTopologyLabelsAdmission (alpha 1.33, beta and on since 1.35): the
 *    admission plugin copies the node's `topology.kubernetes.io/zone` and
 *    `topology.kubernetes.io/region` labels onto the Binding, and the registry
 *    copies the Binding's labels onto the pod, overwriting (copyLabelsWithOverwriting).
 *    A node that does not exist, or has neither label, adds nothing.
 *  - ClearingNominatedNodeNameAfterBinding (alpha 1.34, beta and on since
 *    1.35): `status.nominatedNodeName` is cleared once the pod is bound.
 *
 * Pure: the caller applies it inside its binding write.
 */
import type { Pod, PodCondition, PodSpec, PodStatus } from 'kubernetes-types/core/v1.js';
import type { FeatureGates } from './featureGates.ts';
import { updatePodCondition } from './podCondition.ts';

/** The podtopologylabels plugin's default label keys, in the order they are copied. */
export const POD_TOPOLOGY_LABELS = ['topology.kubernetes.io/zone', 'topology.kubernetes.io/region'] as const;

/** The labels the binding copies from a node with these labels (empty when the gate is off). */
export function topologyLabelsToCopy(gates: FeatureGates, nodeLabels: Readonly<Record<string, string>> | undefined): ReadonlyArray<readonly [string, string]> {
  if (!nodeLabels || !gates.enabled('PodTopologyLabelsAdmission')) return NONE;
  let out: Array<[string, string]> | null = null;
  for (const k of POD_TOPOLOGY_LABELS) {
    const v = nodeLabels[k];
    if (v !== undefined) (out ??= []).push([k, v]);
  }
  return out ?? NONE;
}

/** No labels to copy (shared: one binding per pod). */
const NONE: ReadonlyArray<readonly [string, string]> = Object.freeze([]);

/** Apply the binding's side effects to a pod being bound (a mutable draft). */
export function applyBindingSideEffects(pod: Pod, gates: FeatureGates, nodeLabels: Readonly<Record<string, string>> | undefined): void {
  applySideEffects(pod, gates, topologyLabelsToCopy(gates, nodeLabels));
}

/** applyBindingSideEffects with the labels to copy already known. */
function applySideEffects(pod: Pod, gates: FeatureGates, labels: ReadonlyArray<readonly [string, string]>): void {
  if (labels.length > 0) {
    const meta = (pod.metadata ??= {});
    const target = (meta.labels ??= {});
    for (const [k, v] of labels) target[k] = v;
  }
  if (gates.enabled('ClearingNominatedNodeNameAfterBinding') && pod.status?.nominatedNodeName !== undefined) delete pod.status.nominatedNodeName;
}

/**
 * Bound specs by the stored (frozen) spec they were made from, then by node. Pods of one template share one
 * frozen spec (the store interns them on create), so the pods of a template bound to one node get equal
 * specs: the spec is copied once and that frozen copy shared, as the store shares equal stored parts. Why:
 * a spread of a frozen object takes V8's slow path (~5x a plain one), the spec is the largest part a
 * binding copies, and a new spec per pod was garbage that lived as long as the pod (scavenges copy it).
 * Weak by spec: a spec no pod holds any more takes its bound copies with it.
 */
const boundSpecs = new WeakMap<PodSpec, Map<string, PodSpec>>();

/** `{ ...spec, nodeName }`, frozen and shared for a frozen spec (boundSpecs). */
function boundSpec(spec: PodSpec | undefined, nodeName: string): PodSpec {
  if (!spec) return { containers: [], nodeName };
  if (!Object.isFrozen(spec)) return { ...spec, nodeName };
  let byNode = boundSpecs.get(spec);
  if (byNode === undefined) boundSpecs.set(spec, (byNode = new Map()));
  let bound = byNode.get(nodeName);
  if (bound === undefined) byNode.set(nodeName, (bound = Object.freeze({ ...spec, nodeName })));
  return bound;
}

/** The keys of a stored pod, in the order the store writes them. */
const POD_KEYS: readonly string[] = ['apiVersion', 'kind', 'metadata', 'spec', 'status'];
/** The keys of a pending pod's status as PodStrategy writes it on create. */
const PENDING_STATUS_KEYS: readonly string[] = ['phase', 'qosClass'];

/**
 * Whether `o` has exactly these own enumerable keys in this order: then a literal with them is its
 * spread, without the spread (of a frozen object, V8's slow path: ~100 ns a pod for the pod itself).
 */
function hasExactly(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in o) if (k !== keys[i++]) return false;
  return i === keys.length;
}

/**
 * The pod as the binding leaves it: spec.nodeName set, the PodScheduled
 * condition updated (podutil.UpdatePodCondition) and the side effects above,
 * built from the stored (frozen) pod by shallow copies of only what changes,
 * in the key order a draft edit gives (perf: a binding per pod, without a
 * copy-on-write draft). The usual shapes (a pod with its five top-level keys,
 * a pending status of phase and QoS class) are copied by literals, and the
 * spec is shared per template and node (boundSpec).
 */
export function boundPod<P extends Pod>(cur: P, nodeName: string, scheduled: PodCondition, now: string, gates: FeatureGates, nodeLabels: Readonly<Record<string, string>> | undefined): P {
  const cs = cur.status;
  const status: PodStatus = cs !== undefined && hasExactly(cs, PENDING_STATUS_KEYS) ? { phase: cs.phase, qosClass: cs.qosClass } : { ...cs };
  // The stored conditions are frozen: copied by pushes (slice() of a frozen array is V8's slow path).
  const conditions: PodCondition[] = [];
  const stored = cs?.conditions;
  if (stored) for (let i = 0; i < stored.length; i++) conditions.push(stored[i]!);
  status.conditions = conditions;
  updatePodCondition(status, scheduled, now);
  const spec = boundSpec(cur.spec, nodeName);
  const next = (hasExactly(cur, POD_KEYS) ? { apiVersion: cur.apiVersion, kind: cur.kind, metadata: cur.metadata, spec, status } : { ...cur, spec, status }) as P;
  // The labels to copy, looked up once (they were twice), and the metadata copied by one spread: labels
  // replaced in place keep their position, as the spread of a one-key object put them.
  const labels = topologyLabelsToCopy(gates, nodeLabels);
  if (labels.length > 0) {
    const meta = { ...cur.metadata };
    if (cur.metadata?.labels) meta.labels = { ...cur.metadata.labels };
    next.metadata = meta;
  }
  applySideEffects(next, gates, labels);
  return next;
}
