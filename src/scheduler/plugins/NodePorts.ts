/**
 * NodePorts, following kube-scheduler v1.35
 * pkg/scheduler/framework/plugins/nodeports: the host ports the pod's
 * containers ask for (hostPort > 0) must not conflict with the node's used
 * ports, with HostPortInfo's rules: an unset hostIP means 0.0.0.0, which
 * conflicts with every IP on the same protocol/port; an unset protocol means
 * TCP. PreFilter collects the ports once and skips pods without any.
 *
 * Since v1.34 (kubernetes#132040) the wanted ports include those of
 * restartable (sidecar) init containers, which run for the pod's whole life
 * (util.GetHostPorts); before, only regular containers counted. The emulated
 * version selects which.
 */
import type { ContainerPort, Pod } from 'kubernetes-types/core/v1.js';
import { ActionType, Status, PreFilterSkip, PreFilterNone } from '../framework/types.ts';
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
import { HostPortInfoImpl, hostPortsOf } from '../framework/hostPorts.ts';
import { StateSlot, sameState } from '../framework/cycleState.ts';

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

/**
 * The host ports (hostPort > 0) a pod asks for: its containers', plus, with
 * `withSidecars` (v1.34+, util.GetHostPorts), its restartable init containers'.
 * Before v1.34 getContainerPorts looked at regular containers only.
 */
export function getContainerPorts(pod: Pod, withSidecars = true): readonly ContainerPort[] {
  if (withSidecars) return hostPortsOf(pod);
  const out: ContainerPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  }
  return out;
}

function wantPorts(pod: Pod, withSidecars: boolean): WantPort[] {
  return getContainerPorts(pod, withSidecars).map((p) => ({ hostIP: p.hostIP ?? '', protocol: p.protocol || 'TCP', hostPort: p.hostPort ?? 0 }));
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
  /** Filter/Score read only the pod and this NodeInfo (fast-path memo, framework/nodeMemo.ts). */
  readonly nodeLocal = true;
  readonly podSpecOnly = true;
  private readonly preFilterSlot = new StateSlot<PreFilterState>(preFilterStateKey);

  /**
   * @param withSidecars restartable init containers' host ports count (v1.34+).
   * @param queueingHints the SchedulerQueueingHints gate (on since v1.32).
   */
  constructor(
    private readonly withSidecars: boolean,
    private readonly queueingHints: boolean,
  ) {}

  preFilter(state: CycleState, pod: PodInfo): { result: PreFilterResult | null; status: Result } {
    const ports = wantPorts(pod.pod, this.withSidecars);
    if (ports.length === 0) return PreFilterSkip;
    const s: PreFilterState = {
      ports,
      clone: sameState,
    };
    state.write(preFilterStateKey, s);
    return PreFilterNone;
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
      { event: { resource: 'Pod', actionType: ActionType.Delete }, hint: (pod, oldObj, newObj) => isSchedulableAfterPodDeleted(pod, oldObj, newObj, this.withSidecars) },
      // No hint: always requeue. Ports do not depend on a node's labels or
      // taints; upstream adds those update types only with queueing hints off,
      // when preCheck may hide a Node/Add event (kubernetes#109437).
      { event: { resource: 'Node', actionType: this.queueingHints ? ActionType.Add : ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel } },
    ];
  }
}

/** Queue only when the deleted pod was placed (or nominated) and held a port the pod wants. */
export function isSchedulableAfterPodDeleted(pod: Stored, oldObj: Stored | undefined, newObj: Stored | undefined, withSidecars = true): QueueingHint {
  const deleted = (oldObj ?? newObj) as Pod | undefined;
  if (!deleted) return 'Queue';
  if (!deleted.spec?.nodeName && !deleted.status?.nominatedNodeName) return 'QueueSkip';
  const used = new HostPortInfoImpl();
  for (const p of getContainerPorts(deleted, withSidecars)) used.add(p.hostIP, p.protocol, p.hostPort ?? 0);
  if (used.size === 0) return 'QueueSkip';
  return fitsPorts(wantPorts(pod as Pod, withSidecars), used) ? 'QueueSkip' : 'Queue';
}

export const factory: PluginFactory = (_args, handle) =>
  new NodePorts(handle?.featureGates?.atLeast('1.34') ?? true, handle?.featureGates?.enabled('SchedulerQueueingHints') ?? true);
