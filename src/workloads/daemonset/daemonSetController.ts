/**
 * The DaemonSet controller (`daemonset-controller`), following
 * pkg/controller/daemon (daemon_controller.go, update.go) of the newest
 * upstream release:
 *  - manage: for every node, NodeShouldRunDaemonPod decides; a node that
 *    should run the pod and has none gets one; failed pods are killed (with a
 *    per-node back-off of 1 s doubling to 15 min and a `FailedDaemonPod`
 *    warning), succeeded ones deleted; without maxSurge extra running pods
 *    beyond the oldest are deleted; a node that should no longer run it has
 *    its pods deleted; pods never scheduled and targeting a node that is gone
 *    are deleted;
 *  - pods are created from the template with the daemon tolerations, the
 *    `controller-revision-hash` label and a required node affinity on the
 *    node's metadata.name, and left to the default scheduler; creates go out in
 *    slow-start batches (1, 2, 4, ...) of at most 250 per sync, with
 *    expectations so a sync does not act on a cache that has not seen its own
 *    writes yet;
 *  - RollingUpdate (once expectations are met): without maxSurge, old pods
 *    are deleted while at most maxUnavailable (default 1, percentages of the
 *    desired count rounded up) are unavailable and unavailable old pods are
 *    replaced at once; with maxSurge, a new pod is created next to an old one
 *    and the old one deleted when the new one is available; OnDelete does
 *    nothing;
 *  - ControllerRevisions `<ds>-<hash>` for the template, history beyond
 *    revisionHistoryLimit that no pod uses deleted;
 *  - status: desiredNumberScheduled, currentNumberScheduled, numberReady,
 *    numberAvailable (minReadySeconds), numberUnavailable,
 *    updatedNumberScheduled, numberMisscheduled, observedGeneration.
 * Events: `SuccessfulCreate` "Created pod: ds-abcde", `SuccessfulDelete`
 * "Deleted pod: ds-abcde", `FailedCreate` "Error creating: <err>",
 * `FailedDaemonPod` "Found failed daemon pod default/x on node n, will try to kill it".
 *
 * Pods are claimed as upstream's ClaimPods (matching orphans adopted, owned
 * pods that stop matching released).
 *
 * Pods also carry the deprecated `pod-template-generation` label, from the
 * `deprecated.daemonset.template.generation` annotation the API server keeps
 * (daemonSetStrategy.ts). Pods bound to a removed node are left to the pod
 * garbage collector, as upstream.
 */
import type { Controller, KObject, ReconcileContext, ReconcileResult, Stored, Time, WatchEvent, Writable } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import { labelSelectorAsSelector, type Selector } from '../../api/labels.ts';
import { controllerRef, equalRevision, sortRevisions, templatePatch, type ControllerRevision } from '../appsutil/controllerHistory.ts';
import { isPodAvailable, isPodReady, untilAvailable } from '../appsutil/podReadiness.ts';
import { OwnedIndex } from '../appsutil/ownedIndex.ts';
import { NO_KEYS } from '../../sim/runtime.ts';
import { OwnerIndex, OwnerNamespaces, claimObjects, cloneJson, computeHash, getControllerOf } from '../controllerutils/index.ts';
import { templateGeneration } from './daemonSetStrategy.ts';
import {
  DaemonSetRevisionLabel,
  DaemonSetTemplateGenerationLabel,
  addDaemonPodTolerations,
  allowsSurge,
  byCreationTimestampAndPhase,
  getTargetNodeName,
  isPodUpdated,
  nodeShouldRunDaemonPod,
  replaceNodeNameAffinity,
  updatedDesiredCounts,
  type DSObj,
  type NodeObj,
  type PodObj,
} from './daemonSetUtil.ts';

export const ControllerName = 'daemonset-controller';
const Source = { component: ControllerName };

/** --concurrent-daemonset-syncs' companion: BurstReplicas, the most creates or deletes one sync issues. */
export const BurstReplicas = 250;
/** failedPodsBackoff: flowcontrol.NewBackOff(1s, 15m). */
const FailedPodBackoffInitial = 1000;
const FailedPodBackoffMax = 15 * 60_000;

export interface DaemonSetControllerOptions {
  epochMs: number;
}

type Rev = Stored<ControllerRevision>;
type Pods = Stored<PodObj>[];

interface Expectations {
  add: number;
  del: number;
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

export function createDaemonSetController(opts: DaemonSetControllerOptions): Controller {
  const pods = new OwnerIndex<PodObj>({ lazyOrphans: true });
  const revisions = new OwnedIndex<ControllerRevision>('DaemonSet');
  /** Every DaemonSet by key, to map node changes to the sets they matter to. */
  const sets = new Map<string, Stored<DSObj>>();
  /** The namespaces `sets` has a DaemonSet in. */
  const setNamespaces = new OwnerNamespaces();
  const expectations = new Map<string, Expectations>();
  const backoff = new Map<string, { delay: Time; last: Time }>();
  /** Pods whose deletion was already counted against expectations (UIDTrackingControllerExpectations). */
  const deletionSeen = new Set<string>();

  function satisfied(key: string): boolean {
    const e = expectations.get(key);
    return !e || (e.add <= 0 && e.del <= 0);
  }

  /** An orphan, or a pod controlled by a DaemonSet. */
  function mine(o: KObject): boolean {
    const r = getControllerOf(o);
    return r === undefined || r.kind === 'DaemonSet';
  }

  /** A pod event: its controller's key (expectations observed), the previous controller's, or for an orphan every DaemonSet that could adopt it. */
  function observePod(ev: WatchEvent): readonly string[] {
    // An orphan before and after, in a namespace with no DaemonSet and whose orphans the index does not file:
    // the index would not change and no set can adopt it or be its controller (no key below).
    if (pods.ignores(ev) && !setNamespaces.has(ev.object.metadata.namespace ?? '')) return NO_KEYS;
    // Only orphans and DaemonSet pods are indexed: pods of other controllers (150,000 ReplicaSet pods) cost nothing here.
    if (mine(ev.object)) pods.observe(ev);
    else if (ev.oldObject && mine(ev.oldObject)) pods.observe({ type: 'DELETED', object: ev.oldObject });
    const cur = ev.object;
    const ns = cur.metadata.namespace ?? '';
    const keys: string[] = [];
    const oldRef = ev.oldObject ? getControllerOf(ev.oldObject) : undefined;
    const ref = getControllerOf(cur);
    if (oldRef && oldRef.kind === 'DaemonSet' && oldRef.uid !== ref?.uid) keys.push(`${ns}/${oldRef.name}`);
    if (!ref) {
      if (ev.type !== 'DELETED') {
        const labels = cur.metadata.labels ?? {};
        for (const [key, ds] of sets) {
          if ((ds.metadata.namespace ?? '') !== ns) continue;
          try {
            const sel = labelSelectorAsSelector(ds.spec?.selector);
            if (!sel.empty && sel.matches(labels)) keys.push(key);
          } catch {
            // An invalid selector adopts nothing.
          }
        }
      }
      return keys;
    }
    if (ref.kind !== 'DaemonSet') return keys;
    const key = `${ns}/${ref.name}`;
    keys.push(key);
    const e = expectations.get(key);
    const uid = cur.metadata.uid ?? '';
    if (ev.type === 'ADDED' && !cur.metadata.deletionTimestamp) {
      if (e) e.add--;
    } else if (ev.type === 'DELETED' || cur.metadata.deletionTimestamp) {
      // A deletion is observed once per pod: at its deletionTimestamp or, for an immediate delete, its removal.
      if (!deletionSeen.has(uid)) {
        deletionSeen.add(uid);
        if (e) e.del--;
      }
      if (ev.type === 'DELETED') deletionSeen.delete(uid);
    }
    return keys;
  }

  function observeNode(ev: WatchEvent): string[] {
    const cur = ev.object as Stored<NodeObj>;
    const old = ev.oldObject as Stored<NodeObj> | undefined;
    const out: string[] = [];
    if (ev.type === 'MODIFIED' && old) {
      // Status writes (heartbeats, conditions) share the unchanged labels and spec objects: nothing to do.
      if (old.metadata.labels === cur.metadata.labels && old.spec === cur.spec) return out;
      if (JSON.stringify(old.metadata.labels ?? {}) === JSON.stringify(cur.metadata.labels ?? {}) && JSON.stringify(old.spec ?? {}) === JSON.stringify(cur.spec ?? {})) return out;
    }
    if (sets.size === 0) return out;
    for (const [key, ds] of sets) {
      if (ev.type !== 'MODIFIED' || !old) {
        const r = nodeShouldRunDaemonPod(cur, ds);
        if (ev.type === 'DELETED' || r.shouldRun) out.push(key);
        continue;
      }
      const a = nodeShouldRunDaemonPod(old, ds);
      const b = nodeShouldRunDaemonPod(cur, ds);
      if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) out.push(key);
    }
    return out;
  }

  function observeSet(ev: WatchEvent): string[] {
    const ds = ev.object as Stored<DSObj>;
    const key = `${ds.metadata.namespace ?? ''}/${ds.metadata.name ?? ''}`;
    setNamespaces.observe(ev);
    if (ev.type === 'DELETED') {
      sets.delete(key);
      expectations.delete(key);
    } else sets.set(key, ds);
    return [key];
  }

  // ---- history (constructHistory / snapshot / cleanupHistory) ----

  function constructHistory(ctx: ReconcileContext, ds: Stored<DSObj>, revs: Rev[]): { cur: Rev; hash: string; old: Rev[] } {
    const data = templatePatch(ds.spec?.template);
    const max = revs.reduce((m, r) => Math.max(m, r.revision), 0);
    let cur = revs.filter((r) => equalRevision(r, { data })).pop();
    if (cur && cur.revision < max) {
      cur = ctx.store.patch<ControllerRevision>('ControllerRevision', cur.metadata.namespace ?? '', cur.metadata.name ?? '', (d) => {
        d.revision = max + 1;
      }, { actor: ControllerName }) as Rev;
    }
    if (!cur) {
      let collision: number | undefined = ds.status?.collisionCount;
      for (;;) {
        // controller.ComputeHash(&ds.Spec.Template, ds.Status.CollisionCount), as Deployments hash their templates.
        const hash = computeHash(ds.spec?.template, collision);
        const cr: ControllerRevision = {
          apiVersion: 'apps/v1',
          kind: 'ControllerRevision',
          metadata: {
            name: `${ds.metadata.name ?? ''}-${hash}`,
            namespace: ds.metadata.namespace ?? 'default',
            labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [DaemonSetRevisionLabel]: hash },
            annotations: { ...(ds.metadata.annotations ?? {}) },
            ownerReferences: [controllerRef(ds)],
          },
          data,
          revision: max + 1,
        };
        try {
          cur = ctx.store.create(cr, { actor: ControllerName }) as Rev;
          break;
        } catch (e) {
          if (!(e instanceof ApiError) || e.reason !== 'AlreadyExists') throw e;
          const existing = ctx.store.get<ControllerRevision>('ControllerRevision', cr.metadata.namespace ?? '', cr.metadata.name ?? '');
          if (existing && equalRevision(existing, cr)) {
            cur = existing;
            break;
          }
          collision = (collision ?? 0) + 1;
          ctx.store.patch<Writable<DSObj>>('DaemonSet', ds.metadata.namespace ?? '', ds.metadata.name ?? '', (d) => {
            d.status = { ...(d.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 }), collisionCount: collision };
          }, { subresource: 'status', actor: ControllerName });
        }
      }
    }
    const hash = cur.metadata.labels?.[DaemonSetRevisionLabel] ?? '';
    return { cur, hash, old: revs.filter((r) => r.metadata.name !== cur!.metadata.name) };
  }

  function cleanupHistory(ctx: ReconcileContext, ds: Stored<DSObj>, owned: Pods, old: Rev[]): void {
    const limit = ds.spec?.revisionHistoryLimit ?? 10;
    if (old.length <= limit) return;
    const live = new Set(owned.map((p) => p.metadata.labels?.[DaemonSetRevisionLabel] ?? ''));
    let toKill = old.length - limit;
    for (const r of sortRevisions(old.slice())) {
      if (toKill <= 0) break;
      if (live.has(r.metadata.labels?.[DaemonSetRevisionLabel] ?? '')) continue;
      try {
        ctx.store.delete('ControllerRevision', r.metadata.namespace ?? '', r.metadata.name ?? '', { actor: ControllerName });
      } catch (e) {
        if (!(e instanceof ApiError) || e.reason !== 'NotFound') throw e;
      }
      toKill--;
    }
  }

  // ---- manage / syncNodes ----

  function nodeToDaemonPods(owned: Pods): Map<string, Pods> {
    const m = new Map<string, Pods>();
    for (const p of owned) {
      const n = getTargetNodeName(p);
      if (n === undefined) continue;
      let l = m.get(n);
      if (!l) m.set(n, (l = []));
      l.push(p);
    }
    return m;
  }

  function inBackoff(key: string, now: Time): Time | undefined {
    const b = backoff.get(key);
    if (b && now - b.last < b.delay) return b.delay - (now - b.last);
    return undefined;
  }

  function nextBackoff(key: string, now: Time): void {
    const b = backoff.get(key);
    if (!b || now - b.last > 2 * FailedPodBackoffMax) backoff.set(key, { delay: FailedPodBackoffInitial, last: now });
    else backoff.set(key, { delay: Math.min(b.delay * 2, FailedPodBackoffMax), last: now });
  }

  function manage(ctx: ReconcileContext, key: string, ds: Stored<DSObj>, nodes: Stored<NodeObj>[], byNode: Map<string, Pods>, hash: string, requeue: { after?: Time }): void {
    const nodesNeeding: string[] = [];
    let toDelete: Stored<PodObj>[] = [];
    for (const node of nodes) {
      const nodeName = node.metadata.name ?? '';
      const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
      const daemonPods = byNode.get(nodeName) ?? [];
      const exists = daemonPods.length > 0;
      if (shouldRun && !exists) {
        nodesNeeding.push(nodeName);
      } else if (shouldContinueRunning) {
        const running: Pods = [];
        for (const pod of daemonPods) {
          if (pod.metadata.deletionTimestamp) continue;
          if (pod.status?.phase === 'Failed') {
            const bkey = `${key}/${nodeName}`;
            const wait = inBackoff(bkey, ctx.now);
            if (wait !== undefined) {
              requeue.after = Math.min(requeue.after ?? wait, wait);
              continue;
            }
            nextBackoff(bkey, ctx.now);
            ctx.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${nodeName}, will try to kill it`, Source);
            toDelete.push(pod);
          } else if (pod.status?.phase === 'Succeeded') {
            toDelete.push(pod);
          } else running.push(pod);
        }
        if (!allowsSurge(ds)) {
          if (running.length <= 1) continue;
          running.sort(byCreationTimestampAndPhase);
          toDelete = toDelete.concat(running.slice(1));
          continue;
        }
        if (running.length <= 1) {
          if (running.length === 0 && shouldRun) nodesNeeding.push(nodeName);
          continue;
        }
        // With surge, keep the oldest updated pod and, until it is available, the oldest old one while that is ready.
        running.sort(byCreationTimestampAndPhase);
        let oldest: Stored<PodObj> | undefined;
        let oldestOld: Stored<PodObj> | undefined;
        for (const p of running) {
          if (isPodUpdated(p, hash, templateGeneration(ds))) {
            if (!oldest) oldest = p;
            else toDelete.push(p);
          } else if (!oldestOld) oldestOld = p;
          else toDelete.push(p);
        }
        if (oldest && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldest, ds.spec?.minReadySeconds ?? 0, ctx.now, opts.epochMs))) toDelete.push(oldestOld);
      } else if (exists) {
        for (const pod of daemonPods) if (!pod.metadata.deletionTimestamp) toDelete.push(pod);
      }
    }
    // getUnscheduledPodsWithoutNode
    const present = new Set(nodes.map((n) => n.metadata.name ?? ''));
    for (const [nodeName, list] of [...byNode.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      if (present.has(nodeName)) continue;
      for (const p of list) if (!p.spec?.nodeName && !p.metadata.deletionTimestamp) toDelete.push(p);
    }
    syncNodes(ctx, key, ds, toDelete, nodesNeeding, hash);
  }

  function syncNodes(ctx: ReconcileContext, key: string, ds: Stored<DSObj>, toDelete: Pods, nodesNeeding: string[], hash: string): void {
    const createDiff = Math.min(nodesNeeding.length, BurstReplicas);
    const deleteDiff = Math.min(toDelete.length, BurstReplicas);
    const exp: Expectations = { add: createDiff, del: deleteDiff };
    expectations.set(key, exp);
    const ns = ds.metadata.namespace ?? 'default';
    const template = ds.spec?.template ?? {};
    // util.CreatePodTemplate: the deprecated template-generation label, then the revision hash.
    const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
    const generation = templateGeneration(ds);
    if (generation !== undefined) labels[DaemonSetTemplateGenerationLabel] = String(generation);
    if (hash) labels[DaemonSetRevisionLabel] = hash;
    let firstError: ApiError | undefined;
    let pos = 0;
    for (let batch = Math.min(createDiff, 1); batch > 0 && pos < createDiff; ) {
      let errors = 0;
      for (let i = pos; i < pos + batch; i++) {
        const spec = cloneJson(template.spec ?? { containers: [] });
        addDaemonPodTolerations(spec);
        replaceNodeNameAffinity(spec, nodesNeeding[i]!);
        const pod: PodObj = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${ds.metadata.name ?? ''}-`,
            namespace: ns,
            labels: { ...labels },
            ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
            ...(template.metadata?.finalizers ? { finalizers: [...template.metadata.finalizers] } : {}),
            ownerReferences: [controllerRef(ds)],
          },
          spec,
        };
        try {
          const created = ctx.store.create(pod, { actor: ControllerName });
          ctx.recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, Source);
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
          exp.add--;
          errors++;
          firstError ??= e;
          ctx.recorder.event(ds, 'Warning', 'FailedCreate', `Error creating: ${e.message}`, Source);
        }
      }
      pos += batch;
      if (errors > 0) {
        // Pods never attempted are not expected; the next sync retries the slow start.
        exp.add -= createDiff - pos;
        break;
      }
      batch = Math.min(2 * batch, createDiff - pos);
    }
    for (let i = 0; i < deleteDiff; i++) {
      const pod = toDelete[i]!;
      try {
        ctx.store.delete('Pod', ns, pod.metadata.name ?? '', { preconditions: { uid: pod.metadata.uid }, actor: ControllerName });
        ctx.recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`, Source);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        exp.del--;
        if (e.reason !== 'NotFound') {
          firstError ??= e;
          ctx.recorder.event(ds, 'Warning', 'FailedDelete', `Error deleting: ${e.message}`, Source);
        }
      }
    }
    if (firstError) throw firstError;
  }

  // ---- rollingUpdate (update.go) ----

  /** findUpdatedPodsOnNode: at most one new and one old live pod per node, else not ok. */
  function findUpdatedPodsOnNode(ds: Stored<DSObj>, list: Pods, hash: string): { ok: boolean; newPod?: Stored<PodObj>; oldPod?: Stored<PodObj> } {
    let newPod: Stored<PodObj> | undefined;
    let oldPod: Stored<PodObj> | undefined;
    for (const p of list) {
      if (p.metadata.deletionTimestamp) continue;
      if (isPodUpdated(p, hash, templateGeneration(ds))) {
        if (newPod) return { ok: false };
        newPod = p;
      } else {
        if (oldPod) return { ok: false };
        oldPod = p;
      }
    }
    return { ok: true, newPod, oldPod };
  }

  function rollingUpdate(ctx: ReconcileContext, key: string, ds: Stored<DSObj>, nodes: Stored<NodeObj>[], byNode: Map<string, Pods>, hash: string): void {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    const now = ctx.now;
    const candidates = new Map<string, Pods>();
    let desired = 0;
    for (const n of nodes) {
      if (!nodeShouldRunDaemonPod(n, ds).shouldRun) continue;
      desired++;
      const name = n.metadata.name ?? '';
      candidates.set(name, byNode.get(name) ?? []);
    }
    for (const [name, list] of byNode) if (!candidates.has(name)) candidates.set(name, list);
    const names = [...candidates.keys()].sort();
    const { maxSurge, maxUnavailable } = updatedDesiredCounts(ds, desired);
    const available = (p: Stored<PodObj>) => isPodAvailable(p, minReady, now, opts.epochMs);
    if (maxSurge === 0) {
      let numUnavailable = 0;
      const allowedReplacement: Pods = [];
      const toDelete: Pods = [];
      for (const nodeName of names) {
        const { ok, newPod, oldPod } = findUpdatedPodsOnNode(ds, candidates.get(nodeName)!, hash);
        if (!ok) {
          numUnavailable++;
          continue;
        }
        if ((!oldPod && !newPod) || (oldPod && newPod)) numUnavailable++;
        else if (newPod) {
          if (!available(newPod)) numUnavailable++;
        } else if (oldPod) {
          if (!available(oldPod)) {
            allowedReplacement.push(oldPod);
            numUnavailable++;
          } else if (numUnavailable < maxUnavailable) toDelete.push(oldPod);
        }
      }
      const remaining = Math.min(Math.max(maxUnavailable - numUnavailable, 0), toDelete.length);
      syncNodes(ctx, key, ds, allowedReplacement.concat(toDelete.slice(0, remaining)), [], hash);
      return;
    }
    const oldToDelete: Pods = [];
    const candidateNew: string[] = [];
    const allowedNew: string[] = [];
    let numSurge = 0;
    for (const nodeName of names) {
      const { ok, newPod, oldPod } = findUpdatedPodsOnNode(ds, candidates.get(nodeName)!, hash);
      if (!ok) {
        numSurge++;
        continue;
      }
      if (!oldPod) continue;
      if (!newPod) {
        if (!available(oldPod)) allowedNew.push(nodeName);
        else if (numSurge < maxSurge) candidateNew.push(nodeName);
        continue;
      }
      if (!available(newPod)) {
        numSurge++;
        continue;
      }
      oldToDelete.push(oldPod);
    }
    const remaining = Math.min(Math.max(maxSurge - numSurge, 0), candidateNew.length);
    syncNodes(ctx, key, ds, oldToDelete, allowedNew.concat(candidateNew.slice(0, remaining)), hash);
  }

  // ---- status ----

  function updateStatus(ctx: ReconcileContext, ds: Stored<DSObj>, nodes: Stored<NodeObj>[], byNode: Map<string, Pods>, hash: string): Time | undefined {
    const minReady = ds.spec?.minReadySeconds ?? 0;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let availableN = 0;
    let updated = 0;
    let nextAvailable: Time | undefined;
    for (const node of nodes) {
      const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
      const list = (byNode.get(node.metadata.name ?? '') ?? []).filter((p) => !(p.metadata.deletionTimestamp && (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')));
      const scheduled = list.length > 0;
      if (!shouldRun) {
        if (scheduled) misscheduled++;
        continue;
      }
      desired++;
      if (!scheduled) continue;
      current++;
      const pod = list.slice().sort(byCreationTimestampAndPhase)[0]!;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReady, ctx.now, opts.epochMs)) availableN++;
        else {
          const d = untilAvailable(pod, minReady, ctx.now, opts.epochMs);
          if (d > 0 && (nextAvailable === undefined || d < nextAvailable)) nextAvailable = d;
        }
      }
      if (isPodUpdated(pod, hash, templateGeneration(ds))) updated++;
    }
    const status = {
      currentNumberScheduled: current,
      numberMisscheduled: misscheduled,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 0,
      updatedNumberScheduled: updated,
      numberAvailable: availableN,
      numberUnavailable: desired - availableN,
    };
    const old = ds.status;
    const same =
      old !== undefined &&
      old.currentNumberScheduled === status.currentNumberScheduled &&
      old.numberMisscheduled === status.numberMisscheduled &&
      old.desiredNumberScheduled === status.desiredNumberScheduled &&
      old.numberReady === status.numberReady &&
      (old.observedGeneration ?? 0) === status.observedGeneration &&
      (old.updatedNumberScheduled ?? 0) === status.updatedNumberScheduled &&
      (old.numberAvailable ?? 0) === status.numberAvailable &&
      (old.numberUnavailable ?? 0) === status.numberUnavailable;
    if (!same) {
      ctx.store.patch<Writable<DSObj>>('DaemonSet', ds.metadata.namespace ?? '', ds.metadata.name ?? '', (d) => {
        const cc = d.status?.collisionCount;
        d.status = { ...status, ...(cc !== undefined ? { collisionCount: cc } : {}) };
      }, { subresource: 'status', actor: ControllerName });
    }
    return nextAvailable;
  }

  return {
    name: ControllerName,
    watches: [
      { kind: 'DaemonSet', toKeys: observeSet },
      { kind: 'Pod', toKeys: observePod },
      { kind: 'ControllerRevision', toKeys: (ev) => revisions.observe(ev) },
      { kind: 'Node', toKeys: observeNode },
    ],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      const [ns, name] = splitKey(key);
      const ds = ctx.lister<DSObj>('DaemonSet').get(ns, name);
      if (!ds) {
        expectations.delete(key);
        return;
      }
      if (ds.metadata.deletionTimestamp) return;
      let selector: Selector;
      try {
        selector = labelSelectorAsSelector(ds.spec?.selector);
      } catch {
        return;
      }
      if (selector.empty) {
        ctx.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.', Source);
        return;
      }
      const uid = ds.metadata.uid ?? '';
      const nodes = ctx.lister<NodeObj>('Node').list();
      const requeue: { after?: Time } = {};
      let next: Time | undefined;
      try {
        const { hash, old } = constructHistory(ctx, ds, sortRevisions(revisions.of(uid).slice()));
        // ClaimPods: adopt matching orphans, release pods that stopped matching.
        const claim = claimObjects([...pods.owned(uid), ...pods.orphansIn(ns, ctx.lister<PodObj>('Pod'))], { store: ctx.store, controller: ds, selector, actor: ControllerName });
        if (claim.errors.length > 0) throw claim.errors[0];
        const owned = claim.claimed;
        let byNode = nodeToDaemonPods(owned);
        if (satisfied(key)) {
          manage(ctx, key, ds, nodes, byNode, hash, requeue);
          if (satisfied(key) && ds.spec?.updateStrategy?.type !== 'OnDelete') rollingUpdate(ctx, key, ds, nodes, byNode, hash);
          cleanupHistory(ctx, ds, owned, old);
        }
        byNode = nodeToDaemonPods(pods.owned(uid).filter((p) => selector.matches(p.metadata.labels ?? {})));
        next = updateStatus(ctx, ds, nodes, byNode, hash);
      } catch (e) {
        if (e instanceof ApiError) return { requeue: true };
        throw e;
      }
      const after = [requeue.after, next].filter((x): x is Time => x !== undefined && x > 0);
      return after.length > 0 ? { requeueAfter: Math.min(...after) } : undefined;
    },
  };
}
