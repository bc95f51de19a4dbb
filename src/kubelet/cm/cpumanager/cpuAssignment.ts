/**
 * pkg/kubelet/cm/cpumanager/cpu_assignment.go: the CPU accumulator and the two
 * allocation algorithms of the static policy, newest upstream:
 *
 *   takeByTopologyNUMAPacked       whole NUMA nodes / sockets (the larger unit
 *                                  first), then whole cores, then single
 *                                  threads; every level ordered by fewest free
 *                                  CPUs first, then id ("best fit").
 *   takeByTopologyNUMADistributed  distribute-cpus-across-numa (KEP-2902): the
 *                                  fewest NUMA nodes that can take an even
 *                                  share in groups of cpuGroupSize, the
 *                                  remainder where it best balances what is
 *                                  left (standard deviation rounded to 1e-3).
 *
 * Not modelled: the distribute-cpus-across-cores sorting strategy and
 * prefer-align-cpus-by-uncorecache (alpha); ksim warns when they are set.
 */
import { CPUSet } from './cpuset.ts';
import type { CPUDetails, CPUTopology } from './topology.ts';

export class CPUAllocationError extends Error {}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return Math.round((s / xs.length) * 1000) / 1000;
}

function standardDeviation(xs: number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.round(Math.sqrt(s / xs.length) * 1000) / 1000;
}

/** Visit every k-subset of n in lexicographic order; return true from f to stop. */
export function iterateCombinations(n: readonly number[], k: number, f: (combo: number[]) => boolean): void {
  if (k < 1) return;
  const helper = (k: number, start: number, accum: number[]): boolean => {
    if (k === 0) return f(accum);
    for (let i = start; i <= n.length - k; i++) if (helper(k - 1, i + 1, [...accum, n[i]!])) return true;
    return false;
  };
  helper(k, 0, []);
}

export class CPUAccumulator {
  details: CPUDetails;
  numCPUsNeeded: number;
  result: CPUSet = CPUSet.of();
  /** NUMA nodes above sockets (or equal): take NUMA nodes first. */
  private readonly numaFirst: boolean;

  constructor(
    readonly topo: CPUTopology,
    availableCPUs: CPUSet,
    numCPUs: number,
  ) {
    this.details = topo.details.keepOnly(availableCPUs);
    this.numCPUsNeeded = numCPUs;
    this.numaFirst = topo.numSockets >= topo.numNUMANodes;
  }

  /** Sort ids by free CPUs in them (ascending), then id. */
  private sortBy(ids: number[], getCPUs: (id: number) => CPUSet): number[] {
    const sizes = new Map(ids.map((id) => [id, getCPUs(id).size()]));
    return ids.sort((a, b) => sizes.get(a)! - sizes.get(b)! || a - b);
  }

  sortAvailableNUMANodes(): number[] {
    if (this.numaFirst) return this.sortBy(this.details.numaNodes(), (id) => this.details.cpusInNUMANodes(id));
    const out: number[] = [];
    for (const socket of this.sortAvailableSockets()) out.push(...this.sortBy(this.details.numaNodesInSockets(socket), (id) => this.details.cpusInNUMANodes(id)));
    return out;
  }

  sortAvailableSockets(): number[] {
    if (!this.numaFirst) return this.sortBy(this.details.sockets(), (id) => this.details.cpusInSockets(id));
    const out: number[] = [];
    for (const numa of this.sortAvailableNUMANodes()) out.push(...this.sortBy(this.details.socketsInNUMANodes(numa), (id) => this.details.cpusInSockets(id)));
    return out;
  }

  sortAvailableCores(): number[] {
    const out: number[] = [];
    if (this.numaFirst) {
      for (const socket of this.sortAvailableSockets()) out.push(...this.sortBy(this.details.coresInSockets(socket), (id) => this.details.cpusInCores(id)));
    } else {
      for (const numa of this.sortAvailableNUMANodes()) out.push(...this.sortBy(this.details.coresInNUMANodes(numa), (id) => this.details.cpusInCores(id)));
    }
    return out;
  }

  sortAvailableCPUs(): number[] {
    const out: number[] = [];
    for (const core of this.sortAvailableCores()) out.push(...this.details.cpusInCores(core).list());
    return out;
  }

  isNUMANodeFree(id: number): boolean {
    return this.details.cpusInNUMANodes(id).size() === this.topo.details.cpusInNUMANodes(id).size();
  }

  isSocketFree(id: number): boolean {
    return this.details.cpusInSockets(id).size() === this.topo.cpusPerSocket();
  }

  isCoreFree(id: number): boolean {
    return this.details.cpusInCores(id).size() === this.topo.cpusPerCore();
  }

  freeNUMANodes(): number[] {
    return this.sortAvailableNUMANodes().filter((n) => this.isNUMANodeFree(n));
  }

  freeSockets(): number[] {
    return this.sortAvailableSockets().filter((s) => this.isSocketFree(s));
  }

  freeCores(): number[] {
    return this.sortAvailableCores().filter((c) => this.isCoreFree(c));
  }

  freeCPUs(): number[] {
    return this.sortAvailableCPUs();
  }

  take(cpus: CPUSet): void {
    this.result = this.result.union(cpus);
    this.details = this.details.keepOnly(this.details.cpus().difference(this.result));
    this.numCPUsNeeded -= cpus.size();
  }

  takeFullNUMANodes(): void {
    for (const numa of this.freeNUMANodes()) {
      const cpus = this.topo.details.cpusInNUMANodes(numa);
      if (this.needsAtLeast(cpus.size())) this.take(cpus);
    }
  }

  takeFullSockets(): void {
    for (const socket of this.freeSockets()) {
      const cpus = this.topo.details.cpusInSockets(socket);
      if (this.needsAtLeast(cpus.size())) this.take(cpus);
    }
  }

  takeFullCores(): void {
    for (const core of this.freeCores()) {
      const cpus = this.topo.details.cpusInCores(core);
      if (this.needsAtLeast(cpus.size())) this.take(cpus);
    }
  }

  takeRemainingCPUs(): void {
    for (const cpu of this.sortAvailableCPUs()) {
      this.take(CPUSet.of(cpu));
      if (this.isSatisfied()) return;
    }
  }

  takeFullFirstLevel(): void {
    if (this.numaFirst) this.takeFullNUMANodes();
    else this.takeFullSockets();
  }

  takeFullSecondLevel(): void {
    if (this.numaFirst) this.takeFullSockets();
    else this.takeFullNUMANodes();
  }

  rangeNUMANodesNeededToSatisfy(cpuGroupSize: number): [number, number] {
    const numNUMANodes = this.topo.details.numaNodes().length;
    const numNUMANodesAvailable = this.details.numaNodes().length;
    const numCPUs = this.topo.details.cpus().size();
    const numCPUGroups = Math.floor((numCPUs - 1) / cpuGroupSize) + 1;
    const numCPUGroupsPerNUMANode = Math.floor((numCPUGroups - 1) / numNUMANodes) + 1;
    const numCPUGroupsNeeded = Math.floor((this.numCPUsNeeded - 1) / cpuGroupSize) + 1;
    const minNumNUMAs = Math.floor((numCPUGroupsNeeded - 1) / numCPUGroupsPerNUMANode) + 1;
    const maxNumNUMAs = Math.min(numCPUGroupsNeeded, numNUMANodesAvailable);
    return [minNumNUMAs, maxNumNUMAs];
  }

  needsAtLeast(n: number): boolean {
    return this.numCPUsNeeded >= n;
  }

  isSatisfied(): boolean {
    return this.numCPUsNeeded < 1;
  }

  isFailed(): boolean {
    return this.numCPUsNeeded > this.details.cpus().size();
  }
}

function notEnough(numCPUs: number, available: CPUSet): CPUAllocationError {
  return new CPUAllocationError(`not enough cpus available to satisfy request: requested=${numCPUs}, available=${available.size()}`);
}

export function takeByTopologyNUMAPacked(topo: CPUTopology, availableCPUs: CPUSet, numCPUs: number): CPUSet {
  const acc = new CPUAccumulator(topo, availableCPUs, numCPUs);
  if (acc.isSatisfied()) return acc.result;
  if (acc.isFailed()) throw notEnough(numCPUs, availableCPUs);
  acc.takeFullFirstLevel();
  if (acc.isSatisfied()) return acc.result;
  acc.takeFullSecondLevel();
  if (acc.isSatisfied()) return acc.result;
  acc.takeFullCores();
  if (acc.isSatisfied()) return acc.result;
  acc.takeRemainingCPUs();
  if (acc.isSatisfied()) return acc.result;
  throw new CPUAllocationError('failed to allocate cpus');
}

export function takeByTopologyNUMADistributed(topo: CPUTopology, availableCPUs: CPUSet, numCPUs: number, cpuGroupSize: number): CPUSet {
  if (numCPUs % cpuGroupSize !== 0) return takeByTopologyNUMAPacked(topo, availableCPUs, numCPUs);
  const acc = new CPUAccumulator(topo, availableCPUs, numCPUs);
  if (acc.isSatisfied()) return acc.result;
  if (acc.isFailed()) throw notEnough(numCPUs, availableCPUs);
  const numas = acc.sortAvailableNUMANodes();
  const [minNUMAs, maxNUMAs] = acc.rangeNUMANodesNeededToSatisfy(cpuGroupSize);
  for (let k = minNUMAs; k <= maxNUMAs; k++) {
    let bestBalance = Number.MAX_VALUE;
    let bestRemainder: number[] | undefined;
    let bestCombo: number[] | undefined;
    iterateCombinations(numas, k, (combo) => {
      if (bestBalance === 0) return true;
      if (acc.details.cpusInNUMANodes(...combo).size() < numCPUs) return false;
      let groups = 0;
      for (const numa of combo) groups += Math.floor(acc.details.cpusInNUMANodes(numa).size() / cpuGroupSize);
      if (groups * cpuGroupSize < numCPUs) return false;
      const distribution = Math.floor(numCPUs / combo.length / cpuGroupSize) * cpuGroupSize;
      for (const numa of combo) if (acc.details.cpusInNUMANodes(numa).size() < distribution) return false;
      const after = new Map<number, number>();
      for (const numa of numas) after.set(numa, acc.details.cpusInNUMANodes(numa).size());
      for (const numa of combo) after.set(numa, after.get(numa)! - distribution);
      const remainder = numCPUs - distribution * combo.length;
      const remainderCombo = combo.filter((numa) => after.get(numa)! >= cpuGroupSize);
      let bestLocalBalance = Number.MAX_VALUE;
      let bestLocalRemainder: number[] | undefined;
      if (remainder === 0) {
        bestLocalBalance = standardDeviation([...after.values()]);
        bestLocalRemainder = undefined;
      }
      for (let j = remainderCombo.length; remainder > 0 && j >= 1; j--) {
        iterateCombinations(remainderCombo, j, (subset) => {
          let left = remainder;
          const local = new Map(after);
          let total = 0;
          for (const numa of subset) total += local.get(numa)!;
          if (total < left) return false;
          while (left > 0) {
            const before = left;
            for (const numa of subset) {
              if (left === 0) break;
              if (local.get(numa)! < cpuGroupSize) continue;
              local.set(numa, local.get(numa)! - cpuGroupSize);
              left -= cpuGroupSize;
            }
            // A subset whose nodes hold less than a group each can never place it (upstream would spin).
            if (left === before) return false;
          }
          const balance = standardDeviation([...local.values()]);
          if (balance < bestLocalBalance) {
            bestLocalBalance = balance;
            bestLocalRemainder = subset;
          }
          return false;
        });
      }
      if (bestLocalBalance < bestBalance) {
        bestBalance = bestLocalBalance;
        bestRemainder = bestLocalRemainder;
        bestCombo = combo;
      }
      return false;
    });
    if (bestCombo === undefined) continue;
    const distribution = Math.floor(numCPUs / bestCombo.length / cpuGroupSize) * cpuGroupSize;
    for (const numa of bestCombo) acc.take(takeByTopologyNUMAPacked(acc.topo, acc.details.cpusInNUMANodes(numa), distribution));
    let remainder = numCPUs - distribution * bestCombo.length;
    while (remainder > 0) {
      for (const numa of bestRemainder ?? []) {
        if (remainder === 0) break;
        if (acc.details.cpusInNUMANodes(numa).size() < cpuGroupSize) continue;
        acc.take(takeByTopologyNUMAPacked(acc.topo, acc.details.cpusInNUMANodes(numa), cpuGroupSize));
        remainder -= cpuGroupSize;
      }
      // Upstream loops until the remainder is placed; an empty remainder set cannot place it.
      if ((bestRemainder ?? []).length === 0) break;
    }
    if (acc.numCPUsNeeded > 0) throw new CPUAllocationError(`accounting error, not enough CPUs allocated, remaining: ${acc.numCPUsNeeded}`);
    if (acc.numCPUsNeeded < 0) throw new CPUAllocationError(`accounting error, too many CPUs allocated, remaining: ${acc.numCPUsNeeded}`);
    return acc.result;
  }
  return takeByTopologyNUMAPacked(topo, availableCPUs, numCPUs);
}
