/**
 * SchedulingGates pre-enqueue plugin, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/plugins/schedulinggates/scheduling_gates.go: a pod
 * with non-empty spec.schedulingGates is kept out of the active queue
 * (UnschedulableAndUnresolvable "waiting for scheduling gates: [a b]") until
 * an update removes all gates (UpdatePodSchedulingGatesEliminated, queued only
 * for the updated pod itself).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, Stored } from '../../sim/types.ts';
import {
  ActionType,
  Status,
  type ClusterEventWithHint,
  type EnqueueExtensions,
  type PluginFactory,
  type PreEnqueuePlugin,
  type QueueingHint,
  type Result,
} from '../framework/types.ts';

export const name = 'SchedulingGates';

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = name;
  preEnqueue(pod: Stored<Pod & KObject>): Result {
    const gates = pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return null;
    // Go's %v of a []string: "[a b]".
    return Status.unresolvable(`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`);
  }
  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'Pod', actionType: ActionType.UpdatePodSchedulingGatesEliminated },
        hint: (pod, _old, newObj): QueueingHint => (newObj?.metadata?.uid === pod.metadata?.uid ? 'Queue' : 'QueueSkip'),
      },
    ];
  }
}

export const factory: PluginFactory = () => new SchedulingGates();
