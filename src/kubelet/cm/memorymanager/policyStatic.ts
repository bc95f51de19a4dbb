/**
 * The Memory Manager's Static policy (pkg/kubelet/cm/memorymanager/policy_static.go),
 * newest upstream. Containers of Guaranteed pods get memory and hugepages from
 * the NUMA nodes of their Topology Manager hint; several NUMA nodes used
 * together form a group that no other allocation may split (multi-NUMA
 * groups). Per NUMA node: allocatable = the layout's memory (or hugepages)
 * minus `reservedMemory` for that node.
 *
 * Simplifications: no checkpoint/restore; `None` does nothing (the kubelet's
 * default).
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { NumaLayout } from '../../../api/numa.ts';
import type { ReservedMemory } from '../../../api/kubeletConfig.ts';
import { Quantity } from '../../../api/quantity.ts';
import { computePodQOS } from '../../../api/qos.ts';
import { isRestartableInitContainer } from '../../../api/resources.ts';
import { BitMask, iterateBitMasks } from '../topologymanager/bitmask.ts';
import type { TopologyHint } from '../topologymanager/policy.ts';

interface MemoryTable {
  allocatable: number;
  free: number;
}

interface NUMANodeState {
  memoryMap: Map<string, MemoryTable>;
  numberOfAssignments: number;
  /** The NUMA nodes this one is grouped with (itself included). */
  cells: number[];
}

export interface MemoryBlock {
  numaAffinity: number[];
  type: string;
  size: number;
}

const isMemoryResource = (r: string): boolean => r === 'memory' || r.startsWith('hugepages-');

function bytes(v: string | number | undefined): number {
  if (v === undefined) return 0;
  return Quantity.tryParse(v)?.value() ?? 0;
}

/** getRequestedResources: memory and hugepages of a container (requests equal limits in a Guaranteed pod). */
export function requestedMemory(container: Container): Map<string, number> {
  const out = new Map<string, number>();
  const requests = (container.resources?.requests ?? {}) as Record<string, string>;
  for (const k of Object.keys(requests).sort()) if (isMemoryResource(k)) out.set(k, bytes(requests[k]));
  return out;
}

export class MemoryManagerError extends Error {}

export class MemoryStaticPolicy {
  readonly state = new Map<number, NUMANodeState>();
  readonly assignments = new Map<string, Map<string, MemoryBlock[]>>();

  constructor(layout: NumaLayout, reserved: readonly ReservedMemory[] = []) {
    for (const n of [...layout.nodes].sort((a, b) => a.id - b.id)) {
      const memoryMap = new Map<string, MemoryTable>();
      const res = reserved.find((r) => r.numaNode === n.id)?.limits ?? {};
      const add = (type: string, total: number): void => {
        const allocatable = Math.max(0, total - bytes(res[type]));
        memoryMap.set(type, { allocatable, free: allocatable });
      };
      add('memory', bytes(n.memory));
      for (const [k, v] of Object.entries(n.hugepages ?? {}).sort()) add(k, bytes(v));
      this.state.set(n.id, { memoryMap, numberOfAssignments: 0, cells: [n.id] });
    }
  }

  private numaNodes(): number[] {
    return [...this.state.keys()];
  }

  /** calculateHints: every mask with enough allocatable and free memory that does not break a group; preferred = minimal width. */
  calculateHints(requested: Map<string, number>): Map<string, TopologyHint[]> {
    const nodes = this.numaNodes();
    let minAffinitySize = nodes.length;
    const hints = new Map<string, TopologyHint[]>();
    iterateBitMasks(nodes, (mask) => {
      const bits = mask.getBits();
      const single = bits.length === 1;
      const free = new Map<string, number>();
      const alloc = new Map<string, number>();
      for (const id of bits) {
        for (const r of requested.keys()) {
          const t = this.state.get(id)!.memoryMap.get(r);
          free.set(r, (free.get(r) ?? 0) + (t?.free ?? 0));
          alloc.set(r, (alloc.get(r) ?? 0) + (t?.allocatable ?? 0));
        }
      }
      for (const [r, size] of requested) if ((alloc.get(r) ?? 0) < size) return;
      if (mask.count() < minAffinitySize) minAffinitySize = mask.count();
      if (single && this.state.get(bits[0]!)!.cells.length > 1) return;
      for (const id of bits) {
        const s = this.state.get(id)!;
        if (!single && s.numberOfAssignments > 0) {
          if (s.cells.length === 1) return;
          if (!sameGroup(s.cells, bits)) return;
        }
      }
      for (const [r, size] of requested) if ((free.get(r) ?? 0) < size) return;
      for (const r of requested.keys()) {
        let list = hints.get(r);
        if (!list) hints.set(r, (list = []));
        list.push({ numaNodeAffinity: mask, preferred: false });
      }
    });
    for (const list of hints.values()) for (const h of list) h.preferred = h.numaNodeAffinity!.count() === minAffinitySize;
    return hints;
  }

  /** GetTopologyHints: Guaranteed pods only; no NUMA mask can satisfy = an empty list per resource. */
  containerHints(pod: Pod, container: Container): Map<string, TopologyHint[] | undefined> | undefined {
    if (computePodQOS(pod) !== 'Guaranteed') return undefined;
    const req = requestedMemory(container);
    if (req.size === 0) return undefined;
    return this.hintsFor(pod, container.name, req);
  }

  podHints(pod: Pod): Map<string, TopologyHint[] | undefined> | undefined {
    if (computePodQOS(pod) !== 'Guaranteed') return undefined;
    const req = new Map<string, number>();
    const add = (c: Container): void => {
      for (const [k, v] of requestedMemory(c)) req.set(k, (req.get(k) ?? 0) + v);
    };
    for (const c of pod.spec?.containers ?? []) add(c);
    for (const c of pod.spec?.initContainers ?? []) {
      if (isRestartableInitContainer(c)) add(c);
      else for (const [k, v] of requestedMemory(c)) req.set(k, Math.max(req.get(k) ?? 0, v));
    }
    if (req.size === 0) return undefined;
    return this.hintsFor(pod, '', req);
  }

  private hintsFor(pod: Pod, name: string, req: Map<string, number>): Map<string, TopologyHint[] | undefined> {
    const existing = this.assignments.get(pod.metadata?.uid ?? '')?.get(name);
    if (existing && existing.length > 0) {
      const mask = BitMask.of(...existing[0]!.numaAffinity);
      return new Map([...req.keys()].map((r) => [r, [{ numaNodeAffinity: mask, preferred: true }]]));
    }
    const hints = this.calculateHints(req);
    return new Map([...req.keys()].map((r) => [r, hints.get(r) ?? []]));
  }

  /** Allocate: place the container's memory on the hint's NUMA nodes (extending the hint if they cannot hold it). */
  allocate(pod: Pod, container: Container, affinity: BitMask | undefined): MemoryBlock[] | undefined {
    if (computePodQOS(pod) !== 'Guaranteed') return undefined;
    const req = requestedMemory(container);
    if (req.size === 0) return undefined;
    const uid = pod.metadata?.uid ?? '';
    const existing = this.assignments.get(uid)?.get(container.name);
    if (existing) return existing;
    let mask = affinity;
    if (mask === undefined) {
      const hints = this.calculateHints(req);
      const best = findBestHint(hints.get('memory') ?? [...hints.values()][0] ?? []);
      if (!best) throw new MemoryManagerError('[memorymanager] failed to get the default NUMA affinity, no NUMA nodes with enough memory is available');
      mask = best.numaNodeAffinity!;
    }
    if (!this.satisfies(mask, req)) {
      const bits = mask.getBits();
      const hints = this.calculateHints(req);
      const inGroup = (hints.get('memory') ?? [...hints.values()][0] ?? []).filter((h) => bits.every((b) => h.numaNodeAffinity!.isSet(b)));
      const best = findBestHint(inGroup);
      if (!best) throw new MemoryManagerError('[memorymanager] failed to find NUMA nodes to extend the current topology hint');
      mask = best.numaNodeAffinity!;
    }
    const bits = mask.getBits();
    const blocks: MemoryBlock[] = [];
    for (const [type, size] of req) {
      let left = size;
      for (const id of bits) {
        if (left === 0) break;
        const t = this.state.get(id)!.memoryMap.get(type);
        if (!t) continue;
        const take = Math.min(t.free, left);
        t.free -= take;
        left -= take;
      }
      blocks.push({ numaAffinity: bits, type, size });
    }
    for (const id of bits) {
      const s = this.state.get(id)!;
      s.numberOfAssignments++;
      s.cells = bits;
    }
    let pa = this.assignments.get(uid);
    if (!pa) this.assignments.set(uid, (pa = new Map()));
    pa.set(container.name, blocks);
    return blocks;
  }

  private satisfies(mask: BitMask, req: Map<string, number>): boolean {
    for (const [type, size] of req) {
      let free = 0;
      for (const id of mask.getBits()) free += this.state.get(id)?.memoryMap.get(type)?.free ?? 0;
      if (free < size) return false;
    }
    return true;
  }

  removePod(uid: string): void {
    const pa = this.assignments.get(uid);
    if (!pa) return;
    for (const blocks of pa.values()) {
      for (const b of blocks) {
        let left = b.size;
        for (const id of b.numaAffinity) {
          const t = this.state.get(id)?.memoryMap.get(b.type);
          if (!t) continue;
          const give = Math.min(t.allocatable - t.free, left);
          t.free += give;
          left -= give;
        }
      }
      const ids = blocks[0]?.numaAffinity ?? [];
      for (const id of ids) {
        const s = this.state.get(id);
        if (!s) continue;
        s.numberOfAssignments = Math.max(0, s.numberOfAssignments - 1);
        if (s.numberOfAssignments === 0) s.cells = [id];
      }
    }
    this.assignments.delete(uid);
  }
}

function sameGroup(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** findBestHint: preferred over not, then the narrowest. */
export function findBestHint(hints: readonly TopologyHint[]): TopologyHint | undefined {
  let best: TopologyHint | undefined;
  for (const h of hints) {
    if (best === undefined) {
      best = h;
      continue;
    }
    if (h.preferred && !best.preferred) {
      best = h;
      continue;
    }
    if (h.preferred === best.preferred && h.numaNodeAffinity!.isNarrowerThan(best.numaNodeAffinity!)) best = h;
  }
  return best;
}
