/**
 * Builders for the InterPodAffinity / PodTopologySpread / volume plugin
 * table tests, mirroring kube-scheduler's st.MakePod()/st.MakeNode()
 * wrappers so upstream cases port as data.
 */
import type { Node, Pod, PodAffinityTerm, Taint, TopologySpreadConstraint, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KObject } from '../../../src/sim/types.ts';
import type { Handle, NodeInfo, NodeScore, Plugin, PluginFactory, Result, Status } from '../../../src/scheduler/framework/types.ts';
import { Code } from '../../../src/scheduler/framework/types.ts';
import { NodeInfoImpl } from '../../../src/scheduler/framework/nodeInfo.ts';
import { newPodInfo } from '../../../src/scheduler/framework/podInfo.ts';
import { newCycleState } from '../../../src/scheduler/framework/cycleState.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';

let seq = 0;

export interface PodOpts {
  ns?: string;
  labels?: Record<string, string>;
  node?: string;
  spread?: TopologySpreadConstraint[];
  affinity?: Pod['spec'] extends infer S ? (S extends { affinity?: infer A } ? A : never) : never;
  volumes?: NonNullable<Pod['spec']>['volumes'];
  nodeSelector?: Record<string, string>;
  tolerations?: NonNullable<Pod['spec']>['tolerations'];
  terminating?: boolean;
  uid?: string;
  ownerReferences?: NonNullable<Pod['metadata']>['ownerReferences'];
}

export function pod(name: string, o: PodOpts = {}): Pod & KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      uid: o.uid ?? `uid-${name}-${++seq}`,
      ...(o.labels ? { labels: o.labels } : {}),
      ...(o.terminating ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}),
      ...(o.ownerReferences ? { ownerReferences: o.ownerReferences } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'i' }],
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.spread ? { topologySpreadConstraints: o.spread } : {}),
      ...(o.affinity ? { affinity: o.affinity } : {}),
      ...(o.volumes ? { volumes: o.volumes } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    },
  };
}

export function node(name: string, labels: Record<string, string> = {}, taints?: Taint[], allocatable?: Record<string, string>): Node & KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, labels },
    ...(taints ? { spec: { taints } } : {}),
    status: allocatable ? { allocatable, capacity: allocatable } : {},
  };
}

/** st.MakeLabelSelector().Exists(k) */
export const exists = (...keys: string[]): LabelSelector => ({ matchExpressions: keys.map((key) => ({ key, operator: 'Exists' })) });
/** st.MakeLabelSelector().NotIn(k, vals) */
export const notIn = (key: string, values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: 'NotIn', values }] });
export const inSel = (key: string, values: string[]): LabelSelector => ({ matchExpressions: [{ key, operator: 'In', values }] });

export function spread(
  maxSkew: number,
  topologyKey: string,
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway',
  labelSelector: LabelSelector | undefined,
  extra: Partial<TopologySpreadConstraint> = {},
): TopologySpreadConstraint {
  return { maxSkew, topologyKey, whenUnsatisfiable, ...(labelSelector ? { labelSelector } : {}), ...extra };
}

export function term(topologyKey: string, labelSelector: LabelSelector | undefined, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm {
  return { topologyKey, ...(labelSelector ? { labelSelector } : {}), ...extra };
}

export function weighted(weight: number, t: PodAffinityTerm): WeightedPodAffinityTerm {
  return { weight, podAffinityTerm: t };
}

/** Nodes with pods placed by spec.nodeName (upstream cache.NewSnapshot(pods, nodes)). */
export function nodeInfos(nodes: Node[], pods: Pod[] = []): NodeInfoImpl[] {
  return nodes.map((n) => {
    const ni = new NodeInfoImpl(n);
    for (const p of pods) if (p.spec?.nodeName === n.metadata?.name) ni.addPod(newPodInfo(p));
    return ni;
  });
}

export interface Verdict {
  code: Code;
  reasons: string[];
}

export function verdict(r: Result): Verdict {
  return r ? { code: r.code, reasons: r.reasons } : { code: Code.Success, reasons: [] };
}

export interface Env {
  handle: Handle;
  infos: NodeInfoImpl[];
  plugin: Plugin & Record<string, unknown>;
}

export function env(factory: PluginFactory, args: unknown, nodes: Node[], pods: Pod[] = [], objects: KObject[] = [], extra: Partial<Handle> = {}): Env {
  const infos = nodeInfos(nodes, pods);
  const handle = { ...fakeHandle({ nodes: infos, objects }), ...extra } as Handle;
  const plugin = factory(args, handle) as Plugin & Record<string, unknown>;
  return { handle, infos, plugin };
}

interface FilterLike {
  preFilter(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: readonly NodeInfo[]): { result: unknown; status: Result };
  filter(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: NodeInfo): Result;
}

/** PreFilter then Filter on every node; a PreFilter Skip means every node passes (the framework skips Filter). */
export function runFilter(e: Env, p: Pod): { pre: Verdict; byNode: Record<string, Verdict> } {
  const pl = e.plugin as unknown as FilterLike;
  const state = newCycleState();
  const pi = newPodInfo(p);
  const pre = pl.preFilter(state, pi, e.infos);
  const byNode: Record<string, Verdict> = {};
  for (const ni of e.infos) {
    const name = ni.node.metadata.name!;
    if (pre.status && pre.status.code === Code.Skip) byNode[name] = verdict(null);
    else if (pre.status && !pre.status.isSuccess()) byNode[name] = verdict(pre.status);
    else byNode[name] = verdict(pl.filter(state, pi, ni));
  }
  return { pre: verdict(pre.status), byNode };
}

interface ScoreLike {
  preScore(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: readonly NodeInfo[]): Result;
  score(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, n: NodeInfo): number | Status;
  normalizeScore?(s: ReturnType<typeof newCycleState>, p: ReturnType<typeof newPodInfo>, scores: NodeScore[]): Result;
}

/**
 * PreScore over the candidate nodes (`feasible` names; default all), Score
 * each, NormalizeScore. A PreScore Skip yields 0 for every node (the
 * framework skips the plugin's Score).
 */
export function runScore(e: Env, p: Pod, feasible?: string[]): { raw: NodeScore[]; normalized: NodeScore[]; skipped: boolean } {
  const pl = e.plugin as unknown as ScoreLike;
  const state = newCycleState();
  const pi = newPodInfo(p);
  const cands = feasible ? e.infos.filter((n) => feasible.includes(n.node.metadata.name!)) : e.infos;
  const st = pl.preScore(state, pi, cands);
  if (st && st.code === Code.Skip) {
    const zeros = cands.map((n) => ({ name: n.node.metadata.name!, score: 0 }));
    return { raw: zeros, normalized: zeros.map((z) => ({ ...z })), skipped: true };
  }
  if (st && !st.isSuccess()) throw new Error(`preScore: ${st.message()}`);
  const raw: NodeScore[] = cands.map((n) => {
    const s = pl.score(state, pi, n);
    if (typeof s !== 'number') throw new Error(`score: ${s.message()}`);
    return { name: n.node.metadata.name!, score: s };
  });
  const normalized = raw.map((r) => ({ ...r }));
  if (pl.normalizeScore) {
    const ns = pl.normalizeScore(state, pi, normalized);
    if (ns && !ns.isSuccess()) throw new Error(`normalize: ${ns.message()}`);
  }
  return { raw, normalized, skipped: false };
}

export const scoresOf = (l: NodeScore[]): Record<string, number> => Object.fromEntries(l.map((s) => [s.name, s.score]));
export { Code, newPodInfo, newCycleState };
