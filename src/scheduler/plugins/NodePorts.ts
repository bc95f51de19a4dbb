/**
 * NodePorts, following kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/nodeports: the host ports the pod's
 * containers ask for (hostPort > 0) must not conflict with the node's used
 * ports, with HostPortInfo's rules: an unset hostIP means 0.0.0.0, which
 * conflicts with every IP on the same protocol/port; an unset protocol means
 * TCP. PreFilter collects the ports once and skips pods without any.
 */
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1';
import { ActionType, Status } from '../framework/types.ts';
import type {
  ClusterEventWithHint,
  CycleState,
  EnqueueExtensions,
  FilterPlugin,
  HostPortInfo,
  NodeInfo,
  PluginFactory,
  PodInfo,
  PreFilterPlugin,
  PreFilterResult,
  QueueingHint,
  Result,
} from '../framework/types.ts';
import type { Stored } from '../../sim/types.ts';
import { HostPortInfoImpl } from '../framework/hostPorts.ts';
import { StateSlot } from '../framework/cycleState.ts';

export const name = 'NodePorts';

const preFilterStateKey = 'PreFilter' + name;

/** ErrReason */
export const ErrReason = "node(s) didn't have free ports for the requested pod ports";

/** A wanted port with defaults applied once, so Filter does no work per port. */
interface WantPort {
  hostIP: string;
  protocol: string;
  hostPort: number;
}

interface PreFilterState {
  ports: WantPort[];
  clone(): PreFilterState;
}

/** getContainerPorts: ports of the pod's containers that set a host port (v1.31 looks at containers only). */
export function getContainerPorts(pod: Pod): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  }
  return out;
}

function wantPorts(pod: Pod): WantPort[] {
  return getContainerPorts(pod).map((p) => ({ hostIP: p.hostIP ?? '', protocol: p.protocol || 'TCP', hostPort: p.hostPort ?? 0 }));
}

/** fitsPorts: no wanted port conflicts with the node's used ports. */
function fitsPorts(want: readonly WantPort[], used: HostPortInfo): boolean {
  for (let i = 0; i < want.length; i++) {
    const p = want[i]!;
    if (used.conflicts(p.hostIP, p.protocol, p.hostPort)) return false;
  }
  return true;
}

class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = name;
  private readonly preFilterSlot = new StateSlot<PreFilterState>(preFilterStateKey);

  preFilter(state: CycleState, pod: PodInfo): { result: PreFilterResult | null; status: Result } {
    const ports = wantPorts(pod.pod);
    if (ports.length === 0) return { result: null, status: Status.skip() };
    const s: PreFilterState = {
      ports,
      clone() {
        return this;
      },
    };
    state.write(preFilterStateKey, s);
    return { result: null, status: null };
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, _pod: PodInfo, nodeInfo: NodeInfo): Result {
    const s = this.preFilterSlot.read(state);
    if (!s) return Status.error(`reading "${preFilterStateKey}" from cycleState: not found`);
    if (fitsPorts(s.ports, nodeInfo.usedPorts)) return null;
    return Status.unschedulable(ErrReason);
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      // Container ports are immutable, so only deletions can free ports.
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint: isSchedulableAfterPodDeleted },
      // No hint: always requeue (queueing hints are off by default in v1.31, hence the extra update types).
      { event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel } },
    ];
  }
}

/** Queue only when the deleted pod was placed (or nominated) and held a port the pod wants. */
export function isSchedulableAfterPodDeleted(pod: Stored, oldObj: Stored | undefined, newObj: Stored | undefined): QueueingHint {
  const deleted = (oldObj ?? newObj) as Pod | undefined;
  if (!deleted) return 'Queue';
  if (!deleted.spec?.nodeName && !deleted.status?.nominatedNodeName) return 'QueueSkip';
  const used = new HostPortInfoImpl();
  for (const p of getContainerPorts(deleted)) used.add(p.hostIP, p.protocol, p.hostPort ?? 0);
  if (used.size === 0) return 'QueueSkip';
  return fitsPorts(wantPorts(pod as Pod), used) ? 'QueueSkip' : 'Queue';
}

export const factory: PluginFactory = () => new NodePorts();
