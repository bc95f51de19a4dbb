/**
 * The disruption controller (`disruption-controller` in
 * kube-controller-manager), following pkg/controller/disruption/disruption.go
 * (newest release). For each PodDisruptionBudget it writes status:
 *   expectedPods     minAvailable as an integer: the number of matching pods;
 *                    a percentage, or any maxUnavailable: the sum of the
 *                    owning controllers' spec.replicas (Deployment through
 *                    its ReplicaSet, ReplicaSet, ReplicationController,
 *                    StatefulSet), found from the pods' controller references
 *   desiredHealthy   minAvailable (percentages of expectedPods rounded up), or
 *                    expectedPods - maxUnavailable (rounded up), at least 0
 *   currentHealthy   matching pods that are Ready, not terminating and not in
 *                    disruptedPods
 *   disruptionsAllowed  currentHealthy - desiredHealthy (0 when negative or when
 *                    expectedPods is 0)
 *   disruptedPods    the Eviction subresource's entries, kept until the pod is
 *                    terminating or 2 minutes pass (then the pod gets the
 *                    `NotDeleted` event and counts again)
 *   observedGeneration, and the DisruptionAllowed condition
 *                    (True/SufficientPods, False/InsufficientPods).
 * A sync that fails (no controller found, a kind without scale) sets
 * disruptionsAllowed 0 and DisruptionAllowed False/SyncFailed with the error
 * (failSafe). Events (source `controllermanager`): `NoPods` `No matching pods
 * found`, `CalculateExpectedPodCountFailed`, `UnmanagedPods`,
 * `MultiplePodDisruptionBudgets` on a pod, `NotDeleted` on a pod.
 *
 * Triggers as upstream: budget changes, and every pod add/update/delete is
 * mapped to the first budget (by name) that selects it. A pod that carries
 * DisruptionTarget=True (not the kubelet's TerminationByKubelet) but is
 * still not terminating 2 minutes later gets the condition set False
 * (syncStalePodDisruption).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { Controller, KObject, Lister, ReconcileContext, ReconcileResult, Stored, Time, WatchEvent } from '../../sim/types.ts';
import { isApiError, qualifiedResource } from '../../sim/errors.ts';
import { kindInfo } from '../../api/discovery.ts';
import { labelSelectorAsSelector, LabelSelectorError, type Selector } from '../../api/labels.ts';
import { conditionsAreUpToDate, DisruptionTarget, isPodReady, setStatusCondition, updateDisruptionAllowedCondition, DisruptionAllowedCondition, SyncFailedReason, type PdbStatus } from '../../api/pdb.ts';
import { parseRFC3339 } from '../../sim/time.ts';

type PodObj = Pod & KObject;
type PdbObj = PodDisruptionBudget & KObject;
type IntOrString = number | string;

export const ControllerName = 'disruption-controller';
/** DeletionTimeout: how long an evicted pod stays in disruptedPods waiting to be deleted. */
export const DeletionTimeout: Time = 2 * 60 * 1000;
const SOURCE = { component: 'controllermanager' };

/** A sync failure that goes to failSafe (SyncFailed). */
class SyncError extends Error {}

/** stalePodDisruptionTimeout: how long a DisruptionTarget condition may stand on a pod that is not being deleted. */
export const StalePodDisruptionTimeout: Time = 2 * 60 * 1000;
const STALE = 'stale-disruption|';
/** The key list of a pod event that concerns no budget (the runtime only reads a watch's keys). */
const NoKeys = Object.freeze([]) as readonly string[] as string[];

/** nonTerminatingPodHasStaleDisruptionCondition (the kubelet's own TerminationByKubelet marks and terminal pods are left alone). */
function staleDisruptionCondition(pod: Pod): { lastTransitionTime?: string } | undefined {
  if (pod.metadata?.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  // Indexed: this runs on every pod event, and a find() callback was a closure a call.
  const conds = pod.status?.conditions;
  if (conds === undefined) return undefined;
  for (let i = 0; i < conds.length; i++) {
    const c = conds[i]!;
    if (c.type !== DisruptionTarget) continue;
    return c.status !== 'True' || c.reason === 'TerminationByKubelet' ? undefined : c;
  }
  return undefined;
}

export interface DisruptionControllerOptions {
  /** RFC3339 of a virtual time. */
  timestamp: (t?: Time) => string;
  /** Unix ms of virtual time 0, to read disruptedPods times back. */
  epochMs: number;
  /** The shared informer caches (listers), for mapping pods to budgets. */
  lister: <T extends KObject>(kind: string) => Lister<T>;
}

/** intstr.GetScaledValueFromIntOrPercent(v, total, roundUp). */
export function scaledValue(v: IntOrString, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error('invalid type: string is not a percentage');
  const s = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(s)) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(v)}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const pct = Number(s);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

function controllerOf(o: { metadata?: { ownerReferences?: OwnerReference[] } }): OwnerReference | undefined {
  return o.metadata?.ownerReferences?.find((r) => r.controller === true);
}

function groupOfApiVersion(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** The finders, in upstream's order: ReplicaSet (not Deployment-owned), Deployment, ReplicationController, StatefulSet, any scale. */
export function findControllerScale(
  ref: OwnerReference,
  namespace: string,
  get: <T extends KObject>(kind: string, ns: string, name: string) => Stored<T> | undefined,
): { uid: string; scale: number } | undefined {
  const group = groupOfApiVersion(ref.apiVersion);
  const replicas = (o: { spec?: { replicas?: number } }): number => o.spec?.replicas ?? 1;
  if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
    const rs = get<ReplicaSet & KObject>('ReplicaSet', namespace, ref.name);
    if (rs && rs.metadata.uid === ref.uid) {
      const owner = controllerOf(rs);
      if (owner && owner.kind === 'Deployment') {
        const d = get<Deployment & KObject>('Deployment', namespace, owner.name);
        if (d && d.metadata.uid === owner.uid) return { uid: d.metadata.uid ?? '', scale: replicas(d) };
      } else {
        return { uid: rs.metadata.uid ?? '', scale: replicas(rs) };
      }
    }
  }
  if (ref.kind === 'ReplicationController' && group === '') {
    const rc = get<KObject & { spec?: { replicas?: number } }>('ReplicationController', namespace, ref.name);
    if (rc && rc.metadata.uid === ref.uid) return { uid: rc.metadata.uid ?? '', scale: replicas(rc) };
  }
  if (ref.kind === 'StatefulSet' && group === 'apps') {
    const ss = get<StatefulSet & KObject>('StatefulSet', namespace, ref.name);
    if (ss && ss.metadata.uid === ref.uid) return { uid: ss.metadata.uid ?? '', scale: replicas(ss) };
  }
  // getScaleController: any kind with a scale subresource.
  const info = kindInfo(ref.kind);
  if (!info || info.group !== group) throw new Error(`no matches for kind ${JSON.stringify(ref.kind)} in group ${JSON.stringify(group)}`);
  if (!info.scalable) throw new Error(`${qualifiedResource(ref.kind, ref.apiVersion)} does not implement the scale subresource`);
  const o = get<KObject & { spec?: { replicas?: number } }>(ref.kind, namespace, ref.name);
  if (!o || o.metadata.uid !== ref.uid) return undefined;
  return { uid: o.metadata.uid ?? '', scale: replicas(o) };
}

export interface ExpectedCount {
  expectedCount: number;
  desiredHealthy: number;
  unmanagedPods: string[];
}

/** getExpectedPodCount (throws the sync error). */
export function expectedPodCount(
  pdb: PodDisruptionBudget,
  pods: readonly Pod[],
  get: <T extends KObject>(kind: string, ns: string, name: string) => Stored<T> | undefined,
): ExpectedCount {
  const unmanagedPods: string[] = [];
  const expectedScale = (): number => {
    const scales = new Map<string, number>();
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (!ref) {
        unmanagedPods.push(pod.metadata?.name ?? '');
        continue;
      }
      if (scales.has(ref.uid)) continue;
      const found = findControllerScale(ref, pod.metadata?.namespace ?? 'default', get);
      if (!found) throw new Error(`found no controllers for pod ${JSON.stringify(pod.metadata?.name ?? '')}`);
      scales.set(found.uid, found.scale);
    }
    let sum = 0;
    for (const v of scales.values()) sum += v;
    return sum;
  };
  const spec = pdb.spec ?? {};
  let expectedCount = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedCount = expectedScale();
    const maxUnavailable = scaledValue(spec.maxUnavailable as IntOrString, expectedCount, true);
    desiredHealthy = Math.max(0, expectedCount - maxUnavailable);
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === 'number') {
      desiredHealthy = spec.minAvailable;
      expectedCount = pods.length;
    } else {
      expectedCount = expectedScale();
      desiredHealthy = scaledValue(spec.minAvailable, expectedCount, true);
    }
  }
  return { expectedCount, desiredHealthy, unmanagedPods };
}

/** countHealthyPods. */
export function countHealthyPods(pods: readonly Pod[], disrupted: Readonly<Record<string, string>>, nowUnixMs: number): number {
  let n = 0;
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const t = disrupted[pod.metadata?.name ?? ''];
    if (t !== undefined && parseRFC3339(t) + DeletionTimeout > nowUnixMs) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

function selectorOf(pdb: PodDisruptionBudget): Selector | undefined {
  try {
    return labelSelectorAsSelector(pdb.spec?.selector);
  } catch (e) {
    if (e instanceof LabelSelectorError) return undefined;
    throw e;
  }
}

function sameRecord(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a ?? {});
  if (ak.length !== Object.keys(b).length) return false;
  return ak.every((k) => a![k] === b[k]);
}

export function createDisruptionController(opts: DisruptionControllerOptions): Controller {
  /** Compiled selectors by budget object (stored objects are immutable): every pod event consults them. */
  const selectors = new WeakMap<object, Selector | null>();
  const cachedSelector = (pdb: Stored<PdbObj>): Selector | undefined => {
    let sel = selectors.get(pdb);
    if (sel === undefined) selectors.set(pdb, (sel = selectorOf(pdb) ?? null));
    return sel ?? undefined;
  };
  /** getPdbForPod: the first budget (by name) in the pod's namespace whose selector matches; {} matches all (policy/v1 lister). */
  function pdbsForPod(pod: Stored<PodObj>): readonly Stored<PdbObj>[] {
    const budgets = opts.lister<PdbObj>('PodDisruptionBudget').list(pod.metadata.namespace ?? 'default');
    // No budget in the namespace (every pod event of a cluster without any): the lister's list is the answer.
    if (budgets.length === 0) return budgets;
    const out: Stored<PdbObj>[] = [];
    for (const pdb of budgets) {
      const sel = cachedSelector(pdb);
      if (sel && sel.matches(pod.metadata.labels ?? {})) out.push(pdb);
    }
    return out;
  }
  /** Pods whose budgets were mapped in the last toKeys, to report MultiplePodDisruptionBudgets when reconciling. */
  const multiple: Array<{ pod: Stored<PodObj>; chose: string }> = [];

  function podKeys(ev: WatchEvent): string[] {
    const pod = ev.object as Stored<PodObj>;
    // A pod marked for disruption that was never deleted gets the mark cleared later.
    const stale = ev.type !== 'DELETED' && staleDisruptionCondition(pod) !== undefined;
    const pdbs = pdbsForPod(pod);
    // The commonest answer, no budget and no stale mark: the shared empty list, not a new one per pod event.
    if (!stale && pdbs.length === 0) return NoKeys;
    const keys: string[] = [];
    if (stale) keys.push(`${STALE}${pod.metadata.namespace}/${pod.metadata.name}`);
    if (pdbs.length === 0) return keys;
    if (pdbs.length > 1) multiple.push({ pod, chose: pdbs[0]!.metadata.name ?? '' });
    keys.push(`${pdbs[0]!.metadata.namespace}/${pdbs[0]!.metadata.name}`);
    return keys;
  }

  /** syncStalePodDisruption: after 2 minutes, DisruptionTarget goes False on a pod that is still not terminating. */
  function syncStale(ctx: ReconcileContext, ns: string, name: string): ReconcileResult | void {
    const pod = ctx.lister<PodObj>('Pod').get(ns, name);
    if (!pod) return;
    const cond = staleDisruptionCondition(pod);
    if (!cond) return;
    const since = cond.lastTransitionTime ? parseRFC3339(cond.lastTransitionTime) - opts.epochMs : ctx.now;
    const wait = since + StalePodDisruptionTimeout - ctx.now;
    if (wait > 0) return { requeueAfter: wait };
    ctx.store.patch<PodObj>(
      'Pod',
      ns,
      name,
      (d) => {
        const c = (d.status?.conditions ?? []).find((x) => x.type === DisruptionTarget);
        if (!c) return;
        // The apply sets type, status and lastTransitionTime only; reason and message stay as written.
        c.status = 'False';
        c.lastTransitionTime = opts.timestamp(ctx.now);
      },
      { subresource: 'status', actor: ControllerName, resourceVersion: pod.metadata.resourceVersion },
    );
  }

  function write(ctx: ReconcileContext, pdb: Stored<PdbObj>, status: PdbStatus): void {
    ctx.store.patch<PdbObj>(
      'PodDisruptionBudget',
      pdb.metadata.namespace ?? 'default',
      pdb.metadata.name ?? '',
      (d) => {
        (d as { status?: unknown }).status = status;
      },
      { subresource: 'status', actor: ControllerName, resourceVersion: pdb.metadata.resourceVersion },
    );
  }

  function failSafe(ctx: ReconcileContext, pdb: Stored<PdbObj>, message: string): void {
    const status = JSON.parse(JSON.stringify(pdb.status ?? {})) as PdbStatus;
    status.disruptionsAllowed = 0;
    // Required fields of the status are always written (they are not omitempty).
    status.currentHealthy ??= 0;
    status.desiredHealthy ??= 0;
    status.expectedPods ??= 0;
    const conds = (status.conditions ??= []);
    setStatusCondition(conds, { type: DisruptionAllowedCondition, status: 'False', reason: SyncFailedReason, message, observedGeneration: status.observedGeneration ?? 0 }, opts.timestamp(ctx.now));
    write(ctx, pdb, status);
  }

  function trySync(ctx: ReconcileContext, pdb: Stored<PdbObj>): ReconcileResult | void {
    const sel = cachedSelector(pdb);
    if (!sel) throw new Error('invalid selector');
    const ns = pdb.metadata.namespace ?? 'default';
    const pods = ctx.lister<PodObj>('Pod').list(ns).filter((p) => sel.matches(p.metadata.labels ?? {}));
    if (pods.length === 0) ctx.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found', SOURCE);
    const get = <T extends KObject>(kind: string, namespace: string, name: string): Stored<T> | undefined => ctx.lister<T>(kind).get(namespace, name);
    let counts: ExpectedCount;
    try {
      counts = expectedPodCount(pdb, pods, get);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      ctx.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${msg}`, SOURCE);
      throw new SyncError(msg);
    }
    if (counts.unmanagedPods.length > 0) {
      ctx.recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        `Pods selected by this PodDisruptionBudget (selector: ${sel.toString()}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
        SOURCE,
      );
    }
    const nowUnix = opts.epochMs + ctx.now;
    // buildDisruptedPodMap
    const previous = pdb.status?.disruptedPods ?? {};
    const disrupted: Record<string, string> = {};
    let recheck: number | undefined;
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp) continue;
      const name = pod.metadata.name ?? '';
      const t = previous[name];
      if (t === undefined) continue;
      const expectedDeletion = parseRFC3339(t) + DeletionTimeout;
      if (expectedDeletion < nowUnix) {
        // Upstream prints the budget's namespace twice here; kept word for word.
        ctx.recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${ns}/${ns} to be deleted but it wasn't`, SOURCE);
      } else {
        if (recheck === undefined || expectedDeletion < recheck) recheck = expectedDeletion;
        disrupted[name] = t;
      }
    }
    const currentHealthy = countHealthyPods(pods, disrupted, nowUnix);
    const { expectedCount, desiredHealthy } = counts;
    let disruptionsAllowed = currentHealthy - desiredHealthy;
    // A budget that matches no pods yet must be safe when its first pods appear.
    if (expectedCount <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
    const st: PdbStatus = pdb.status ?? ({} as PdbStatus);
    const generation = pdb.metadata.generation ?? 0;
    const upToDate =
      st.currentHealthy === currentHealthy &&
      st.desiredHealthy === desiredHealthy &&
      st.expectedPods === expectedCount &&
      st.disruptionsAllowed === disruptionsAllowed &&
      sameRecord(st.disruptedPods, disrupted) &&
      (st.observedGeneration ?? 0) === generation &&
      conditionsAreUpToDate(pdb);
    if (!upToDate) {
      const status: PdbStatus = {
        ...(generation ? { observedGeneration: generation } : {}),
        ...(Object.keys(disrupted).length > 0 ? { disruptedPods: disrupted } : {}),
        disruptionsAllowed,
        currentHealthy,
        desiredHealthy,
        expectedPods: expectedCount,
        conditions: JSON.parse(JSON.stringify(st.conditions ?? [])) as PdbStatus['conditions'],
      };
      updateDisruptionAllowedCondition(status, opts.timestamp(ctx.now));
      write(ctx, pdb, status);
    }
    // Come back when the earliest unconfirmed eviction times out (the recheck queue).
    if (recheck !== undefined) return { requeueAfter: Math.max(1, recheck - nowUnix) };
  }

  return {
    name: ControllerName,
    watches: [{ kind: 'PodDisruptionBudget' }, { kind: 'Pod', toKeys: podKeys }],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      // Report pods that matched several budgets (getPdbForPod's warning).
      for (const m of multiple.splice(0)) {
        ctx.recorder.event(
          m.pod,
          'Warning',
          'MultiplePodDisruptionBudgets',
          `Pod "${m.pod.metadata.namespace}"/"${m.pod.metadata.name}" matches multiple PodDisruptionBudgets.  Chose "${m.chose}" arbitrarily.`,
          SOURCE,
        );
      }
      if (key.startsWith(STALE)) {
        const j = key.indexOf('/');
        try {
          return syncStale(ctx, key.slice(STALE.length, j), key.slice(j + 1));
        } catch (e) {
          if (isApiError(e, 'Conflict') || isApiError(e, 'NotFound')) return { requeue: true };
          throw e;
        }
      }
      const i = key.indexOf('/');
      const ns = key.slice(0, i);
      const name = key.slice(i + 1);
      const pdb = ctx.lister<PdbObj>('PodDisruptionBudget').get(ns, name);
      if (!pdb) return;
      try {
        return trySync(ctx, pdb);
      } catch (e) {
        // A conflict is retried without the fail-safe; any other failure zeroes the budget.
        if (isApiError(e, 'Conflict')) return { requeue: true };
        if (isApiError(e)) throw e;
        const msg = e instanceof Error ? e.message : String(e);
        try {
          failSafe(ctx, pdb, msg);
        } catch (fe) {
          if (isApiError(fe, 'Conflict')) return { requeue: true };
          throw fe;
        }
        return { requeue: true };
      }
    },
  };
}

