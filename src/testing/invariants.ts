/**
 * Invariants as named predicates over a simulation's current state. Each
 * returns the violations it finds (empty when it holds), worded so that a
 * failing property test explains itself. They read only the store, so they
 * hold for any scheduler profile or user plugin under test.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject, StoreReader } from '../sim/types.ts';
import { Quantity } from '../api/quantity.ts';
import { podRequests } from '../api/resources.ts';
import { labelSelectorAsSelector } from '../api/labels.ts';

export interface Invariant {
  name: string;
  /** Violations, each a sentence naming the objects involved; [] when the invariant holds. */
  check(store: StoreReader): string[];
}

type PodObj = Pod & KObject;
type NodeObj = Node & KObject;

/** Pods that occupy node resources: bound and not in a terminal phase. */
function activePodsByNode(store: StoreReader): Map<string, PodObj[]> {
  const byNode = new Map<string, PodObj[]>();
  for (const p of store.list<PodObj>('Pod')) {
    const node = p.spec?.nodeName;
    if (!node || p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
    let list = byNode.get(node);
    if (!list) byNode.set(node, (list = []));
    list.push(p);
  }
  return byNode;
}

/** No node's summed pod requests exceed its allocatable, for any resource, nor its pod count. */
export const noNodeOvercommitted: Invariant = {
  name: 'noNodeOvercommitted',
  check(store) {
    const out: string[] = [];
    const byNode = activePodsByNode(store);
    for (const node of store.list<NodeObj>('Node')) {
      const name = node.metadata.name ?? '';
      const pods = byNode.get(name) ?? [];
      const alloc = node.status?.allocatable ?? {};
      const sums = new Map<string, Quantity>();
      for (const p of pods) {
        for (const [res, q] of podRequests(p)) sums.set(res, (sums.get(res) ?? Quantity.zero()).add(q));
      }
      for (const [res, used] of sums) {
        const cap = alloc[res];
        if (cap === undefined) {
          if (!used.isZero()) out.push(`node ${name}: pods request ${used.toString()} ${res}, which the node does not offer`);
          continue;
        }
        if (used.cmp(Quantity.parse(cap)) > 0) out.push(`node ${name}: pods request ${used.toString()} ${res} > allocatable ${cap}`);
      }
      const maxPods = alloc['pods'];
      if (maxPods !== undefined && pods.length > Quantity.parse(maxPods).value()) out.push(`node ${name}: ${pods.length} pods > allocatable pods ${maxPods}`);
    }
    return out;
  },
};

function sameTopology(a: NodeObj | undefined, b: NodeObj | undefined, key: string): boolean {
  const va = a?.metadata.labels?.[key];
  return va !== undefined && va === b?.metadata.labels?.[key];
}

/** No two pods violate a required pod anti-affinity term of either of them (same namespace terms). */
export const requiredAntiAffinityRespected: Invariant = {
  name: 'requiredAntiAffinityRespected',
  check(store) {
    const out: string[] = [];
    const nodes = new Map(store.list<NodeObj>('Node').map((n) => [n.metadata.name ?? '', n]));
    const bound = [...activePodsByNode(store).values()].flat();
    for (const p of bound) {
      for (const term of p.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const sel = labelSelectorAsSelector(term.labelSelector);
        const namespaces = term.namespaces?.length ? term.namespaces : [p.metadata.namespace ?? 'default'];
        for (const q of bound) {
          if (q === p || !namespaces.includes(q.metadata.namespace ?? 'default') || !sel.matches(q.metadata.labels)) continue;
          if (sameTopology(nodes.get(p.spec?.nodeName ?? ''), nodes.get(q.spec?.nodeName ?? ''), term.topologyKey)) {
            out.push(`pods ${p.metadata.name} and ${q.metadata.name} share ${term.topologyKey}=${nodes.get(p.spec?.nodeName ?? '')?.metadata.labels?.[term.topologyKey]} against ${p.metadata.name}'s required anti-affinity`);
          }
        }
      }
    }
    return out;
  },
};

/**
 * Every DoNotSchedule topology spread constraint holds: over the domains of
 * nodes that match the pod's node selector and carry the topology key, the
 * matching pods' counts differ by at most maxSkew.
 *
 * Upstream enforces the constraint only when the constrained pod is placed,
 * so the final-state form holds only where every pod the selector matches
 * carries the same constraint and node selector, and pods were only added
 * (no preemption or deletion since). Constraints shared less widely are not
 * judged; property tests that use this invariant generate workloads without
 * priorities so that nothing is preempted.
 */
export const topologySpreadRespected: Invariant = {
  name: 'topologySpreadRespected',
  check(store) {
    const out: string[] = [];
    const nodeList = store.list<NodeObj>('Node');
    const bound = [...activePodsByNode(store).values()].flat();
    const nodes = new Map(nodeList.map((n) => [n.metadata.name ?? '', n]));
    for (const p of bound) {
      for (const c of p.spec?.topologySpreadConstraints ?? []) {
        if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
        const sel = labelSelectorAsSelector(c.labelSelector);
        const nodeSelector = p.spec?.nodeSelector ?? {};
        const signature = JSON.stringify([c.topologyKey, c.maxSkew, c.labelSelector, nodeSelector]);
        const sharedByAll = bound.every(
          (q) =>
            q.metadata.namespace !== p.metadata.namespace ||
            !sel.matches(q.metadata.labels) ||
            (q.spec?.topologySpreadConstraints ?? []).some(
              (qc) => qc.whenUnsatisfiable === 'DoNotSchedule' && JSON.stringify([qc.topologyKey, qc.maxSkew, qc.labelSelector, q.spec?.nodeSelector ?? {}]) === signature,
            ),
        );
        if (!sharedByAll) continue;
        const counts = new Map<string, number>();
        for (const n of nodeList) {
          const domain = n.metadata.labels?.[c.topologyKey];
          if (domain === undefined) continue;
          if (!Object.entries(nodeSelector).every(([k, v]) => n.metadata.labels?.[k] === v)) continue;
          if (!counts.has(domain)) counts.set(domain, 0);
        }
        for (const q of bound) {
          if (q.metadata.namespace !== p.metadata.namespace || !sel.matches(q.metadata.labels)) continue;
          const domain = nodes.get(q.spec?.nodeName ?? '')?.metadata.labels?.[c.topologyKey];
          if (domain !== undefined && counts.has(domain)) counts.set(domain, (counts.get(domain) ?? 0) + 1);
        }
        if (counts.size === 0) continue;
        const values = [...counts.values()];
        const skew = Math.max(...values) - Math.min(...values);
        if (skew > c.maxSkew) {
          const detail = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, n]) => `${d}=${n}`).join(', ');
          out.push(`pod ${p.metadata.name}: ${c.topologyKey} skew ${skew} > maxSkew ${c.maxSkew} (${detail})`);
        }
      }
    }
    return out;
  },
};

export const schedulingInvariants: Invariant[] = [noNodeOvercommitted, requiredAntiAffinityRespected, topologySpreadRespected];

/** Run invariants and return "name: violation" lines. */
export function violations(store: StoreReader, invariants: Invariant[] = schedulingInvariants): string[] {
  return invariants.flatMap((inv) => inv.check(store).map((v) => `${inv.name}: ${v}`));
}
