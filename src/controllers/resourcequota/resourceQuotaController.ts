/**
 * The resource quota controller (`resourcequota-controller` in
 * kube-controller-manager), following pkg/controller/resourcequota
 * (resource_quota_controller.go syncResourceQuota, resource_quota_monitor.go)
 * and k8s.io/apiserver/pkg/quota/v1 CalculateUsage (newest release).
 *
 * It keeps each ResourceQuota's status current: status.hard = spec.hard and
 * status.used = the usage of the namespace's objects that match the quota's
 * scopes, for the resources in spec.hard that an evaluator tracks (pods,
 * services, persistentvolumeclaims and count/<resource>.<group>). It writes
 * only when something changed, with the stored resourceVersion (a conflict
 * with admission's charge is retried).
 *
 * When it syncs, as upstream:
 *   - a quota is added, or its spec.hard changes (status-only updates are
 *     ignored: admission writes those);
 *   - replenishment: a pod becomes terminal (or is stuck terminating past its
 *     grace period) or is deleted; a service is deleted or changes type; a
 *     claim is deleted or its storage request changes; an object of another
 *     counted kind is deleted: every quota of that namespace tracking the
 *     resource is recalculated;
 *   - every quota on the full resync, `--resource-quota-sync-period` (5m).
 * Creations are not watched: admission has already charged them.
 */
import type { PersistentVolumeClaim, Pod, ResourceQuota, Service } from 'kubernetes-types/core/v1.js';
import type { Controller, KObject, ReconcileContext, ReconcileResult, Stored, Time, WatchEvent } from '../../sim/types.ts';
import { isApiError } from '../../sim/errors.ts';
import { NO_KEYS } from '../../sim/runtime.ts';
import { Quantity } from '../../api/quantity.ts';
import { KINDS } from '../../api/discovery.ts';
import type { ResourceMap } from '../../api/resources.ts';
import { evaluatorFor, matchesAllScopes, quotaV1Pod, scopeSelectorsOf, type QuotaClock, type QuotaEvaluator } from '../../admission/resourcequota/evaluators.ts';
import { addLists, equalLists, listToMap, mapToList, mask } from '../../admission/resourcequota/resources.ts';

type QuotaObj = ResourceQuota & KObject;

export const ControllerName = 'resourcequota-controller';
/** --resource-quota-sync-period default. */
export const DefaultResourceQuotaSyncPeriod: Time = 5 * 60 * 1000;

/** Kinds whose deletions replenish object-count quotas (the modelled namespaced kinds). */
const COUNTED_KINDS = ['ConfigMap', 'Secret', 'ReplicationController', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ServiceAccount', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'LimitRange'];

/**
 * Replenishment keys ("replenish|<namespace>|<kind>"). Upstream's QuotaMonitor calls replenishQuota in
 * its own event goroutine, which returns at once when the namespace has no ResourceQuota in the
 * informer's cache and otherwise queues the quotas that track the kind. ksim returns no key for a
 * namespace without a quota in the cache either (the controller counts them from the quota watch, which
 * sees the cache's changes in delivery order); for a namespace with one it queues this key on the
 * controller's worker queue and resolves the quotas at reconcile. Why the count: without it every pod
 * termination and deletion in a namespace without quota took a no-op worker turn (29,000 an hour of
 * churn, two engine events each) that upstream never spends, and delayed the worker's real keys.
 */
const REPLENISH = 'replenish|';

export interface ResourceQuotaControllerOptions {
  /** Unix ms of virtual time 0 (QuotaV1Pod's stuck-terminating rule). */
  epochMs: number;
  syncPeriod?: Time;
}

/** The kind an object-count resource name counts ("count/deployments.apps" -> Deployment). */
function kindForCountName(name: string): string | undefined {
  const legacy: Record<string, string> = { configmaps: 'ConfigMap', secrets: 'Secret', replicationcontrollers: 'ReplicationController', resourcequotas: 'ResourceQuota' };
  if (legacy[name]) return legacy[name];
  if (!name.startsWith('count/')) return undefined;
  const gr = name.slice('count/'.length);
  return KINDS.find((k) => k.namespaced && (k.group ? `${k.resource}.${k.group}` : k.resource) === gr)?.kind;
}

/** The evaluators a quota's hard names need: the core three, plus an object counter per counted kind. */
function evaluatorsFor(hard: readonly string[]): QuotaEvaluator[] {
  const out: QuotaEvaluator[] = [evaluatorFor('Pod'), evaluatorFor('Service'), evaluatorFor('PersistentVolumeClaim')];
  const kinds = new Set<string>();
  for (const h of hard) {
    const k = kindForCountName(h);
    if (k && k !== 'Pod' && k !== 'Service' && k !== 'PersistentVolumeClaim') kinds.add(k);
  }
  for (const k of [...kinds].sort()) {
    const info = KINDS.find((x) => x.kind === k)!;
    out.push(evaluatorFor(k, info.group ? `${info.group}/${info.versions[0]}` : info.versions[0]));
  }
  return out;
}

/** CalculateUsage: the namespace's usage of the quota's tracked resources, scopes applied. */
export function calculateUsage(q: ResourceQuota, list: (kind: string) => readonly KObject[], clock: QuotaClock): ResourceMap {
  const hard = Object.keys(q.spec?.hard ?? {}).sort();
  const evaluators = evaluatorsFor(hard);
  const matched = new Set<string>();
  for (const ev of evaluators) for (const r of ev.matchingResources(hard)) matched.add(r);
  const selectors = scopeSelectorsOf(q);
  let usage: ResourceMap = new Map();
  for (const ev of evaluators) {
    const resources = ev.matchingResources([...matched]);
    if (resources.length === 0) continue;
    // CalculateUsageStats: zero for every tracked resource, then each matching object's usage.
    let used: ResourceMap = new Map(resources.map((r) => [r, Quantity.zero()]));
    for (const o of list(ev.kind)) {
      if (!matchesAllScopes(ev, selectors, o)) continue;
      used = addLists(used, ev.usage(o, clock));
    }
    usage = addLists(usage, used);
  }
  return mask(usage, [...matched].sort());
}

function quotaKey(q: { metadata: { namespace?: string; name?: string } }): string {
  return `${q.metadata.namespace ?? ''}/${q.metadata.name ?? ''}`;
}

function hardChanged(a: ResourceQuota | undefined, b: ResourceQuota): boolean {
  return !equalLists(listToMap(a?.spec?.hard), listToMap(b.spec?.hard));
}

function serviceQuotaType(s: Service | undefined): string {
  const t = s?.spec?.type;
  return t === 'NodePort' || t === 'LoadBalancer' ? t : '';
}

function claimStorage(p: PersistentVolumeClaim | undefined): string {
  return String((p?.spec?.resources?.requests as Record<string, unknown> | undefined)?.['storage'] ?? '');
}

export function createResourceQuotaController(opts: ResourceQuotaControllerOptions): Controller {
  const clock = (ctx: ReconcileContext): QuotaClock => ({ nowUnixMs: opts.epochMs + ctx.now });
  /** ResourceQuotas per namespace in the informer's cache, from the quota watch's adds and deletes. */
  const quotasIn = new Map<string, number>();
  const replenish = (kind: string) => (ev: WatchEvent): readonly string[] => {
    const ns = ev.object.metadata.namespace;
    if (!ns || !quotasIn.has(ns)) return NO_KEYS;
    if (ev.type === 'DELETED') return [`${REPLENISH}${ns}|${kind}`];
    if (ev.type !== 'MODIFIED' || !ev.oldObject) return NO_KEYS;
    let changed = false;
    if (kind === 'Pod') changed = quotaV1Pod(ev.oldObject as Pod) && !quotaV1Pod(ev.object as Pod);
    else if (kind === 'Service') changed = serviceQuotaType(ev.oldObject as Service) !== serviceQuotaType(ev.object as Service);
    else if (kind === 'PersistentVolumeClaim') changed = claimStorage(ev.oldObject as PersistentVolumeClaim) !== claimStorage(ev.object as PersistentVolumeClaim);
    return changed ? [`${REPLENISH}${ns}|${kind}`] : NO_KEYS;
  };

  /** A counted kind's deletion in a namespace with a quota: that kind's replenish key. */
  function countedKindKeys(ev: WatchEvent, kind: string): readonly string[] {
    const ns = ev.object.metadata.namespace;
    return ev.type === 'DELETED' && ns && quotasIn.has(ns) ? [`${REPLENISH}${ns}|${kind}`] : NO_KEYS;
  }

  function sync(ctx: ReconcileContext, q: Stored<QuotaObj>): void {
    const ns = q.metadata.namespace ?? '';
    const hard = listToMap(q.spec?.hard);
    const statusHard = q.status?.hard;
    const statusUsed = q.status?.used;
    let dirty = statusHard === undefined || statusUsed === undefined || !equalLists(hard, listToMap(statusHard));
    const newUsage = calculateUsage(q, (kind) => ctx.lister(kind).list(ns), clock(ctx));
    // Keep past observations for resources no evaluator measured, then mask to the hard names.
    const used = new Map(listToMap(statusUsed));
    for (const [k, v] of newUsage) used.set(k, v);
    const masked = mask(used, [...hard.keys()].sort());
    dirty ||= !equalLists(masked, listToMap(statusUsed));
    if (!dirty) return;
    ctx.store.patch<QuotaObj>(
      'ResourceQuota',
      ns,
      q.metadata.name ?? '',
      (d) => {
        (d as { status?: unknown }).status = { hard: mapToList(hard), used: mapToList(masked) };
      },
      { subresource: 'status', actor: ControllerName, resourceVersion: q.metadata.resourceVersion },
    );
  }

  return {
    name: ControllerName,
    resyncPeriod: opts.syncPeriod ?? DefaultResourceQuotaSyncPeriod,
    watches: [
      {
        kind: 'ResourceQuota',
        toKeys: (ev) => {
          const ns = ev.object.metadata.namespace ?? '';
          if (ev.type === 'DELETED') {
            const n = quotasIn.get(ns) ?? 0;
            if (n <= 1) quotasIn.delete(ns);
            else quotasIn.set(ns, n - 1);
            return [];
          }
          // An ADDED the cache already held reaches the watch as MODIFIED: each quota is counted once.
          if (ev.type === 'ADDED') quotasIn.set(ns, (quotasIn.get(ns) ?? 0) + 1);
          // The periodic resync hands every quota over unchanged; an update matters only when spec.hard moved.
          if (ev.type === 'ADDED' || ev.oldObject === ev.object || hardChanged(ev.oldObject as ResourceQuota | undefined, ev.object as ResourceQuota)) return [quotaKey(ev.object)];
          return [];
        },
      },
      { kind: 'Pod', toKeys: replenish('Pod') },
      { kind: 'Service', toKeys: replenish('Service') },
      { kind: 'PersistentVolumeClaim', toKeys: replenish('PersistentVolumeClaim') },
      // As for pods: replenishQuota returns at once for a namespace without a quota in the cache. Why: every
      // deleted Job of a batch queue took a no-op worker turn (3,600 an hour of churn, two engine events each).
      ...COUNTED_KINDS.map((k) => ({ kind: k, toKeys: (ev: WatchEvent) => countedKindKeys(ev, k) })),
    ],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      const quotas = ctx.lister<QuotaObj>('ResourceQuota');
      let targets: Stored<QuotaObj>[];
      if (key.startsWith(REPLENISH)) {
        const [ns, kind] = key.slice(REPLENISH.length).split('|') as [string, string];
        const info = KINDS.find((k) => k.kind === kind);
        const ev = evaluatorFor(kind, info && info.group ? `${info.group}/${info.versions[0]}` : 'v1');
        targets = quotas.list(ns).filter((q) => ev.matchingResources(Object.keys(q.status?.hard ?? {})).length > 0);
      } else {
        const i = key.indexOf('/');
        const q = quotas.get(key.slice(0, i), key.slice(i + 1));
        targets = q ? [q] : [];
      }
      let retry = false;
      for (const q of targets) {
        try {
          sync(ctx, q);
        } catch (e) {
          if (!isApiError(e)) throw e;
          // A stale cache lost the race with admission's charge (Conflict), or the quota went away.
          if (e.reason !== 'NotFound') retry = true;
        }
      }
      return retry ? { requeue: true } : undefined;
    },
  };
}

