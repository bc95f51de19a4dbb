/**
 * The Device Manager's NUMA side (pkg/kubelet/cm/devicemanager: topology_hints.go,
 * manager.go devicesToAllocate/filterByAffinity), newest upstream, for extended
 * resources whose devices the node's NUMA layout places per NUMA node (e.g.
 * `devices: {nvidia.com/gpu: 2}`). Devices are named `<resource>-<n>`,
 * numbered in NUMA node order. A resource without per-NUMA devices has no
 * topology: no hints, and the device manager does not track it.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { NumaLayout } from '../../../api/numa.ts';
import { Quantity } from '../../../api/quantity.ts';
import { isRestartableInitContainer } from '../../../api/resources.ts';
import { BitMask, iterateBitMasks } from '../topologymanager/bitmask.ts';
import type { TopologyHint } from '../topologymanager/policy.ts';

interface Device {
  id: string;
  numa: number;
}

export class DeviceManager {
  private readonly devices = new Map<string, Device[]>();
  private readonly allocated = new Map<string, Set<string>>();
  /** pod uid -> container -> resource -> device ids. */
  readonly assignments = new Map<string, Map<string, Map<string, string[]>>>();
  private readonly numaNodes: number[];

  constructor(layout: NumaLayout) {
    this.numaNodes = layout.nodes.map((n) => n.id).sort((a, b) => a - b);
    for (const n of [...layout.nodes].sort((a, b) => a.id - b.id)) {
      for (const [res, count] of Object.entries(n.devices ?? {}).sort()) {
        let list = this.devices.get(res);
        if (!list) this.devices.set(res, (list = []));
        for (let i = 0; i < count; i++) list.push({ id: `${res}-${list.length}`, numa: n.id });
      }
    }
    for (const r of this.devices.keys()) this.allocated.set(r, new Set());
  }

  resources(): string[] {
    return [...this.devices.keys()].sort();
  }

  private requested(c: Container): Map<string, number> {
    const out = new Map<string, number>();
    const req = (c.resources?.requests ?? c.resources?.limits ?? {}) as Record<string, string>;
    for (const r of Object.keys(req).sort()) {
      if (!this.devices.has(r)) continue;
      const n = Quantity.tryParse(req[r]!)?.value() ?? 0;
      if (n > 0) out.set(r, n);
    }
    return out;
  }

  private available(resource: string): Device[] {
    const used = this.allocated.get(resource)!;
    return this.devices.get(resource)!.filter((d) => !used.has(d.id));
  }

  /** generateDeviceTopologyHints. */
  generateDeviceTopologyHints(resource: string, available: readonly Device[], request: number): TopologyHint[] {
    let minAffinitySize = this.numaNodes.length;
    const hints: TopologyHint[] = [];
    const all = this.devices.get(resource) ?? [];
    iterateBitMasks(this.numaNodes, (mask) => {
      const inMask = all.filter((d) => mask.isSet(d.numa)).length;
      if (inMask >= request && mask.count() < minAffinitySize) minAffinitySize = mask.count();
      const matching = available.filter((d) => mask.isSet(d.numa)).length;
      if (matching < request) return;
      hints.push({ numaNodeAffinity: mask, preferred: false });
    });
    for (const h of hints) if (h.numaNodeAffinity!.count() === minAffinitySize) h.preferred = true;
    return hints;
  }

  private hintsFor(req: Map<string, number>): Map<string, TopologyHint[] | undefined> | undefined {
    if (req.size === 0) return undefined;
    const out = new Map<string, TopologyHint[] | undefined>();
    for (const [r, n] of req) {
      const avail = this.available(r);
      out.set(r, avail.length < n ? [] : this.generateDeviceTopologyHints(r, avail, n));
    }
    return out;
  }

  containerHints(_pod: Pod, container: Container): Map<string, TopologyHint[] | undefined> | undefined {
    return this.hintsFor(this.requested(container));
  }

  podHints(pod: Pod): Map<string, TopologyHint[] | undefined> | undefined {
    const req = new Map<string, number>();
    for (const c of pod.spec?.containers ?? []) for (const [k, v] of this.requested(c)) req.set(k, (req.get(k) ?? 0) + v);
    for (const c of pod.spec?.initContainers ?? []) {
      for (const [k, v] of this.requested(c)) req.set(k, isRestartableInitContainer(c) ? (req.get(k) ?? 0) + v : Math.max(req.get(k) ?? 0, v));
    }
    return this.hintsFor(req);
  }

  /** Devices the pod's (non-sidecar) init containers hold: its app containers reuse them (devicesToReuse). */
  private reusable(pod: Pod, resource: string): string[] {
    const pa = this.assignments.get(pod.metadata?.uid ?? '');
    if (!pa) return [];
    const out: string[] = [];
    for (const c of pod.spec?.initContainers ?? []) {
      if (isRestartableInitContainer(c)) continue;
      out.push(...(pa.get(c.name)?.get(resource) ?? []));
    }
    return out;
  }

  /**
   * Allocate (devicesToAllocate): reusable init-container devices first, then
   * available ones on the hint's NUMA nodes, then the rest, lowest id first.
   */
  allocate(pod: Pod, container: Container, affinity: BitMask | undefined): Map<string, string[]> | undefined {
    const req = this.requested(container);
    if (req.size === 0) return undefined;
    const uid = pod.metadata?.uid ?? '';
    const isApp = (pod.spec?.containers ?? []).some((c) => c.name === container.name);
    const out = new Map<string, string[]>();
    for (const [r, n] of req) {
      const reuse = isApp ? this.reusable(pod, r).slice(0, n) : [];
      const needed = n - reuse.length;
      const avail = this.available(r);
      if (avail.length < needed) throw new Error(`requested number of devices unavailable for ${r}. Requested: ${needed}, Available: ${avail.length}`);
      const inAff = affinity ? avail.filter((d) => affinity.isSet(d.numa)) : [];
      const rest = avail.filter((d) => !inAff.includes(d));
      const chosen = [...reuse, ...[...inAff, ...rest].slice(0, needed).map((d) => d.id)];
      for (const id of chosen) this.allocated.get(r)!.add(id);
      out.set(r, chosen);
    }
    let pa = this.assignments.get(uid);
    if (!pa) this.assignments.set(uid, (pa = new Map()));
    pa.set(container.name, out);
    return out;
  }

  /** NUMA nodes of the given device ids. */
  numaOf(resource: string, ids: readonly string[]): number[] {
    const all = this.devices.get(resource) ?? [];
    return [...new Set(ids.map((id) => all.find((d) => d.id === id)?.numa ?? -1))].filter((n) => n >= 0).sort((a, b) => a - b);
  }

  removePod(uid: string): void {
    const pa = this.assignments.get(uid);
    if (!pa) return;
    for (const byRes of pa.values()) for (const [r, ids] of byRes) for (const id of ids) this.allocated.get(r)?.delete(id);
    this.assignments.delete(uid);
  }

  /** After the pod's containers are allocated: its finished init containers' devices not reused go back. */
  finishPod(pod: Pod): void {
    const pa = this.assignments.get(pod.metadata?.uid ?? '');
    if (!pa) return;
    const inUse = new Set<string>();
    for (const c of pod.spec?.containers ?? []) for (const ids of pa.get(c.name)?.values() ?? []) for (const id of ids) inUse.add(id);
    for (const c of pod.spec?.initContainers ?? []) {
      if (isRestartableInitContainer(c)) continue;
      for (const ids of pa.get(c.name)?.values() ?? []) for (const id of ids) if (!inUse.has(id)) for (const set of this.allocated.values()) set.delete(id);
      pa.delete(c.name);
    }
  }
}
