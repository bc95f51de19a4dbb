/**
 * One node's resource managers behind the Topology Manager, as the kubelet's
 * container manager wires them (pkg/kubelet/cm/container_manager_linux.go,
 * topologymanager/scope*.go), newest upstream:
 *
 *   hint providers  device manager, CPU manager, memory manager (upstream's
 *                   AddHintProvider order)
 *   scope           container: hints, merge and allocation per container (init
 *                   containers first); pod: one merged hint for the whole pod
 *   admission       a merge the policy does not admit is TopologyAffinityError
 *                   "Resources cannot be allocated with Topology locality"; an
 *                   allocation error with its own type (SMTAlignmentError) keeps
 *                   it; any other is UnexpectedAdmissionError "Allocate failed
 *                   due to <err>, which is unexpected" (admission.GetPodAdmitResult)
 *
 * Built only for nodes with a NUMA layout; without one the managers have no
 * topology to act on and every container uses the shared pool.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { KubeletConfiguration } from '../../api/kubeletConfig.ts';
import type { NumaLayout } from '../../api/numa.ts';
import { Quantity } from '../../api/quantity.ts';
import { isRestartableInitContainer } from '../../api/resources.ts';
import type { BitMask } from './topologymanager/bitmask.ts';
import {
  DefaultMaxAllowableNUMANodes,
  mergeProvidersHints,
  NUMAInfo,
  PolicyNone,
  PolicySingleNumaNode,
  type PolicyOptions,
  type ProviderHints,
  type TopologyHint,
} from './topologymanager/policy.ts';
import { CPUSet } from './cpumanager/cpuset.ts';
import { topologyFromLayout } from './cpumanager/topology.ts';
import { AdmissionError, parseCPUManagerOptions, StaticPolicy } from './cpumanager/policyStatic.ts';
import { MemoryStaticPolicy } from './memorymanager/policyStatic.ts';
import { DeviceManager } from './devicemanager/topologyHints.ts';

export const ErrorTopologyAffinity = 'Resources cannot be allocated with Topology locality';
export const TopologyAffinityErrorType = 'TopologyAffinityError';
export const UnexpectedAdmissionError = 'UnexpectedAdmissionError';

export interface PodAdmitResult {
  admit: boolean;
  reason?: string;
  message?: string;
}

/** What a container got: visible in the pod's ksim.dev/resource-assignment annotation. */
export interface ContainerAssignment {
  /** Exclusive CPUs, or the shared pool ("shared"). */
  cpuset?: string;
  exclusive?: boolean;
  /** The merged Topology Manager hint's NUMA nodes (absent: no preference). */
  numaNodes?: number[];
  memory?: Array<{ type: string; size: string; numaNodes: number[] }>;
  devices?: Record<string, { ids: string[]; numaNodes: number[] }>;
}

export interface PodAssignment {
  topologyManagerPolicy: string;
  topologyManagerScope: string;
  containers: Record<string, ContainerAssignment>;
}

export interface ResourceManagersConfig {
  cpuManagerPolicy: string;
  cpuManagerPolicyOptions?: Record<string, string>;
  reservedSystemCPUs?: string;
  kubeReservedCPU?: string;
  systemReservedCPU?: string;
  memoryManagerPolicy: string;
  reservedMemory?: KubeletConfiguration['reservedMemory'];
  topologyManagerPolicy: string;
  topologyManagerScope: string;
  topologyManagerPolicyOptions?: Record<string, string>;
  featureGates?: Record<string, boolean>;
}

export function resourceManagersConfig(k: KubeletConfiguration): ResourceManagersConfig {
  return {
    cpuManagerPolicy: k.cpuManagerPolicy,
    cpuManagerPolicyOptions: k.cpuManagerPolicyOptions,
    reservedSystemCPUs: k.reservedSystemCPUs,
    kubeReservedCPU: k.kubeReserved?.['cpu'],
    systemReservedCPU: k.systemReserved?.['cpu'],
    memoryManagerPolicy: k.memoryManagerPolicy,
    reservedMemory: k.reservedMemory,
    topologyManagerPolicy: k.topologyManagerPolicy,
    topologyManagerScope: k.topologyManagerScope,
    topologyManagerPolicyOptions: k.topologyManagerPolicyOptions,
    featureGates: k.featureGates,
  };
}

/** Go's strconv.ParseBool. */
export function parseGoBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

/**
 * topologymanager NewPolicyOptions: the options and their values, with
 * upstream's start-up errors (the kubelet does not start with them).
 */
export function topologyPolicyOptions(opts: Record<string, string> | undefined, featureGates: Record<string, boolean> = {}): PolicyOptions {
  const out: PolicyOptions = { preferClosestNUMA: false, maxAllowableNUMANodes: DefaultMaxAllowableNUMANodes };
  for (const name of Object.keys(opts ?? {}).sort()) {
    const value = opts![name]!;
    // prefer-closest-numa-nodes is GA; max-allowable-numa-nodes beta (TopologyManagerPolicyBetaOptions, on by default).
    if (name === 'max-allowable-numa-nodes' && featureGates['TopologyManagerPolicyBetaOptions'] === false) {
      throw new Error(`Topology Manager Policy Beta-level Options not enabled, but option "${name}" provided`);
    }
    if (name === 'prefer-closest-numa-nodes') {
      const b = parseGoBool(value);
      if (b === undefined) throw new Error(`bad value for option "${name}": strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
      out.preferClosestNUMA = b;
    } else if (name === 'max-allowable-numa-nodes') {
      if (!/^[+-]?\d+$/.test(value)) throw new Error(`unable to convert policy option to integer "${name}": strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`);
      const n = Number.parseInt(value, 10);
      if (n < DefaultMaxAllowableNUMANodes) throw new Error(`the minimum value of "${name}" should not be less than ${DefaultMaxAllowableNUMANodes}`);
      out.maxAllowableNUMANodes = n;
    } else throw new Error(`unknown Topology Manager Policy option: "${name}"`);
  }
  return out;
}

/** Whether a configuration needs the managers at all (anything but none/none/None). */
export function managersActive(c: ResourceManagersConfig): boolean {
  return c.cpuManagerPolicy === 'static' || c.memoryManagerPolicy === 'Static' || c.topologyManagerPolicy !== PolicyNone;
}

function admissionResult(err: unknown): PodAdmitResult {
  if (err instanceof AdmissionError) return { admit: false, reason: err.type, message: err.message };
  const text = err instanceof Error ? err.message : String(err);
  return { admit: false, reason: UnexpectedAdmissionError, message: `Allocate failed due to ${text}, which is unexpected` };
}

export class NodeResourceManagers {
  readonly cpu: StaticPolicy | undefined;
  readonly memory: MemoryStaticPolicy | undefined;
  readonly devices: DeviceManager;
  readonly numaInfo: NUMAInfo;
  readonly opts: PolicyOptions;
  /** Set when the kubelet could not start its managers (it would exit upstream): every pod is rejected with it. */
  readonly startupError: string | undefined;
  private readonly assignmentsByPod = new Map<string, PodAssignment>();

  constructor(
    readonly layout: NumaLayout,
    readonly config: ResourceManagersConfig,
  ) {
    const ids = layout.nodes.map((n) => n.id).sort((a, b) => a - b);
    const distances = new Map<number, number[]>();
    for (const n of layout.nodes) distances.set(n.id, n.distances ?? ids.map((j) => (j === n.id ? 10 : 20)));
    this.numaInfo = new NUMAInfo(ids, distances);
    let startupError: string | undefined;
    let opts: PolicyOptions = { preferClosestNUMA: false, maxAllowableNUMANodes: DefaultMaxAllowableNUMANodes };
    try {
      opts = topologyPolicyOptions(config.topologyManagerPolicyOptions, config.featureGates);
    } catch (e) {
      startupError = e instanceof Error ? e.message : String(e);
    }
    this.opts = opts;
    if (startupError === undefined && config.topologyManagerPolicy !== PolicyNone && ids.length > this.opts.maxAllowableNUMANodes) {
      startupError = `unsupported on machines with more than ${this.opts.maxAllowableNUMANodes} NUMA Nodes`;
    }
    let cpu: StaticPolicy | undefined;
    if (config.cpuManagerPolicy === 'static') {
      const topo = topologyFromLayout(layout);
      let options = parseCPUManagerOptions(undefined);
      try {
        options = parseCPUManagerOptions(config.cpuManagerPolicyOptions, config.featureGates);
        // ValidateStaticPolicyOptions (upstream's message, typo included).
        if (options.alignBySocket && config.topologyManagerPolicy === PolicySingleNumaNode) {
          throw new Error(`Topolgy manager ${PolicySingleNumaNode} policy is incompatible with CPUManager align-by-socket policy option`);
        }
        if (options.alignBySocket && topo.numSockets > topo.numNUMANodes) {
          throw new Error('Align by socket is not compatible with hardware where number of sockets are more than number of NUMA');
        }
        const explicit = config.reservedSystemCPUs ? CPUSet.parse(config.reservedSystemCPUs) : undefined;
        const milli = (Quantity.tryParse(config.kubeReservedCPU ?? '0')?.milliValue() ?? 0) + (Quantity.tryParse(config.systemReservedCPU ?? '0')?.milliValue() ?? 0);
        const numReserved = explicit && explicit.size() > 0 ? explicit.size() : Math.ceil(milli / 1000);
        cpu = new StaticPolicy(topo, StaticPolicy.reservedCPUs(topo, options, numReserved, explicit), options);
      } catch (e) {
        startupError ??= e instanceof Error ? e.message : String(e);
      }
    }
    this.cpu = cpu;
    this.memory = config.memoryManagerPolicy === 'Static' ? new MemoryStaticPolicy(layout, config.reservedMemory ?? []) : undefined;
    this.devices = new DeviceManager(layout);
    this.startupError = startupError;
  }

  assignment(uid: string): PodAssignment | undefined {
    return this.assignmentsByPod.get(uid);
  }

  private containerHints(pod: Pod, c: Container): ProviderHints[] {
    return [this.devices.containerHints(pod, c), this.cpu?.containerHints(pod, c), this.memory?.containerHints(pod, c)];
  }

  private podHints(pod: Pod): ProviderHints[] {
    return [this.devices.podHints(pod), this.cpu?.podHints(pod), this.memory?.podHints(pod)];
  }

  /** The resource allocation admit handler (topologymanager Admit + allocateAlignedResources). */
  admit(pod: Pod): PodAdmitResult {
    if (this.startupError !== undefined) return { admit: false, reason: UnexpectedAdmissionError, message: this.startupError };
    const uid = pod.metadata?.uid ?? '';
    const containers: Array<{ c: Container; init: boolean }> = [
      ...(pod.spec?.initContainers ?? []).map((c) => ({ c, init: true })),
      ...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })),
    ];
    const policy = this.config.topologyManagerPolicy;
    const scope = this.config.topologyManagerScope;
    const out: PodAssignment = { topologyManagerPolicy: policy, topologyManagerScope: scope, containers: {} };
    let podHint: TopologyHint | undefined;
    if (policy !== PolicyNone && scope === 'pod') {
      const r = mergeProvidersHints(policy, this.numaInfo, this.opts, this.podHints(pod));
      if (!r.admit) return this.reject(uid, { admit: false, reason: TopologyAffinityErrorType, message: ErrorTopologyAffinity });
      podHint = r.hint;
    }
    for (const { c, init } of containers) {
      let hint: TopologyHint = { numaNodeAffinity: undefined, preferred: true };
      if (policy !== PolicyNone) {
        if (podHint) hint = podHint;
        else {
          const r = mergeProvidersHints(policy, this.numaInfo, this.opts, this.containerHints(pod, c));
          if (!r.admit) return this.reject(uid, { admit: false, reason: TopologyAffinityErrorType, message: ErrorTopologyAffinity });
          hint = r.hint;
        }
      }
      try {
        out.containers[c.name] = this.allocate(pod, c, init, hint.numaNodeAffinity);
      } catch (e) {
        return this.reject(uid, admissionResult(e));
      }
      if (hint.numaNodeAffinity) out.containers[c.name]!.numaNodes = hint.numaNodeAffinity.getBits();
    }
    this.cpu?.finishPod(pod);
    this.devices.finishPod(pod);
    for (const { c, init } of containers) {
      if (!init || isRestartableInitContainer(c)) continue;
      delete out.containers[c.name];
    }
    this.assignmentsByPod.set(uid, out);
    return { admit: true };
  }

  private allocate(pod: Pod, c: Container, init: boolean, affinity: BitMask | undefined): ContainerAssignment {
    const a: ContainerAssignment = {};
    const devs = this.devices.allocate(pod, c, affinity);
    if (devs && devs.size > 0) {
      a.devices = {};
      for (const [r, ids] of devs) a.devices[r] = { ids, numaNodes: this.devices.numaOf(r, ids) };
    }
    if (this.cpu) {
      const cpus = this.cpu.allocate(pod, c, affinity, init);
      a.exclusive = cpus !== undefined;
      a.cpuset = (cpus ?? this.cpu.sharedPool()).toString();
    }
    const mem = this.memory?.allocate(pod, c, affinity);
    if (mem) a.memory = mem.map((b) => ({ type: b.type, size: Quantity.fromValue(BigInt(b.size), 'BinarySI').toString(), numaNodes: b.numaAffinity }));
    return a;
  }

  private reject(uid: string, r: PodAdmitResult): PodAdmitResult {
    this.removePod(uid);
    return r;
  }

  removePod(uid: string): void {
    this.cpu?.removePod(uid);
    this.memory?.removePod(uid);
    this.devices.removePod(uid);
    this.assignmentsByPod.delete(uid);
  }
}
