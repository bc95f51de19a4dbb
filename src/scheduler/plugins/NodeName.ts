/**
 * NodeName, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/plugins/nodename: a pod that names a node in
 * spec.nodeName fits only that node. Filter only (v1.31 has no PreFilter
 * narrowing here); the rejection is unresolvable.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { ActionType, Status } from '../framework/types.ts';
import type { ClusterEventWithHint, CycleState, EnqueueExtensions, FilterPlugin, NodeInfo, PluginFactory, PodInfo, Result } from '../framework/types.ts';

export const name = 'NodeName';

/** ErrReason */
export const ErrReason = "node(s) didn't match the requested node name";

/** upstream Fits */
export function fits(pod: Pod, node: Node): boolean {
  const want = pod.spec?.nodeName;
  return !want || want === node.metadata?.name;
}

class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = name;
  /** Filter/Score read only the pod and this NodeInfo (fast-path memo, framework/nodeMemo.ts). */
  readonly nodeLocal = true;
  readonly podSpecOnly = true;

  filter(_state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result {
    if (fits(pod.pod, nodeInfo.node)) return null;
    return Status.unresolvable(ErrReason);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // No hint: any node add/update requeues, as upstream's registration without a QueueingHintFn.
    return [{ event: { resource: 'Node', actionType: ActionType.Add | ActionType.Update } }];
  }
}

export const factory: PluginFactory = () => new NodeName();
