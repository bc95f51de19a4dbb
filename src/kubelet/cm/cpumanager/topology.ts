/**
 * pkg/kubelet/cm/cpumanager/topology: CPUTopology and CPUDetails (cpu ->
 * core, socket, NUMA node), built here from ksim's NUMA layout
 * (src/api/numa.ts) instead of cAdvisor's MachineInfo.
 *
 * From the layout: each NUMA node's CPUs, in ascending order, form cores of
 * `threadsPerCore` consecutive ids (the last core may be short); a core's id
 * is its lowest CPU id, as upstream's getUniqueCoreID; a NUMA node's socket is
 * its `socket` field, or its own id when absent (one NUMA node per socket).
 */
import type { NumaLayout } from '../../../api/numa.ts';
import { CPUSet } from './cpuset.ts';

export interface CPUInfo {
  numaNodeID: number;
  socketID: number;
  coreID: number;
}

export class CPUDetails {
  constructor(readonly info: ReadonlyMap<number, CPUInfo>) {}

  keepOnly(cpus: CPUSet): CPUDetails {
    const m = new Map<number, CPUInfo>();
    for (const [cpu, i] of this.info) if (cpus.has(cpu)) m.set(cpu, i);
    return new CPUDetails(m);
  }

  get(cpu: number): CPUInfo | undefined {
    return this.info.get(cpu);
  }

  cpus(): CPUSet {
    return CPUSet.fromIterable(this.info.keys());
  }

  numaNodes(): number[] {
    return uniqSorted([...this.info.values()].map((i) => i.numaNodeID));
  }

  sockets(): number[] {
    return uniqSorted([...this.info.values()].map((i) => i.socketID));
  }

  cores(): number[] {
    return uniqSorted([...this.info.values()].map((i) => i.coreID));
  }

  private select(pred: (i: CPUInfo) => boolean): CPUSet {
    const out: number[] = [];
    for (const [cpu, i] of this.info) if (pred(i)) out.push(cpu);
    return CPUSet.of(...out);
  }

  cpusInNUMANodes(...ids: number[]): CPUSet {
    return this.select((i) => ids.includes(i.numaNodeID));
  }

  cpusInSockets(...ids: number[]): CPUSet {
    return this.select((i) => ids.includes(i.socketID));
  }

  cpusInCores(...ids: number[]): CPUSet {
    return this.select((i) => ids.includes(i.coreID));
  }

  socketsInNUMANodes(...ids: number[]): number[] {
    return uniqSorted([...this.info.values()].filter((i) => ids.includes(i.numaNodeID)).map((i) => i.socketID));
  }

  numaNodesInSockets(...ids: number[]): number[] {
    return uniqSorted([...this.info.values()].filter((i) => ids.includes(i.socketID)).map((i) => i.numaNodeID));
  }

  coresInSockets(...ids: number[]): number[] {
    return uniqSorted([...this.info.values()].filter((i) => ids.includes(i.socketID)).map((i) => i.coreID));
  }

  coresInNUMANodes(...ids: number[]): number[] {
    return uniqSorted([...this.info.values()].filter((i) => ids.includes(i.numaNodeID)).map((i) => i.coreID));
  }
}

function uniqSorted(xs: number[]): number[] {
  return [...new Set(xs)].sort((a, b) => a - b);
}

export class CPUTopology {
  readonly numCPUs: number;
  readonly numCores: number;
  readonly numSockets: number;
  readonly numNUMANodes: number;

  constructor(readonly details: CPUDetails) {
    this.numCPUs = details.info.size;
    this.numCores = details.cores().length;
    this.numSockets = details.sockets().length;
    this.numNUMANodes = details.numaNodes().length;
  }

  static fromMap(m: Record<number, [core: number, socket: number, numa: number]>): CPUTopology {
    const info = new Map<number, CPUInfo>();
    for (const [cpu, [coreID, socketID, numaNodeID]] of Object.entries(m)) info.set(Number(cpu), { coreID, socketID, numaNodeID });
    return new CPUTopology(new CPUDetails(info));
  }

  /** CPUsPerCore: 0 on an empty topology, as upstream. */
  cpusPerCore(): number {
    return this.numCores === 0 ? 0 : Math.floor(this.numCPUs / this.numCores);
  }

  cpusPerSocket(): number {
    return this.numSockets === 0 ? 0 : Math.floor(this.numCPUs / this.numSockets);
  }
}

/** The CPU topology a node's NUMA layout describes. */
export function topologyFromLayout(layout: NumaLayout): CPUTopology {
  const tpc = layout.threadsPerCore ?? 1;
  const info = new Map<number, CPUInfo>();
  const nodes = [...layout.nodes].sort((a, b) => a.id - b.id);
  for (const n of nodes) {
    const cpus = [...n.cpus].sort((a, b) => a - b);
    const socketID = n.socket ?? n.id;
    for (let i = 0; i < cpus.length; i += tpc) {
      const core = cpus.slice(i, i + tpc);
      for (const c of core) info.set(c, { numaNodeID: n.id, socketID, coreID: core[0]! });
    }
  }
  return new CPUTopology(new CPUDetails(new Map([...info].sort((a, b) => a[0] - b[0]))));
}
