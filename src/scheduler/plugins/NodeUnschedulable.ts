/**
 * NodeUnschedulable, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/plugins/nodeunschedulable: a node with
 * spec.unschedulable=true is filtered out unless the pod tolerates the
 * node.kubernetes.io/unschedulable:NoSchedule taint (the taint the node
 * controller pairs with that field). The rejection is unresolvable:
 * preempting pods cannot change it.
 */
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { ActionType, Status } from '../framework/types.ts';
import type {
  ClusterEventWithHint,
  CycleState,
  EnqueueExtensions,
  FilterPlugin,
  NodeInfo,
  PluginFactory,
  PodInfo,
  QueueingHint,
  Result,
} from '../framework/types.ts';
import type { Stored } from '../../sim/types.ts';
import { toleratesTaint } from '../../api/taints.ts';

export const name = 'NodeUnschedulable';

/** ErrReasonUnschedulable */
export const ErrReasonUnschedulable = 'node(s) were unschedulable';

/** v1.TaintNodeUnschedulable with effect NoSchedule. */
const unschedulableTaint: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/** v1helper.TolerationsTolerateTaint(pod tolerations, unschedulable taint). */
export function podToleratesUnschedulable(pod: Pod): boolean {
  const tolerations = pod.spec?.tolerations;
  if (!tolerations) return false;
  for (let i = 0; i < tolerations.length; i++) if (toleratesTaint(tolerations[i]!, unschedulableTaint)) return true;
  return false;
}

class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = name;
  /** Filter/Score read only the pod and this NodeInfo (fast-path memo, framework/nodeMemo.ts). */
  readonly nodeLocal = true;
  readonly podSpecOnly = true;

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result {
    if (!nodeInfo.node.spec?.unschedulable) return null;
    if (podToleratesUnschedulable(pod.pod)) return null;
    return Status.unresolvable(ErrReasonUnschedulable);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // With queueing hints disabled (the default before v1.32) upstream also registers
    // UpdateNodeLabel, because preCheck may hide a Node/Add event (kubernetes#109437).
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel },
        hint: isSchedulableAfterNodeChange,
      },
    ];
  }
}

/** Queue when a node is added schedulable, or goes from unschedulable to schedulable. */
export function isSchedulableAfterNodeChange(_pod: Stored, oldObj: Stored | undefined, newObj: Stored | undefined): QueueingHint {
  const original = oldObj as Node | undefined;
  const modified = newObj as Node | undefined;
  if (!modified) return 'Queue';
  const nowSchedulable = !modified.spec?.unschedulable;
  if (original === undefined) return nowSchedulable ? 'Queue' : 'QueueSkip';
  return original.spec?.unschedulable && nowSchedulable ? 'Queue' : 'QueueSkip';
}

export const factory: PluginFactory = () => new NodeUnschedulable();
