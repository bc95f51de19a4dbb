/**
 * The CPU Manager (pkg/kubelet/cm/cpumanager: cpu_manager.go, policy_none.go,
 * policy_static.go, policy_options.go), newest upstream. `none` gives every
 * container the shared pool and no hints. `static` gives a container of a
 * Guaranteed pod with an integer cpu request exclusive CPUs, taken from the
 * shared pool minus the reserved CPUs, NUMA-aligned to the Topology Manager's
 * hint first (getAlignedCPUs), then by takeByTopology.
 *
 *   reserved   reservedSystemCPUs, or ceil(kube-reserved + system-reserved cpu)
 *              CPUs chosen by takeByTopology over all CPUs (NewStaticPolicy)
 *   options    full-pcpus-only (GA), distribute-cpus-across-numa and
 *              strict-cpu-reservation (beta: CPUManagerPolicyBetaOptions, on by
 *              default), align-by-socket (alpha: CPUManagerPolicyAlphaOptions,
 *              off by default, so it needs featureGates to be set)
 *
 * Init containers' exclusive CPUs are reusable by the pod's app containers
 * (cpusToReuse), as upstream; restartable (sidecar) init containers keep theirs.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../../api/quantity.ts';
import { computePodQOS } from '../../../api/qos.ts';
import { isRestartableInitContainer } from '../../../api/resources.ts';
import { BitMask, iterateBitMasks } from '../topologymanager/bitmask.ts';
import type { TopologyHint } from '../topologymanager/policy.ts';
import { CPUSet } from './cpuset.ts';
import type { CPUTopology } from './topology.ts';
import { takeByTopologyNUMADistributed, takeByTopologyNUMAPacked } from './cpuAssignment.ts';

export const FullPCPUsOnlyOption = 'full-pcpus-only';
export const DistributeCPUsAcrossNUMAOption = 'distribute-cpus-across-numa';
export const AlignBySocketOption = 'align-by-socket';
/** Options ksim models; every other option upstream knows is accepted with a warning. */
export const ModelledCPUManagerOptions = [FullPCPUsOnlyOption, DistributeCPUsAcrossNUMAOption, AlignBySocketOption, 'strict-cpu-reservation'];

export interface StaticPolicyOptions {
  fullPhysicalCPUsOnly: boolean;
  distributeCPUsAcrossNUMA: boolean;
  alignBySocket: boolean;
  /** strict-cpu-reservation: the reserved CPUs leave the shared pool too. */
  strictCPUReservation?: boolean;
}

/** Options upstream knows that ksim accepts without modelling them (a warning says so). */
export const UnmodelledCPUManagerOptions = ['distribute-cpus-across-cores', 'prefer-align-cpus-by-uncorecache'];
export const StrictCPUReservationOption = 'strict-cpu-reservation';

/**
 * Option maturity (pkg/kubelet/cm/cpumanager/policy_options.go): alpha options need the
 * CPUManagerPolicyAlphaOptions gate (off by default), beta ones CPUManagerPolicyBetaOptions
 * (on by default).
 */
const AlphaOptions = [AlignBySocketOption, 'distribute-cpus-across-cores'];
const BetaOptions = [DistributeCPUsAcrossNUMAOption, StrictCPUReservationOption, 'prefer-align-cpus-by-uncorecache'];
const StableOptions = [FullPCPUsOnlyOption];

/** NewStaticPolicyOptions: unknown or gated-off options and values that are not Go booleans stop the kubelet, with upstream's errors. */
export function parseCPUManagerOptions(opts: Record<string, string> | undefined, featureGates: Record<string, boolean> = {}): StaticPolicyOptions {
  const out: StaticPolicyOptions = { fullPhysicalCPUsOnly: false, distributeCPUsAcrossNUMA: false, alignBySocket: false, strictCPUReservation: false };
  for (const name of Object.keys(opts ?? {}).sort()) {
    const value = opts![name]!;
    if (!AlphaOptions.includes(name) && !BetaOptions.includes(name) && !StableOptions.includes(name)) throw new Error(`unknown CPU Manager Policy option: "${name}"`);
    if (AlphaOptions.includes(name) && featureGates['CPUManagerPolicyAlphaOptions'] !== true) throw new Error(`CPU Manager Policy Alpha-level Options not enabled, but option "${name}" provided`);
    if (BetaOptions.includes(name) && featureGates['CPUManagerPolicyBetaOptions'] === false) throw new Error(`CPU Manager Policy Beta-level Options not enabled, but option "${name}" provided`);
    const b = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value) ? true : ['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value) ? false : undefined;
    if (b === undefined) throw new Error(`bad value for option "${name}": strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`);
    if (name === FullPCPUsOnlyOption) out.fullPhysicalCPUsOnly = b;
    if (name === DistributeCPUsAcrossNUMAOption) out.distributeCPUsAcrossNUMA = b;
    if (name === AlignBySocketOption) out.alignBySocket = b;
    if (name === StrictCPUReservationOption) out.strictCPUReservation = b;
  }
  return out;
}

/** An admission error with its own reason, as upstream's admission.Error (Type()). */
export class AdmissionError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** SMTAlignmentError (policy_static.go). */
export function smtAlignmentError(requested: number, cpusPerCore: number, availablePhysical?: number): AdmissionError {
  const msg =
    availablePhysical === undefined
      ? `SMT Alignment Error: requested ${requested} cpus not multiple cpus per core = ${cpusPerCore}`
      : `SMT Alignment Error: not enough free physical CPUs: available physical CPUs = ${availablePhysical}, requested CPUs = ${requested}, CPUs per core = ${cpusPerCore}`;
  return new AdmissionError('SMTAlignmentError', msg);
}

/** guaranteedCPUs: the exclusive CPUs a container gets, 0 when it runs in the shared pool. */
export function guaranteedCPUs(pod: Pod, container: Container): number {
  if (computePodQOS(pod) !== 'Guaranteed') return 0;
  const raw = container.resources?.requests?.['cpu'];
  if (raw === undefined) return 0;
  const q = Quantity.tryParse(raw);
  if (q === undefined || q.milliValue() % 1000 !== 0) return 0;
  return q.milliValue() / 1000;
}

/** podGuaranteedCPUs: max(largest init container, sum of app containers plus sidecars). */
export function podGuaranteedCPUs(pod: Pod): number {
  let initMax = 0;
  let restartable = 0;
  for (const c of pod.spec?.initContainers ?? []) {
    const n = guaranteedCPUs(pod, c);
    if (isRestartableInitContainer(c)) restartable += n;
    else initMax = Math.max(initMax, n + restartable);
  }
  let app = restartable;
  for (const c of pod.spec?.containers ?? []) app += guaranteedCPUs(pod, c);
  return Math.max(initMax, app);
}

export class StaticPolicy {
  /** The shared pool: every CPU not exclusively assigned (reserved CPUs included). */
  private defaultSet: CPUSet;
  /** pod uid -> container name -> exclusive CPUs. */
  readonly assignments = new Map<string, Map<string, CPUSet>>();
  private readonly reuse = new Map<string, CPUSet>();

  constructor(
    readonly topology: CPUTopology,
    readonly reserved: CPUSet,
    readonly options: StaticPolicyOptions,
  ) {
    this.defaultSet = topology.details.cpus();
  }

  /** NewStaticPolicy's reserved set; throws the kubelet's start-up error when it cannot be chosen. */
  static reservedCPUs(topology: CPUTopology, options: StaticPolicyOptions, numReserved: number, reservedSystemCPUs: CPUSet | undefined): CPUSet {
    if (reservedSystemCPUs && reservedSystemCPUs.size() > 0) return reservedSystemCPUs;
    if (numReserved <= 0) throw new Error('[cpumanager] unable to determine reserved CPU resources for static policy');
    const reserved = takeByTopology(topology, options, topology.details.cpus(), numReserved);
    if (reserved.size() !== numReserved) throw new Error(`[cpumanager] unable to reserve the required amount of CPUs (size of ${reserved} did not equal ${numReserved})`);
    return reserved;
  }

  /** The CPUs shared containers run on: with strict-cpu-reservation, not the reserved ones. */
  sharedPool(): CPUSet {
    return this.options.strictCPUReservation ? this.defaultSet.difference(this.reserved) : this.defaultSet;
  }

  availableCPUs(): CPUSet {
    return this.defaultSet.difference(this.reserved);
  }

  /** GetAvailablePhysicalCPUs: available CPUs whose whole core is available. */
  availablePhysicalCPUs(): CPUSet {
    const avail = this.availableCPUs();
    const out: number[] = [];
    for (const core of this.topology.details.cores()) {
      const cpus = this.topology.details.cpusInCores(core);
      if (cpus.isSubsetOf(avail)) out.push(...cpus.list());
    }
    return CPUSet.of(...out);
  }

  /** GetTopologyHints for one container (container scope). */
  containerHints(pod: Pod, container: Container): Map<string, TopologyHint[] | undefined> | undefined {
    const request = guaranteedCPUs(pod, container);
    if (request === 0) return undefined;
    const uid = pod.metadata?.uid ?? '';
    const assigned = this.assignments.get(uid)?.get(container.name);
    if (assigned) return new Map([['cpu', this.generateCPUTopologyHints(assigned, CPUSet.of(), request)]]);
    return new Map([['cpu', this.generateCPUTopologyHints(this.availableCPUs(), this.reuse.get(uid) ?? CPUSet.of(), request)]]);
  }

  /** GetPodTopologyHints (pod scope). */
  podHints(pod: Pod): Map<string, TopologyHint[] | undefined> | undefined {
    const request = podGuaranteedCPUs(pod);
    if (request === 0) return undefined;
    const uid = pod.metadata?.uid ?? '';
    return new Map([['cpu', this.generateCPUTopologyHints(this.availableCPUs(), this.reuse.get(uid) ?? CPUSet.of(), request)]]);
  }

  /** generateCPUTopologyHints: every NUMA mask with enough available (or reusable) CPUs; preferred = minimal width. */
  generateCPUTopologyHints(available: CPUSet, reusable: CPUSet, request: number): TopologyHint[] {
    const details = this.topology.details;
    const numaNodes = details.numaNodes();
    let minAffinitySize = numaNodes.length;
    const hints: TopologyHint[] = [];
    iterateBitMasks(numaNodes, (mask) => {
      const cpusInMask = details.cpusInNUMANodes(...mask.getBits()).size();
      if (cpusInMask >= request && mask.count() < minAffinitySize) minAffinitySize = mask.count();
      let matching = 0;
      for (const c of reusable.list()) {
        if (!mask.isSet(details.get(c)!.numaNodeID)) return;
        matching++;
      }
      for (const c of available.list()) if (mask.isSet(details.get(c)!.numaNodeID)) matching++;
      if (matching < request) return;
      hints.push({ numaNodeAffinity: mask, preferred: false });
    });
    for (const h of hints) {
      if (this.options.alignBySocket && this.isHintSocketAligned(h, minAffinitySize)) h.preferred = true;
      else if (h.numaNodeAffinity!.count() === minAffinitySize) h.preferred = true;
    }
    return hints;
  }

  /** isHintSocketAligned: a wider hint is still preferred when its NUMA nodes share one socket. */
  private isHintSocketAligned(hint: TopologyHint, minAffinitySize: number): boolean {
    const numaNodesBitMask = hint.numaNodeAffinity!.getBits();
    const numaNodesPerSocket = Math.floor(this.topology.numNUMANodes / Math.max(1, this.topology.numSockets));
    if (numaNodesPerSocket === 0) return false;
    const minSockets = Math.floor((minAffinitySize + numaNodesPerSocket - 1) / numaNodesPerSocket);
    return minSockets === 1 && this.topology.details.socketsInNUMANodes(...numaNodesBitMask).length === 1;
  }

  /** Allocate; returns the container's exclusive CPUs (undefined: the shared pool) or throws AdmissionError/Error. */
  allocate(pod: Pod, container: Container, affinity: BitMask | undefined, isInit: boolean): CPUSet | undefined {
    const numCPUs = guaranteedCPUs(pod, container);
    if (numCPUs === 0) return undefined;
    const uid = pod.metadata?.uid ?? '';
    const existing = this.assignments.get(uid)?.get(container.name);
    if (existing) return existing;
    if (this.options.fullPhysicalCPUsOnly) {
      const perCore = this.topology.cpusPerCore();
      if (numCPUs % perCore !== 0) throw smtAlignmentError(numCPUs, perCore);
      const physical = this.availablePhysicalCPUs().size();
      if (numCPUs > physical) throw smtAlignmentError(numCPUs, perCore, physical);
    }
    const reusable = this.reuse.get(uid) ?? CPUSet.of();
    const allocatable = this.availableCPUs().union(reusable);
    let result = CPUSet.of();
    if (affinity !== undefined) {
      const aligned = this.alignedCPUs(affinity, allocatable);
      const n = Math.min(numCPUs, aligned.size());
      result = result.union(takeByTopology(this.topology, this.options, aligned, n));
    }
    result = result.union(takeByTopology(this.topology, this.options, allocatable.difference(result), numCPUs - result.size()));
    this.defaultSet = this.defaultSet.difference(result);
    let pa = this.assignments.get(uid);
    if (!pa) this.assignments.set(uid, (pa = new Map()));
    pa.set(container.name, result);
    // updateCPUsToReuse: an init container's CPUs may be reused by the containers after it.
    if (isInit && !isRestartableInitContainer(container)) this.reuse.set(uid, reusable.union(result));
    else this.reuse.set(uid, reusable.difference(result));
    return result;
  }

  private alignedCPUs(affinity: BitMask, allocatable: CPUSet): CPUSet {
    let aligned = CPUSet.of();
    const bits = affinity.getBits();
    if (this.options.alignBySocket) {
      for (const s of this.topology.details.socketsInNUMANodes(...bits)) aligned = aligned.union(allocatable.intersection(this.topology.details.cpusInSockets(s)));
    } else {
      for (const n of bits) aligned = aligned.union(allocatable.intersection(this.topology.details.cpusInNUMANodes(n)));
    }
    return aligned;
  }

  /** The pod's containers are gone: their CPUs return to the shared pool. */
  removePod(uid: string): void {
    const pa = this.assignments.get(uid);
    if (pa) for (const cpus of pa.values()) this.defaultSet = this.defaultSet.union(cpus);
    this.assignments.delete(uid);
    this.reuse.delete(uid);
  }

  /**
   * After all of a pod's containers are allocated: its (non-sidecar) init containers have
   * run to completion, so their assignments end and the CPUs no app container reused
   * return to the shared pool.
   */
  finishPod(pod: Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const pa = this.assignments.get(uid);
    this.reuse.delete(uid);
    if (!pa) return;
    let initCPUs = CPUSet.of();
    for (const c of pod.spec?.initContainers ?? []) {
      if (isRestartableInitContainer(c)) continue;
      const cpus = pa.get(c.name);
      if (!cpus) continue;
      initCPUs = initCPUs.union(cpus);
      pa.delete(c.name);
    }
    let used = CPUSet.of();
    for (const cpus of pa.values()) used = used.union(cpus);
    this.defaultSet = this.defaultSet.union(initCPUs.difference(used));
    if (pa.size === 0) this.assignments.delete(uid);
  }
}

/** policy_static.go takeByTopology: NUMA-distributed with the option, packed otherwise. */
export function takeByTopology(topology: CPUTopology, options: StaticPolicyOptions, available: CPUSet, numCPUs: number): CPUSet {
  if (options.distributeCPUsAcrossNUMA) {
    const group = options.fullPhysicalCPUsOnly ? topology.cpusPerCore() : 1;
    return takeByTopologyNUMADistributed(topology, available, numCPUs, group);
  }
  return takeByTopologyNUMAPacked(topology, available, numCPUs);
}
