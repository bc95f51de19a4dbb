/**
 * The Deployment controller, as kube-controller-manager's
 * pkg/controller/deployment (deployment_controller.go, newest upstream):
 * syncDeployment claims the ReplicaSets that match the selector (adopting
 * orphans, releasing those that stop matching), then
 *  - a Deployment being deleted only gets its status synced;
 *  - the Progressing condition follows pause/resume (DeploymentPaused /
 *    DeploymentResumed, "Deployment is paused" / "Deployment is resumed");
 *  - paused, or a scaling event (an active ReplicaSet's desired-replicas
 *    annotation differs from spec.replicas): sync() scales, proportionally
 *    during a rollout;
 *  - otherwise the strategy: rolloutRecreate or rolloutRolling.
 * An empty selector gets the `SelectingAll` warning and nothing else.
 * Informer handlers: ReplicaSet add/update/delete enqueue the owning
 * Deployment (or, for orphans, every Deployment whose selector matches);
 * a deleted pod enqueues its Recreate Deployment.
 *
 * Not modelled: the deprecated `deprecated.deployment.rollback.to`
 * annotation (apps/v1 dropped spec.rollbackTo); rollback is kubectl's
 * `rollout undo`, see rollback.ts.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { DeploymentStatus } from 'kubernetes-types/apps/v1.js';
import type { Controller, Lister, ReconcileContext, ReconcileResult, Runtime, Stored, Time, WatchEvent } from '../../sim/types.ts';
import { NO_KEYS } from '../../sim/runtime.ts';
import { labelSelectorAsSelector, labelsEqual, type Selector } from '../../api/labels.ts';
import { OwnerIndex, claimObjects, getControllerOf, keysForOwnedUpdate, type PodObj } from '../controllerutils/index.ts';
import { ControllerName, DeploymentSync, type RS } from './sync.ts';
import { rolloutRolling } from './rolling.ts';
import { rolloutRecreate, type PodMap } from './recreate.ts';
import { PausedDeployReason, ResumedDeployReason, getDeploymentCondition, hasProgressDeadline, newDeploymentCondition, setDeploymentCondition, TimedOutReason, type DeploymentObj } from './util.ts';

export interface DeploymentControllerOptions {
  runtime: Runtime;
  parseTime: (ts: string) => Time;
  timestamp: (t: Time) => string;
}

function keyOf(ns: string, name: string): string {
  return `${ns}/${name}`;
}

function selectorOf(d: DeploymentObj): Selector | undefined {
  try {
    return labelSelectorAsSelector(d.spec?.selector);
  } catch {
    return undefined;
  }
}

function isEmptySelector(d: DeploymentObj): boolean {
  const s = d.spec?.selector;
  // reflect.DeepEqual(selector, &metav1.LabelSelector{}): an empty map is not nil, so {matchLabels: {}} does not count.
  return !!s && s.matchLabels === undefined && s.matchExpressions === undefined;
}

export function createDeploymentController(opts: DeploymentControllerOptions): Controller {
  const rsIndex = new OwnerIndex<RS>();
  // Pods by owner only (this controller never adopts pods): orphans are never filed. Lazy: only the Recreate
  // strategy reads it (whether any old pod still runs, which does not depend on order), so a cluster of
  // RollingUpdate Deployments never files its pods.
  const podIndex = new OwnerIndex<PodObj>({ lazyOrphans: true, lazy: true });
  const dLister: Lister<DeploymentObj> = opts.runtime.informer<DeploymentObj>('Deployment', {}, `${ControllerName}/deployments`);
  const rsLister: Lister<RS> = opts.runtime.informer<RS>('ReplicaSet', {}, `${ControllerName}/replicasets`);

  function resolve(ns: string, ref: { kind: string; name: string; uid: string } | undefined): string | undefined {
    if (!ref || ref.kind !== 'Deployment') return undefined;
    const d = dLister.get(ns, ref.name);
    if (!d || d.metadata.uid !== ref.uid) return undefined;
    return keyOf(ns, ref.name);
  }

  /** getDeploymentsForReplicaSet: Deployments whose selector matches an orphan ReplicaSet's labels. */
  function matching(rs: Stored<RS>): string[] {
    const ns = rs.metadata.namespace ?? '';
    const labels = rs.metadata.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    const out: string[] = [];
    for (const d of dLister.list(ns)) {
      const sel = selectorOf(d);
      if (!sel || sel.empty) continue;
      if (sel.matches(labels)) out.push(keyOf(ns, d.metadata.name ?? ''));
    }
    return out;
  }

  function rsEvent(ev: WatchEvent): string[] {
    rsIndex.observe(ev);
    const cur = ev.object as Stored<RS>;
    const ns = cur.metadata.namespace ?? '';
    if (ev.type === 'ADDED' || ev.type === 'DELETED') {
      const ref = getControllerOf(cur);
      if (ref) {
        const k = resolve(ns, ref);
        return k ? [k] : [];
      }
      return ev.type === 'ADDED' ? matching(cur) : [];
    }
    const old = (ev.oldObject ?? cur) as Stored<RS>;
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return [];
    const labelsChanged = !labelsEqual(old.metadata.labels, cur.metadata.labels);
    return keysForOwnedUpdate(old, cur, labelsChanged, (ref) => resolve(ns, ref), () => matching(cur));
  }

  /** Every pod event of the cluster comes here: the shared empty answer (NO_KEYS), not a new list each time. */
  function podEvent(ev: WatchEvent): readonly string[] {
    podIndex.observe(ev);
    if (ev.type !== 'DELETED') return NO_KEYS;
    const pod = ev.object as Stored<PodObj>;
    const ns = pod.metadata.namespace ?? '';
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return NO_KEYS;
    const rs = rsLister.get(ns, ref.name);
    if (!rs || rs.metadata.uid !== ref.uid) return NO_KEYS;
    const key = resolve(ns, getControllerOf(rs));
    if (!key) return NO_KEYS;
    const d = dLister.get(ns, key.slice(ns.length + 1));
    return d?.spec?.strategy?.type === 'Recreate' ? [key] : NO_KEYS;
  }

  /** checkPausedConditions: the Progressing condition follows spec.paused (unless timed out). */
  function checkPausedConditions(s: DeploymentSync): void {
    const d = s.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getDeploymentCondition(d.status, 'Progressing');
    if (cond && cond.reason === TimedOutReason) return;
    const pausedCondExists = cond?.reason === PausedDeployReason;
    let needsUpdate = false;
    if (d.spec?.paused && !pausedCondExists) {
      setDeploymentCondition((d.status ??= {}), newDeploymentCondition('Progressing', 'Unknown', PausedDeployReason, 'Deployment is paused', s.time));
      needsUpdate = true;
    } else if (!d.spec?.paused && pausedCondExists) {
      setDeploymentCondition((d.status ??= {}), newDeploymentCondition('Progressing', 'Unknown', ResumedDeployReason, 'Deployment is resumed', s.time));
      needsUpdate = true;
    }
    if (needsUpdate) s.updateStatus();
  }

  function syncDeployment(ctx: ReconcileContext, d: Stored<DeploymentObj>): ReconcileResult | void {
    const ns = d.metadata.namespace ?? '';
    if (isEmptySelector(d)) {
      ctx.recorder.event(d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.', { component: ControllerName });
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        const gen = d.metadata.generation ?? 0;
        ctx.store.patch<DeploymentObj>(
          'Deployment',
          ns,
          d.metadata.name ?? '',
          (dr) => {
            const st = ((dr as { status?: DeploymentStatus }).status ??= {});
            st.observedGeneration = gen;
          },
          { subresource: 'status', actor: ControllerName },
        );
      }
      return;
    }
    const selector = selectorOf(d);
    if (!selector) return;
    const candidates = [...rsIndex.owned(d.metadata.uid ?? ''), ...rsIndex.orphansIn(ns)];
    const claim = claimObjects(candidates, { store: ctx.store, controller: d, selector, actor: ControllerName });
    if (claim.errors.length > 0) return { requeue: true };
    const rsList = claim.claimed.map((rs) => rs as RS);
    const s = new DeploymentSync(ctx, d, rsList, opts.parseTime, opts.timestamp);

    if (d.metadata.deletionTimestamp) {
      const { newRS, oldRSs } = s.getAllReplicaSetsAndSyncRevision(false);
      s.syncDeploymentStatus([...oldRSs, newRS], newRS);
      return;
    }
    checkPausedConditions(s);
    if (s.d.spec?.paused) {
      s.sync();
    } else if (s.isScalingEvent()) {
      s.sync();
    } else if (s.d.spec?.strategy?.type === 'Recreate') {
      const podMap = new Map<string, readonly Pod[]>();
      const podCache = ctx.lister<PodObj>('Pod');
      for (const rs of rsList) podMap.set(rs.metadata.uid ?? '', podIndex.owned(rs.metadata.uid ?? '', podCache));
      rolloutRecreate(s, podMap as PodMap);
    } else if (s.d.spec?.strategy?.type === 'RollingUpdate') {
      rolloutRolling(s);
    }
    if (s.requeue === 'rateLimited') return { requeue: true };
    if (typeof s.requeue === 'number') return { requeueAfter: s.requeue };
    return;
  }

  return {
    name: ControllerName,
    watches: [{ kind: 'Deployment' }, { kind: 'ReplicaSet', toKeys: rsEvent }, { kind: 'Pod', toKeys: podEvent }],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      const slash = key.indexOf('/');
      const d = dLister.get(key.slice(0, slash), key.slice(slash + 1));
      if (!d) return;
      return syncDeployment(ctx, d);
    },
  };
}
