/**
 * Builders for plugin table tests, in the spirit of kube-scheduler's
 * pkg/scheduler/testing wrappers (st.MakePod / st.MakeNode): small objects,
 * NodeInfos with pods placed, and helpers that run a plugin's extension
 * points the way the framework does.
 */
import type { Container, ContainerImage, Node, NodeSpec, Pod, PodSpec } from 'kubernetes-types/core/v1';
import type { CycleState, NodeInfo, NodeScore, Plugin, PodInfo, PreFilterResult, Result, Status } from '../../../src/scheduler/framework/types.ts';
import { NodeInfoImpl } from '../../../src/scheduler/framework/nodeInfo.ts';
import { newPodInfo } from '../../../src/scheduler/framework/podInfo.ts';
import { newCycleState } from '../../../src/scheduler/framework/cycleState.ts';

let uid = 0;

export function makeNode(
  name: string,
  opts: {
    allocatable?: Record<string, string>;
    labels?: Record<string, string>;
    spec?: NodeSpec;
    images?: ContainerImage[];
  } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `node-${name}`, ...(opts.labels ? { labels: opts.labels } : {}) },
    ...(opts.spec ? { spec: opts.spec } : {}),
    status: {
      ...(opts.allocatable ? { capacity: opts.allocatable, allocatable: opts.allocatable } : {}),
      ...(opts.images ? { images: opts.images } : {}),
    },
  };
}

/** A container requesting `requests` (omit for none). */
export function container(requests?: Record<string, string>, extra: Partial<Container> = {}): Container {
  return { name: `c${++uid}`, image: 'busybox', ...(requests ? { resources: { requests } } : {}), ...extra };
}

export function makePod(spec: Partial<PodSpec> = {}, name?: string, labels?: Record<string, string>): Pod {
  const id = ++uid;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: name ?? `pod-${id}`, namespace: 'default', uid: `pod-uid-${id}`, ...(labels ? { labels } : {}) },
    spec: { containers: [], ...spec },
  };
}

/** A pod with one container per request map (upstream's newResourcePod). */
export function resourcePod(...requests: Array<Record<string, string>>): Pod {
  return makePod({ containers: requests.map((r) => container(r)) });
}

export function nodeInfo(node: Node, pods: Pod[] = []): NodeInfoImpl {
  const ni = new NodeInfoImpl(node);
  for (const p of pods) ni.addPod(newPodInfo({ ...p, spec: { ...p.spec!, nodeName: node.metadata!.name } }));
  return ni;
}

/** Nodes with the given pods placed on them by spec.nodeName (upstream cache.NewSnapshot(pods, nodes)). */
export function nodeInfos(nodes: Node[], pods: Pod[] = []): NodeInfoImpl[] {
  return nodes.map((n) => nodeInfo(n, pods.filter((p) => p.spec?.nodeName === n.metadata?.name)));
}

export { newPodInfo, newCycleState };

interface AnyPlugin extends Plugin {
  preFilter?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): { result: PreFilterResult | null; status: Result };
  filter?(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result;
  preScore?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Result;
  score?(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number | Status;
  normalizeScore?(state: CycleState, pod: PodInfo, scores: NodeScore[]): Result;
}

export interface Verdict {
  code: number;
  reasons: string[];
}

function verdict(r: Result): Verdict {
  return r === null ? { code: 0, reasons: [] } : { code: r.code, reasons: r.reasons };
}

/** PreFilter (if any) then Filter, as the framework does; a PreFilter Skip means Filter is not run (success). */
export function runFilter(plugin: Plugin, pod: Pod, ni: NodeInfo): Verdict {
  const p = plugin as AnyPlugin;
  const state = newCycleState();
  const pi = newPodInfo(pod);
  if (p.preFilter) {
    const { status } = p.preFilter(state, pi, [ni]);
    if (status !== null && status.code === 5) return { code: 0, reasons: [] };
    if (status !== null) return verdict(status);
  }
  return verdict(p.filter!(state, pi, ni));
}

/** PreScore (if any), Score for every node, NormalizeScore (if any): the plugin's final scores. */
export function runScore(plugin: Plugin, pod: Pod, nis: NodeInfo[], opts: { normalize?: boolean; preScore?: boolean } = {}): NodeScore[] | { skip: true } {
  const p = plugin as AnyPlugin;
  const state = newCycleState();
  const pi = newPodInfo(pod);
  if (p.preScore && opts.preScore !== false) {
    const st = p.preScore(state, pi, nis);
    if (st !== null && st.code === 5) return { skip: true };
    if (st !== null) throw new Error(`preScore failed: ${st.message()}`);
  }
  const scores: NodeScore[] = nis.map((ni) => {
    const s = p.score!(state, pi, ni);
    if (typeof s !== 'number') throw new Error(`score failed: ${s.message()}`);
    return { name: ni.node.metadata!.name!, score: s };
  });
  if (p.normalizeScore && opts.normalize !== false) p.normalizeScore(state, pi, scores);
  return scores;
}
