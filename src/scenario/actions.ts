/**
 * Carrying out timeline actions at their time, through the API store like
 * any client (actor "timeline", Priority.Timeline so the outside world acts
 * first at an instant). Node actions follow kubectl:
 *   cordon/uncordon  set/clear spec.unschedulable (kubectl cordon; the node
 *                    lifecycle controller adds the unschedulable taint)
 *   drain            kubectl drain --ignore-daemonsets --delete-emptydir-data
 *                    through the Eviction API, retrying refusals (drain.ts)
 *   evict            the Eviction subresource of one pod (src/admission/eviction.ts)
 *   nodeDown/nodeUp  set/remove the ksim.dev/kubelet=stopped annotation, which
 *                    the kubelet stand-in watches (it stops posting status).
 * API errors (the object is gone, a conflict) do not stop the run: they are
 * logged and reported as warnings.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { parseSelector } from '../api/labels.ts';
import { isApiError } from '../sim/errors.ts';
import type { Simulation } from '../sim/simulation.ts';
import { updateScale } from '../sim/scale.ts';
import { Priority, type KObject, type ObjectRef } from '../sim/types.ts';
import { cloneJson, isPlainObject } from './shape.ts';
import type { NodeTarget, TimelineAction } from './types.ts';
import { evictPod } from '../admission/eviction.ts';
import { startDrain } from './drain.ts';

export const ACTOR = 'timeline';
export const KUBELET_STATE_ANNOTATION = 'ksim.dev/kubelet';
export const KUBELET_STOPPED = 'stopped';
/** The annotation the kubelet puts on mirror pods (static pods seen through the API). */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

type Draft = Record<string, unknown>;

function refText(r: ObjectRef): string {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
}

/** Apply an RFC 7386 JSON merge patch to a draft: null deletes, objects merge, the rest replaces. */
export function mergePatch(target: Draft, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else if (isPlainObject(v)) {
      if (!isPlainObject(target[k])) target[k] = {};
      mergePatch(target[k] as Draft, v);
    } else target[k] = cloneJson(v);
  }
}

function spec(d: Draft): Draft {
  if (!isPlainObject(d['spec'])) d['spec'] = {};
  return d['spec'] as Draft;
}

function metadataAnnotations(d: Draft): Record<string, string> {
  const meta = d['metadata'] as Draft;
  if (!isPlainObject(meta['annotations'])) meta['annotations'] = {};
  return meta['annotations'] as Record<string, string>;
}

function resolveNodes(sim: Simulation, target: NodeTarget): string[] {
  if ('names' in target) return target.names;
  const sel = parseSelector(target.selector);
  return sim.store.list('Node').filter((n) => sel.matches(n.metadata.labels ?? {})).map((n) => n.metadata.name!);
}

/** What `kubectl drain --ignore-daemonsets` deletes from a node. */
export function podsToDrain(sim: Simulation, node: string): Pod[] {
  return (sim.store.list('Pod') as unknown as Pod[]).filter((p) => {
    if (p.spec?.nodeName !== node) return false;
    if (p.metadata?.deletionTimestamp) return false;
    if (p.metadata?.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) return false;
    const owner = p.metadata?.ownerReferences?.find((o) => o.controller);
    return owner?.kind !== 'DaemonSet';
  });
}

/** Run one action now. Returns the API errors it met (as messages); a drain reports later failures to `warn`. */
export function runAction(sim: Simulation, a: TimelineAction, warn: (msg: string) => void = () => {}): string[] {
  const errors: string[] = [];
  const opts = { actor: ACTOR };
  const attempt = (what: string, fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (!isApiError(e)) throw e;
      errors.push(`${what}: ${e.message}`);
    }
  };
  let detail: Record<string, unknown>;
  switch (a.type) {
    case 'apply':
      detail = { objects: a.objects.map((o) => refText({ kind: o.object.kind, namespace: o.object.metadata.namespace ?? '', name: o.object.metadata.name ?? '' })) };
      for (const lo of a.objects) attempt(`apply ${lo.object.kind} ${lo.object.metadata.name}`, () => void sim.apply(cloneJson(lo.object), ACTOR));
      break;
    case 'delete':
      detail = { target: refText(a.target), ...(a.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: a.gracePeriodSeconds } : {}) };
      attempt(`delete ${refText(a.target)}`, () =>
        void sim.store.delete(a.target.kind, a.target.namespace, a.target.name, { ...opts, ...(a.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: a.gracePeriodSeconds } : {}) }),
      );
      break;
    case 'scale':
      detail = { target: refText(a.target), replicas: a.replicas };
      // Through the scale subresource (autoscaling/v1 Scale), as kubectl scale.
      attempt(`scale ${refText(a.target)}`, () => void updateScale(sim.store, a.target.kind, a.target.namespace, a.target.name, a.replicas, opts));
      break;
    case 'patch':
      detail = { target: refText(a.target), patch: a.patch };
      attempt(`patch ${refText(a.target)}`, () => void sim.store.patch<KObject>(a.target.kind, a.target.namespace, a.target.name, (d) => mergePatch(d, a.patch), opts));
      break;
    case 'evict':
      detail = { target: refText(a.target) };
      attempt(`evict Pod ${a.target.namespace}/${a.target.name}`, () =>
        void evictPod({ store: sim.store, now: sim.now, timestamp: (t) => sim.timestamp(t) }, a.target.namespace, a.target.name, opts),
      );
      break;
    default: {
      const nodes = resolveNodes(sim, a.nodes);
      detail = { nodes };
      if (a.type === 'drain') {
        startDrain(sim, `spec.timeline[${a.index}] at ${a.atText}`, nodes, a.drain ?? {}, warn);
        break;
      }
      for (const node of nodes) {
        switch (a.type) {
          case 'cordon':
            attempt(`cordon node ${node}`, () => void sim.store.patch<KObject>('Node', '', node, (d) => void (spec(d)['unschedulable'] = true), opts));
            break;
          case 'uncordon':
            // unschedulable is omitempty: false is written as the field's absence.
            attempt(`uncordon node ${node}`, () => void sim.store.patch<KObject>('Node', '', node, (d) => void delete spec(d)['unschedulable'], opts));
            break;
          case 'nodeDown':
            attempt(`stop kubelet on ${node}`, () => void sim.store.patch<KObject>('Node', '', node, (d) => void (metadataAnnotations(d)[KUBELET_STATE_ANNOTATION] = KUBELET_STOPPED), opts));
            break;
          case 'nodeUp':
            attempt(`start kubelet on ${node}`, () =>
              void sim.store.patch<KObject>('Node', '', node, (d) => {
                const ann = (d['metadata'] as Draft)['annotations'];
                if (isPlainObject(ann)) delete ann[KUBELET_STATE_ANNOTATION];
              }, opts),
            );
            break;
        }
      }
    }
  }
  sim.log({ t: sim.now, type: 'action', action: a.type, detail: { ...detail, index: a.index, ...(errors.length ? { errors } : {}) } });
  return errors;
}

/** Schedule every action at its time; API errors become warnings. */
export function scheduleTimeline(sim: Simulation, actions: readonly TimelineAction[], warnings: string[]): void {
  for (const a of actions) {
    sim.engine.at(
      a.at,
      () => {
        const warn = (e: string): void => void warnings.push(`spec.timeline[${a.index}] (${a.type} at ${a.atText}): ${e}`);
        for (const e of runAction(sim, a, warn)) warn(e);
      },
      { priority: Priority.Timeline, source: ACTOR },
    );
  }
}
