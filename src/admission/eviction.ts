/**
 * The Eviction subresource (POST pods/<name>/eviction, policy/v1 Eviction),
 * following pkg/registry/core/pod/storage/eviction.go (newest release). It
 * lives with the API server's code because it is a REST handler of the pod
 * registry: like the Binding subresource it is not a controller, and it acts
 * only through the store (reads, a PDB status write, a pod status write and
 * a graceful delete), in one synchronous request.
 *
 *   - A pod that is Succeeded, Failed, Pending or already terminating is
 *     deleted without looking at budgets (canIgnorePDB).
 *   - Budgets are the namespace's PodDisruptionBudgets whose selector matches
 *     the pod (an empty or missing selector matches nothing here). More than
 *     one: 500 `This pod has more than one PodDisruptionBudget, which the
 *     eviction subresource does not support.` None: delete.
 *   - A pod that is not Ready is deleted without using the budget when the
 *     budget's unhealthyPodEvictionPolicy is AlwaysAllow, or (IfHealthyBudget,
 *     the default) when currentHealthy >= desiredHealthy > 0.
 *   - Otherwise checkAndDecrement: a budget not yet observed at its generation
 *     is 429 with the cause `The disruption budget <name> is still being
 *     processed by the server.`; disruptionsAllowed 0 is 429 `Cannot evict pod
 *     as it would violate the pod's disruption budget.` with the cause `The
 *     disruption budget <name> needs <desired> healthy pods and has <current>
 *     currently`; else disruptionsAllowed is decremented, the pod is recorded
 *     in status.disruptedPods (name -> time) and the DisruptionAllowed
 *     condition updated when it reaches 0, in one status write.
 *   - Deleting adds the DisruptionTarget condition (reason
 *     EvictionByEvictionAPI, message `Eviction API: evicting`) through the
 *     status subresource, then deletes the pod gracefully.
 * Dry-run evictions check and decrement nothing persistently, as upstream.
 */
import { resetStatusOnMainResourceWrite } from './statusStrategy.ts';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { AdmissionPlugin, KObject, Store, Stored, Time, Writable } from '../sim/types.ts';
import { ApiError } from '../sim/errors.ts';
import { labelSelectorAsSelector, LabelSelectorError } from '../api/labels.ts';
import { updatePodCondition } from '../api/podCondition.ts';
import { DisruptionBudgetCause, DisruptionTarget, isPodReady, updateDisruptionAllowedCondition, type PdbStatus } from '../api/pdb.ts';

type PodObj = Pod & KObject;
type PdbObj = PodDisruptionBudget & KObject;

/** MaxDisruptedPodSize: more unconfirmed evictions than this are refused. */
export const MaxDisruptedPodSize = 2000;
export const EvictionByEvictionAPI = 'EvictionByEvictionAPI';
export const EvictionMessage = 'Eviction API: evicting';
export const TooManyRequestsMessage = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MultiplePdbMessage = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

export interface StatusCause {
  type: string;
  message: string;
}

/** An eviction refused with a metav1.Status carrying causes and a retry-after hint. */
export class EvictionError extends ApiError {
  constructor(
    reason: ConstructorParameters<typeof ApiError>[0],
    code: number,
    message: string,
    readonly causes: StatusCause[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(reason, code, message);
  }
}

/** What an eviction needs from the API server: the store and the clock. */
export interface EvictionHost {
  readonly store: Store;
  readonly now: Time;
  /** RFC3339 of a virtual time (metav1.Time). */
  timestamp(t?: Time): string;
}

export interface EvictionOptions {
  /** DeleteOptions.gracePeriodSeconds for the pod's deletion. */
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  /** Who asks (run log): "timeline", "kubectl-drain", ... */
  actor?: string;
}

export interface EvictionResult {
  /** The budget that allowed it, when one was consulted and decremented. */
  budget?: string;
}

function tooManyRequests(cause: string, retryAfterSeconds: number): EvictionError {
  return new EvictionError('TooManyRequests', 429, TooManyRequestsMessage, [{ type: DisruptionBudgetCause, message: cause }], retryAfterSeconds);
}

/** createTooManyRequestsError: the budget's status is behind its spec. */
function stillProcessing(name: string): EvictionError {
  return tooManyRequests(`The disruption budget ${name} is still being processed by the server.`, 10);
}

/** canIgnorePDB. */
function canIgnorePDB(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata?.deletionTimestamp;
}

/** getPodDisruptionBudgets: the namespace's budgets whose (non-empty, valid) selector matches the pod. */
export function budgetsForPod(store: Pick<Store, 'list'>, pod: Pod): Stored<PdbObj>[] {
  const out: Stored<PdbObj>[] = [];
  for (const pdb of store.list<PdbObj>('PodDisruptionBudget', pod.metadata?.namespace ?? 'default')) {
    let sel;
    try {
      sel = labelSelectorAsSelector(pdb.spec?.selector);
    } catch (e) {
      if (e instanceof LabelSelectorError) continue; // an invalid selector matches nothing
      throw e;
    }
    // A nil or empty selector matches nothing here (unlike the disruption controller's lister).
    if (sel.empty || !sel.matches(pod.metadata?.labels ?? {})) continue;
    out.push(pdb);
  }
  return out;
}

/** addConditionAndDeletePod: DisruptionTarget through the status subresource, then the graceful delete. */
function addConditionAndDelete(host: EvictionHost, pod: Stored<PodObj>, opts: EvictionOptions): void {
  if (opts.dryRun) return;
  const ns = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name!;
  const actor = opts.actor ?? 'eviction';
  host.store.patch<Writable<PodObj>>(
    'Pod',
    ns,
    name,
    (d) => {
      updatePodCondition((d.status ??= {}), { type: DisruptionTarget, status: 'True', reason: EvictionByEvictionAPI, message: EvictionMessage }, host.timestamp(host.now));
    },
    { subresource: 'status', actor },
  );
  host.store.delete('Pod', ns, name, { actor, ...(opts.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: opts.gracePeriodSeconds } : {}) });
}

/** checkAndDecrement: refuse, or take one disruption from the budget (one status write). */
function checkAndDecrement(host: EvictionHost, podName: string, pdb: Stored<PdbObj>, opts: EvictionOptions): void {
  const st: PdbStatus = pdb.status ?? ({} as PdbStatus);
  const name = pdb.metadata.name ?? '';
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  const allowed = st.disruptionsAllowed ?? 0;
  if (allowed < 0) throw ApiError.forbidden('PodDisruptionBudget', name, 'pdb disruptions allowed is negative', 'policy/v1');
  if (Object.keys(st.disruptedPods ?? {}).length > MaxDisruptedPodSize) {
    throw ApiError.forbidden('PodDisruptionBudget', name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller', 'policy/v1');
  }
  if (allowed === 0) {
    throw tooManyRequests(`The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`, 0);
  }
  if (opts.dryRun) return;
  const now = host.timestamp(host.now);
  host.store.patch<PdbObj>(
    'PodDisruptionBudget',
    pdb.metadata.namespace ?? 'default',
    name,
    (d) => {
      const s = (d.status ??= {} as PdbObj['status']) as PdbStatus;
      s.disruptionsAllowed = allowed - 1;
      if (s.disruptionsAllowed === 0) updateDisruptionAllowedCondition(s, now);
      // Tells the disruption controller not to count this pod as healthy while it goes away.
      s.disruptedPods = { ...(s.disruptedPods ?? {}), [podName]: now };
    },
    { subresource: 'status', actor: 'kube-apiserver', resourceVersion: pdb.metadata.resourceVersion },
  );
}

/**
 * Evict a pod, as `POST /api/v1/namespaces/<ns>/pods/<name>/eviction`.
 * Returns on success; throws ApiError (NotFound, TooManyRequests 429 as an
 * EvictionError with causes, InternalError 500 for several budgets, Forbidden).
 */
export function evictPod(host: EvictionHost, namespace: string, name: string, opts: EvictionOptions = {}): EvictionResult {
  const pod = host.store.get<PodObj>('Pod', namespace, name);
  if (!pod) throw ApiError.notFound('Pod', name);
  if (canIgnorePDB(pod)) {
    addConditionAndDelete(host, pod, opts);
    return {};
  }
  const pdbs = budgetsForPod(host.store, pod);
  if (pdbs.length > 1) throw new EvictionError('InternalError', 500, MultiplePdbMessage);
  if (pdbs.length === 0) {
    addConditionAndDelete(host, pod, opts);
    return {};
  }
  const pdb = pdbs[0]!;
  if (!isPodReady(pod)) {
    // An unready pod does not count as healthy: deleting it takes nothing from the budget when
    // the policy says so, or when the application is not disrupted right now.
    if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') {
      addConditionAndDelete(host, pod, opts);
      return {};
    }
    const st: PdbStatus = pdb.status ?? ({} as PdbStatus);
    if ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0) {
      addConditionAndDelete(host, pod, opts);
      return {};
    }
  }
  checkAndDecrement(host, name, pdb, opts);
  addConditionAndDelete(host, pod, opts);
  return { budget: pdb.metadata.name ?? '' };
}

/**
 * The poddisruptionbudgets registry strategy: status is cleared on create and
 * kept as stored on updates of the main resource (the controller and the
 * Eviction subresource write it through the status subresource).
 */
export const podDisruptionBudgetStrategy: AdmissionPlugin = {
  name: 'PodDisruptionBudgetStrategy',
  kinds: ['PodDisruptionBudget'],
  mutate: resetStatusOnMainResourceWrite,
};
