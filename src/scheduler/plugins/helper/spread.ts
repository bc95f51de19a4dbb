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
import { andMatchers, everything, labelSelectorMatcher, setMatcher, type KeyedMatcher } from './labelMatch.ts';

/** Whether every key=value of a Service selector is in the labels. */
function selects(sel: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  for (const k in sel) if (labels[k] !== sel[k]) return false;
  return true;
}

/** The non-nil selectors of a namespace's Services, in list order (upstream GetPodServices' candidates; a nil selector selects nothing, not everything). */
function serviceSelectorsIn(store: StoreReader, ns: string): ReadonlyArray<Readonly<Record<string, string>>> {
  const out: Array<Readonly<Record<string, string>>> = [];
  for (const svc of store.list<Service & KObject>('Service', ns)) {
    const sel = svc.spec?.selector;
    if (sel !== undefined && sel !== null) out.push(sel);
  }
  return out;
}

/** A store's Service selectors by namespace, and its Service write count when they were read. */
interface ServiceSelectors {
  writes: number;
  byNamespace: Map<string, ReadonlyArray<Readonly<Record<string, string>>>>;
}
const serviceSelectors = new WeakMap<StoreReader, ServiceSelectors>();

/**
 * serviceSelectorsIn, kept per store and namespace until a Service is written (StoreReader.writesOf): the
 * stored selectors are frozen and only a Service write can change the list (perf: every scheduling cycle
 * listed the namespace's Services again). A store without writesOf keeps nothing.
 */
function keptServiceSelectors(store: StoreReader, ns: string): ReadonlyArray<Readonly<Record<string, string>>> {
  const writes = store.writesOf?.('Service');
  if (writes === undefined) return serviceSelectorsIn(store, ns);
  let kept = serviceSelectors.get(store);
  if (kept === undefined) serviceSelectors.set(store, (kept = { writes, byNamespace: new Map() }));
  else if (kept.writes !== writes) {
    kept.writes = writes;
    kept.byNamespace.clear();
  }
  let sels = kept.byNamespace.get(ns);
  if (sels === undefined) kept.byNamespace.set(ns, (sels = serviceSelectorsIn(store, ns)));
  return sels;
}

/**
 * metav1.GetControllerOf: the first owner reference with controller=true. A
 * plain loop rather than find() with an arrow (perf: a closure per scheduling
 * cycle of every pod, as PreScore asks for the default selector each cycle).
 */
function controllerOf(pod: Pod): { apiVersion: string; kind: string; name: string } | undefined {
  const refs = pod.metadata?.ownerReferences;
  if (refs === undefined) return undefined;
  for (let i = 0; i < refs.length; i++) if (refs[i]!.controller === true) return refs[i];
  return undefined;
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
  const labels = pod.metadata?.labels ?? {};
  let labelSet: Record<string, string> = {};
  let selected = false;
  // upstream GetPodServices: the selecting Services' selectors, merged in list order.
  for (const sel of keptServiceSelectors(store, ns)) {
    if (!selects(sel, labels)) continue;
    labelSet = { ...labelSet, ...sel };
    selected = true;
  }
  // No Service: setMatcher({}) is everything (perf: spared sorting an empty entry list each cycle).
  let selector = selected ? setMatcher(labelSet) : everything;
  const owner = controllerOf(pod);
  // Only these kinds add a selector, whatever the apiVersion (perf: a Job's pods parsed "batch/v1" every cycle).
  if (!owner || (owner.kind !== 'ReplicationController' && owner.kind !== 'ReplicaSet' && owner.kind !== 'StatefulSet')) return selector;
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
