/**
 * The node lifecycle controller's monitoring and taint marking, following
 * kube-controller-manager v1.31 (pkg/controller/nodelifecycle):
 *  - a node whose kubelet has been silent for nodeMonitorGracePeriod (40s in
 *    v1.31) gets Ready, MemoryPressure, DiskPressure and PIDPressure set to
 *    Unknown, reason NodeStatusUnknown, "Kubelet stopped posting node status.";
 *  - TaintNodesByCondition: NoSchedule taints mirror the conditions
 *    (not-ready, unreachable, memory/disk/pid-pressure, network-unavailable)
 *    and spec.unschedulable (node.kubernetes.io/unschedulable);
 *  - NoExecute taints not-ready / unreachable (with timeAdded) mark nodes
 *    for taint-based eviction.
 *
 * Evicting pods from NoExecute-tainted nodes (the taint eviction controller)
 * belongs to the node-lifecycle issue and is not done here. Heartbeats are
 * implicit (see src/kubelet/kubelet.ts): silence starts when the controller
 * first sees the kubelet stopped, so Unknown comes exactly one grace period
 * later rather than within upstream's 5 s monitor period.
 */
import type { Node, NodeCondition, Taint } from 'kubernetes-types/core/v1';
import type { Controller, KObject, ReconcileContext, ReconcileResult, Stored, Time, Writable } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import { isKubeletStopped } from '../../kubelet/kubelet.ts';

export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';
export const TaintNodeUnschedulable = 'node.kubernetes.io/unschedulable';
export const TaintNodeMemoryPressure = 'node.kubernetes.io/memory-pressure';
export const TaintNodeDiskPressure = 'node.kubernetes.io/disk-pressure';
export const TaintNodePIDPressure = 'node.kubernetes.io/pid-pressure';
export const TaintNodeNetworkUnavailable = 'node.kubernetes.io/network-unavailable';

/** --node-monitor-grace-period default in v1.31. */
export const DefaultNodeMonitorGracePeriod = 40_000;

const MANAGED_NO_SCHEDULE = [
  TaintNodeNotReady,
  TaintNodeUnreachable,
  TaintNodeUnschedulable,
  TaintNodeMemoryPressure,
  TaintNodeDiskPressure,
  TaintNodePIDPressure,
  TaintNodeNetworkUnavailable,
];
const MANAGED_NO_EXECUTE = [TaintNodeNotReady, TaintNodeUnreachable];

type NodeObj = Node & KObject;

function condition(node: Node, type: string): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === type);
}

/** The NoSchedule taint keys a node should carry given its conditions (TaintNodesByCondition). */
export function desiredNoScheduleTaints(node: Node): string[] {
  const keys: string[] = [];
  const ready = condition(node, 'Ready')?.status;
  if (ready === 'False') keys.push(TaintNodeNotReady);
  if (ready === 'Unknown') keys.push(TaintNodeUnreachable);
  if (condition(node, 'MemoryPressure')?.status === 'True') keys.push(TaintNodeMemoryPressure);
  if (condition(node, 'DiskPressure')?.status === 'True') keys.push(TaintNodeDiskPressure);
  if (condition(node, 'PIDPressure')?.status === 'True') keys.push(TaintNodePIDPressure);
  if (condition(node, 'NetworkUnavailable')?.status === 'True') keys.push(TaintNodeNetworkUnavailable);
  if (node.spec?.unschedulable) keys.push(TaintNodeUnschedulable);
  return keys;
}

/** The NoExecute taint key for a not-ready or unreachable node, if any. */
export function desiredNoExecuteTaint(node: Node): string | undefined {
  const ready = condition(node, 'Ready')?.status;
  if (ready === 'False') return TaintNodeNotReady;
  if (ready === 'Unknown') return TaintNodeUnreachable;
  return undefined;
}

function isManaged(t: Taint): boolean {
  return (t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.includes(t.key)) || (t.effect === 'NoExecute' && MANAGED_NO_EXECUTE.includes(t.key));
}

/** The node's taints with the managed ones reconciled; existing taints keep their place and timeAdded. */
export function reconcileTaints(node: Node, time: string): Taint[] {
  const existing = node.spec?.taints ?? [];
  const wanted: Taint[] = desiredNoScheduleTaints(node).map((key) => ({ key, effect: 'NoSchedule' }));
  const noExec = desiredNoExecuteTaint(node);
  if (noExec) wanted.push({ key: noExec, effect: 'NoExecute', timeAdded: time });
  const out = existing.filter((t) => !isManaged(t) || wanted.some((w) => w.key === t.key && w.effect === t.effect));
  for (const w of wanted) {
    if (!out.some((t) => t.key === w.key && t.effect === w.effect)) out.push(w);
  }
  return out;
}

function sameTaints(a: readonly Taint[], b: readonly Taint[]): boolean {
  return a.length === b.length && a.every((t, i) => t.key === b[i]?.key && t.effect === b[i]?.effect && (t.value ?? '') === (b[i]?.value ?? ''));
}

const UNKNOWN_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function createNodeLifecycleController(opts: { nodeMonitorGracePeriod?: Time; timestamp: (t?: Time) => string }): Controller {
  const grace = opts.nodeMonitorGracePeriod ?? DefaultNodeMonitorGracePeriod;
  /** When the controller first saw each node's kubelet silent. */
  const silentSince = new Map<string, Time>();

  function markUnknown(ctx: ReconcileContext, node: Stored<NodeObj>): void {
    const time = opts.timestamp(ctx.now);
    ctx.store.patch<Writable<NodeObj>>(
      'Node',
      '',
      node.metadata.name ?? '',
      (draft) => {
        const status = (draft.status ??= {});
        const conds = (status.conditions ??= []);
        for (const type of UNKNOWN_CONDITIONS) {
          const c = conds.find((x) => x.type === type);
          const next = { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' };
          if (c) {
            if (c.status !== 'Unknown') c.lastTransitionTime = time;
            Object.assign(c, next);
          } else {
            conds.push({ type, ...next, lastTransitionTime: time });
          }
        }
      },
      { subresource: 'status', actor: 'node-lifecycle-controller' },
    );
  }

  return {
    name: 'node-lifecycle-controller',
    watches: [{ kind: 'Node' }],
    reconcile(key: string, ctx: ReconcileContext): ReconcileResult | void {
      const name = key.includes('/') ? key.slice(key.indexOf('/') + 1) : key;
      const node = ctx.lister<NodeObj>('Node').get('', name);
      if (!node) {
        silentSince.delete(name);
        return;
      }
      try {
        if (isKubeletStopped(node)) {
          let since = silentSince.get(name);
          if (since === undefined) silentSince.set(name, (since = ctx.now));
          const due = since + grace;
          if (ctx.now < due) return { requeueAfter: due - ctx.now };
          if (condition(node, 'Ready')?.status !== 'Unknown') {
            markUnknown(ctx, node);
            return; // the status write comes back through the watch and re-runs the taint step
          }
        } else {
          silentSince.delete(name);
        }
        const taints = reconcileTaints(node, opts.timestamp(ctx.now));
        if (!sameTaints(taints, node.spec?.taints ?? [])) {
          ctx.store.patch<NodeObj>(
            'Node',
            '',
            name,
            (draft) => {
              (draft.spec ??= {}).taints = taints;
            },
            { actor: 'node-lifecycle-controller', resourceVersion: node.metadata.resourceVersion },
          );
        }
      } catch (err) {
        // A stale cache loses the optimistic-concurrency race; try again once the watch catches up.
        if (err instanceof ApiError && (err.reason === 'Conflict' || err.reason === 'NotFound')) return { requeue: true };
        throw err;
      }
    },
  };
}
