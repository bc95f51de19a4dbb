/**
 * The selector deduced for a pod from what "owns" it, following kube-scheduler
 * v1.35 pkg/scheduler/framework/plugins/helper/spread.go (DefaultSelector,
 * GetPodServices): the selectors of the Services in the pod's namespace that
 * select the pod, merged, AND the selector of its controlling
 * ReplicationController / ReplicaSet / StatefulSet when that object exists.
 */
import type { Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { KObject, StoreReader } from '../../../sim/types.ts';
import { andMatchers, labelSelectorMatcher, setMatcher, type KeyedMatcher } from './labelMatch.ts';

/** Services in the pod's namespace whose (non-nil) selector matches the pod's labels. */
export function getPodServices(store: StoreReader, pod: Pod): Array<Service & KObject> {
  const labels = pod.metadata?.labels ?? {};
  const out: Array<Service & KObject> = [];
  for (const svc of store.list<Service & KObject>('Service', pod.metadata?.namespace ?? '')) {
    const sel = svc.spec?.selector;
    // A nil selector selects nothing, not everything.
    if (sel === undefined || sel === null) continue;
    let ok = true;
    for (const [k, v] of Object.entries(sel)) if (labels[k] !== v) ok = false;
    if (ok) out.push(svc);
  }
  return out;
}

/** metav1.GetControllerOf: the owner reference with controller=true. */
function controllerOf(pod: Pod): { apiVersion: string; kind: string; name: string } | undefined {
  return pod.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/**
 * Compiled owner selectors by the stored (frozen) selector object, and the
 * same ANDed with no Service labels (perf: every cycle of a Deployment's pod
 * compiled its ReplicaSet's selector again); null: the selector is invalid.
 */
const ownerMatchers = new WeakMap<object, { matcher: KeyedMatcher; alone: KeyedMatcher } | null>();

function ownerMatcher(sel: object, compile: () => KeyedMatcher): { matcher: KeyedMatcher; alone: KeyedMatcher } | null {
  const frozen = Object.isFrozen(sel);
  let m = frozen ? ownerMatchers.get(sel) : undefined;
  if (m === undefined) {
    try {
      const matcher = compile();
      m = { matcher, alone: andMatchers([setMatcher({}), matcher]) };
    } catch {
      m = null;
    }
    if (frozen) ownerMatchers.set(sel, m);
  }
  return m;
}

export function defaultSelector(pod: Pod, store: StoreReader): KeyedMatcher {
  const ns = pod.metadata?.namespace ?? '';
  let labelSet: Record<string, string> = {};
  for (const svc of getPodServices(store, pod)) labelSet = { ...labelSet, ...(svc.spec?.selector ?? {}) };
  let selector = setMatcher(labelSet);
  const owner = controllerOf(pod);
  if (!owner) return selector;
  // schema.ParseGroupVersion: "v1" is the core group, "apps/v1" a group and version; more than one "/" is an error (no selector added).
  const av = owner.apiVersion;
  const slash = av.indexOf('/');
  if (slash >= 0 && av.indexOf('/', slash + 1) >= 0) return selector;
  const group = slash < 0 ? '' : av.slice(0, slash);
  const version = slash < 0 ? av : av.slice(slash + 1);
  if (version !== 'v1') return selector;
  if (group === '' && owner.kind === 'ReplicationController') {
    const rc = store.get<ReplicationController & KObject>('ReplicationController', ns, owner.name);
    if (rc) selector = setMatcher({ ...labelSet, ...(rc.spec?.selector ?? {}) });
  } else if (group === 'apps' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
    const obj = store.get<(ReplicaSet | StatefulSet) & KObject>(owner.kind, ns, owner.name);
    // A nil selector has no requirements to add (labels.Nothing().Requirements() is not ok).
    if (obj && obj.spec?.selector) {
      const sel = obj.spec.selector;
      // An invalid selector is ignored (null), as upstream ignores the conversion error.
      const m = ownerMatcher(sel, () => labelSelectorMatcher(sel));
      if (m !== null) selector = Object.keys(labelSet).length === 0 ? m.alone : andMatchers([selector, m.matcher]);
    }
  }
  return selector;
}
