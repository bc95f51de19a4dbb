/**
 * PodTopologySpread, ported from kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/podtopologyspread/{filtering,scoring,plugin}_test.go
 * (case names cited), plus fast-check properties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../src/sim/types.ts';
import {
  factory,
  name,
  ErrReasonConstraintsNotMatch,
  ErrReasonNodeLabelNotMatch,
  PreFilterState,
  CriticalPaths,
} from '../../../src/scheduler/plugins/PodTopologySpread.ts';
import { podTopologySpreadArgs } from '../../../src/scheduler/plugins/podtopologyspread/args.ts';
import { FieldErrorList } from '../../../src/api/errors.ts';
import { Code, env, exists, newCycleState, newPodInfo, node, nodeInfos, pod, runFilter, runScore, scoresOf, spread } from './h8util.ts';

const HOST = 'kubernetes.io/hostname';
const zoneNodes = (): Node[] => [
  node('node-a', { zone: 'zone1', node: 'node-a' }),
  node('node-b', { zone: 'zone1', node: 'node-b' }),
  node('node-x', { zone: 'zone2', node: 'node-x' }),
  node('node-y', { zone: 'zone2', node: 'node-y' }),
];
const foo = (n: string, nodeName: string, extra: Parameters<typeof pod>[1] = {}): Pod & KObject => pod(n, { labels: { foo: '' }, node: nodeName, ...extra });

const S = Code.Success;
const U = Code.Unschedulable;
const UU = Code.UnschedulableAndUnresolvable;

describe('PodTopologySpread filter (upstream TestSingleConstraint / TestMultipleConstraints)', () => {
  const cases: Array<{ name: string; pod: Pod; nodes: Node[]; existing: Pod[]; want: Record<string, Code> }> = [
    {
      name: 'no existing pods',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [],
      want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
    },
    {
      name: "no existing pods, incoming pod doesn't match itself",
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('bar'))] }),
      nodes: zoneNodes(),
      existing: [],
      want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
    },
    {
      name: 'existing pods in a different namespace do not count',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [foo('p-a1', 'node-a', { ns: 'ns1' }), foo('p-b1', 'node-a', { ns: 'ns2' }), foo('p-x1', 'node-x'), foo('p-y1', 'node-y')],
      want: { 'node-a': S, 'node-b': S, 'node-x': U, 'node-y': U },
    },
    {
      name: 'pods spread across zones as 3/3, all nodes fit',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-y1', 'node-y'), foo('p-y2', 'node-y'), foo('p-y3', 'node-y')],
      want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': S },
    },
    {
      name: "pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }),
      nodes: [
        node('node-a', { zone: 'zone1', node: 'node-a' }),
        node('node-b', { zon: 'zone1', node: 'node-b' }),
        node('node-x', { zone: 'zone2', node: 'node-x' }),
        node('node-y', { zone: 'zone2', node: 'node-y' }),
      ],
      existing: [foo('p-a1', 'node-a'), foo('p-b1', 'node-b'), foo('p-x1', 'node-x'), foo('p-y1', 'node-y')],
      want: { 'node-a': S, 'node-b': UU, 'node-x': U, 'node-y': U },
    },
    {
      name: "pod cannot be scheduled as all nodes don't have label 'rack'",
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'rack', 'DoNotSchedule', exists('foo'))] }),
      nodes: [node('node-a', { zone: 'zone1', node: 'node-a' }), node('node-x', { zone: 'zone2', node: 'node-x' })],
      existing: [],
      want: { 'node-a': UU, 'node-x': UU },
    },
    {
      name: 'pods spread across nodes as 2/1/0/3, only node-x fits',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-y1', 'node-y'), foo('p-y2', 'node-y'), foo('p-y3', 'node-y')],
      want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
    },
    {
      name: 'pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(2, 'node', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-y1', 'node-y'), foo('p-y2', 'node-y'), foo('p-y3', 'node-y')],
      want: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U },
    },
    {
      name: "pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
      pod: pod('p', { labels: { bar: '' }, spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-y1', 'node-y'), foo('p-y2', 'node-y'), foo('p-y3', 'node-y')],
      want: { 'node-a': U, 'node-b': S, 'node-x': S, 'node-y': U },
    },
    {
      name: 'incoming pod has nodeAffinity, pods spread as 2/~1~/~0~/3, hence node-a fits',
      pod: pod('p', {
        labels: { foo: '' },
        spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'))],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'node', operator: 'In', values: ['node-a', 'node-y'] }] }] },
          },
        },
      }),
      nodes: zoneNodes(),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-y1', 'node-y'), foo('p-y2', 'node-y'), foo('p-y3', 'node-y')],
      // node-b and node-x pass here because NodeAffinity's filter is not run in this unit test.
      want: { 'node-a': S, 'node-b': S, 'node-x': S, 'node-y': U },
    },
    {
      name: 'terminating Pods should be excluded',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'node', 'DoNotSchedule', exists('foo'))] }),
      nodes: [node('node-a', { node: 'node-a' }), node('node-b', { node: 'node-b' })],
      existing: [foo('p-a', 'node-a', { terminating: true }), foo('p-b', 'node-b')],
      want: { 'node-a': S, 'node-b': U },
    },
    {
      // TestMultipleConstraints: intersection of a zone and a node constraint.
      name: 'two Constraints on zone and node, spreads = [3/3, 2/1/0/3]',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo')), spread(1, 'node', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-y1', 'node-y'), foo('p-y2', 'node-y'), foo('p-y3', 'node-y')],
      want: { 'node-a': U, 'node-b': U, 'node-x': S, 'node-y': U },
    },
    {
      name: 'two Constraints on zone and node, spreads = [3/4, 2/1/0/4]',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo')), spread(1, 'node', 'DoNotSchedule', exists('foo'))] }),
      nodes: zoneNodes(),
      existing: [
        foo('p-a1', 'node-a'),
        foo('p-a2', 'node-a'),
        foo('p-b1', 'node-b'),
        foo('p-y1', 'node-y'),
        foo('p-y2', 'node-y'),
        foo('p-y3', 'node-y'),
        foo('p-y4', 'node-y'),
      ],
      // zone: only zone1 fits; node: only node-x fits; intersection empty.
      want: { 'node-a': U, 'node-b': U, 'node-x': U, 'node-y': U },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = env(factory, undefined, c.nodes, c.existing);
      const { byNode } = runFilter(e, c.pod);
      const codes = Object.fromEntries(Object.entries(byNode).map(([k, v]) => [k, v.code]));
      expect(codes).toEqual(c.want);
      for (const v of Object.values(byNode)) {
        if (v.code === U) expect(v.reasons).toEqual([ErrReasonConstraintsNotMatch]);
        if (v.code === UU) expect(v.reasons).toEqual([ErrReasonNodeLabelNotMatch]);
      }
    });
  }

  it('reason strings are upstream ErrReasonConstraintsNotMatch / ErrReasonNodeLabelNotMatch', () => {
    expect(ErrReasonConstraintsNotMatch).toBe("node(s) didn't match pod topology spread constraints");
    expect(ErrReasonNodeLabelNotMatch).toBe("node(s) didn't match pod topology spread constraints (missing required label)");
  });

  it('a pod without hard constraints is skipped at PreFilter', () => {
    const e = env(factory, undefined, zoneNodes());
    const { pre } = runFilter(e, pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'ScheduleAnyway', exists('foo'))] }));
    expect(pre.code).toBe(Code.Skip);
  });

  it('Filter without PreFilter state is an error (upstream getPreFilterState)', () => {
    const e = env(factory, undefined, zoneNodes());
    const st = (e.plugin as unknown as { filter: Function }).filter(newCycleState(), newPodInfo(pod('p')), e.infos[0]);
    expect(st.code).toBe(Code.Error);
    expect(st.reasons[0]).toBe('reading "PreFilterPodTopologySpread" from cycleState: not found');
  });
});

describe('PodTopologySpread PreFilter state (upstream TestPreFilterState)', () => {
  function state(p: Pod, nodes: Node[], existing: Pod[]): PreFilterState {
    const e = env(factory, undefined, nodes, existing);
    const cs = newCycleState();
    (e.plugin as unknown as { preFilter: Function }).preFilter(cs, newPodInfo(p), e.infos);
    return cs.read<PreFilterState>('PreFilter' + name)!;
  }
  const five = [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-y1', 'node-y'), foo('p-y2', 'node-y')];

  it('clean cluster with one spreadConstraint', () => {
    const s = state(pod('p', { labels: { foo: '' }, spread: [spread(5, 'zone', 'DoNotSchedule', { matchLabels: { foo: 'bar' } })] }), zoneNodes(), []);
    expect(Object.fromEntries(s.tpValueToMatchNum[0]!)).toEqual({ zone1: 0, zone2: 0 });
    expect(s.criticalPaths[0]!.n0).toBe(0);
    expect(s.constraints[0]).toMatchObject({ maxSkew: 5, topologyKey: 'zone', minDomains: 1, nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' });
  });
  it('normal case with one spreadConstraint', () => {
    const s = state(pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }), zoneNodes(), five);
    expect(Object.fromEntries(s.tpValueToMatchNum[0]!)).toEqual({ zone1: 3, zone2: 2 });
    expect([s.criticalPaths[0]!.v0, s.criticalPaths[0]!.n0, s.criticalPaths[0]!.v1, s.criticalPaths[0]!.n1]).toEqual(['zone2', 2, 'zone1', 3]);
  });
  it('normal case with null label selector', () => {
    const s = state(pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', undefined)] }), zoneNodes(), five);
    expect(Object.fromEntries(s.tpValueToMatchNum[0]!)).toEqual({ zone1: 0, zone2: 0 });
  });
  it('normal case with one spreadConstraint, on a 3-zone cluster', () => {
    const nodes = [...zoneNodes(), node('node-o', { zone: 'zone3', node: 'node-o' }), node('node-p', { zone: 'zone3', node: 'node-p' })];
    const s = state(pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }), nodes, five);
    expect(Object.fromEntries(s.tpValueToMatchNum[0]!)).toEqual({ zone1: 3, zone2: 2, zone3: 0 });
    expect([s.criticalPaths[0]!.v0, s.criticalPaths[0]!.n0, s.criticalPaths[0]!.v1, s.criticalPaths[0]!.n1]).toEqual(['zone3', 0, 'zone2', 2]);
  });
  it("namespace mismatch doesn't count", () => {
    const existing = [foo('p-a1', 'node-a'), foo('p-a2', 'node-a', { ns: 'ns1' }), foo('p-b1', 'node-b'), foo('p-y1', 'node-y', { ns: 'ns2' }), foo('p-y2', 'node-y')];
    const s = state(pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }), zoneNodes(), existing);
    expect(Object.fromEntries(s.tpValueToMatchNum[0]!)).toEqual({ zone1: 2, zone2: 1 });
  });
  it('normal case with two spreadConstraints', () => {
    const existing = [...five, foo('p-y3', 'node-y'), foo('p-y4', 'node-y')];
    const s = state(
      pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo')), spread(1, 'node', 'DoNotSchedule', exists('foo'))] }),
      zoneNodes(),
      existing,
    );
    expect(Object.fromEntries(s.tpValueToMatchNum[0]!)).toEqual({ zone1: 3, zone2: 4 });
    expect(Object.fromEntries(s.tpValueToMatchNum[1]!)).toEqual({ 'node-a': 2, 'node-b': 1, 'node-x': 0, 'node-y': 4 });
    expect([s.criticalPaths[1]!.v0, s.criticalPaths[1]!.n0, s.criticalPaths[1]!.v1, s.criticalPaths[1]!.n1]).toEqual(['node-x', 0, 'node-b', 1]);
  });
  it('NodeAffinityPolicy Honor (default) drops nodes the pod cannot go to; Ignore keeps them', () => {
    const base = { labels: { foo: '' }, nodeSelector: { zone: 'zone1' } };
    const honor = state(pod('p', { ...base, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }), zoneNodes(), five);
    expect(Object.fromEntries(honor.tpValueToMatchNum[0]!)).toEqual({ zone1: 3 });
    const ignore = state(pod('p', { ...base, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'), { nodeAffinityPolicy: 'Ignore' })] }), zoneNodes(), five);
    expect(Object.fromEntries(ignore.tpValueToMatchNum[0]!)).toEqual({ zone1: 3, zone2: 2 });
  });
  it('NodeTaintsPolicy Honor drops tainted nodes the pod does not tolerate; Ignore (default) keeps them', () => {
    const nodes = zoneNodes();
    nodes[2] = node('node-x', { zone: 'zone2', node: 'node-x' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    nodes[3] = node('node-y', { zone: 'zone2', node: 'node-y' }, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
    const honor = state(pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'), { nodeTaintsPolicy: 'Honor' })] }), nodes, five);
    expect(Object.fromEntries(honor.tpValueToMatchNum[0]!)).toEqual({ zone1: 3 });
    const ignore = state(pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }), nodes, five);
    expect(Object.fromEntries(ignore.tpValueToMatchNum[0]!)).toEqual({ zone1: 3, zone2: 2 });
    const tolerated = state(
      pod('p', {
        labels: { foo: '' },
        tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
        spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'), { nodeTaintsPolicy: 'Honor' })],
      }),
      nodes,
      five,
    );
    expect(Object.fromEntries(tolerated.tpValueToMatchNum[0]!)).toEqual({ zone1: 3, zone2: 2 });
  });
  it('matchLabelKeys are merged into the selector with the pod label values', () => {
    const existing = [
      pod('a1', { node: 'node-a', labels: { foo: '', rev: '1' } }),
      pod('a2', { node: 'node-a', labels: { foo: '', rev: '2' } }),
      pod('x1', { node: 'node-x', labels: { foo: '', rev: '2' } }),
    ];
    const s = state(pod('p', { labels: { foo: '', rev: '2' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'), { matchLabelKeys: ['rev'] })] }), zoneNodes(), existing);
    expect(Object.fromEntries(s.tpValueToMatchNum[0]!)).toEqual({ zone1: 1, zone2: 1 });
  });
});

describe('PodTopologySpread minDomains (upstream "minDomains" filter cases)', () => {
  const existing = [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-x1', 'node-x')];
  it('fewer eligible domains than minDomains: global minimum is 0', () => {
    const e = env(factory, undefined, zoneNodes(), existing);
    const r = runFilter(e, pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'), { minDomains: 3 })] }));
    // zone1: 2+1-0 > 1, zone2: 1+1-0 > 1
    expect(Object.values(r.byNode).map((v) => v.code)).toEqual([U, U, U, U]);
  });
  it('enough domains: global minimum is the real one', () => {
    const e = env(factory, undefined, zoneNodes(), existing);
    const r = runFilter(e, pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'), { minDomains: 2 })] }));
    expect(Object.values(r.byNode).map((v) => v.code)).toEqual([U, U, S, S]);
  });
});

describe('PodTopologySpread PreFilterExtensions (upstream TestPreFilterStateAddPod/RemovePod)', () => {
  it('addPod and removePod update counts and critical paths; clone is independent', () => {
    const e = env(factory, undefined, zoneNodes(), [foo('p-a1', 'node-a'), foo('p-x1', 'node-x'), foo('p-x2', 'node-x')]);
    const pl = e.plugin as unknown as { preFilter: Function; preFilterExtensions(): { addPod: Function; removePod: Function } };
    const cs = newCycleState();
    const p = newPodInfo(pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] }));
    pl.preFilter(cs, p, e.infos);
    const copy = cs.clone();
    pl.preFilterExtensions().addPod(copy, p, newPodInfo(foo('p-b1', 'node-b')), e.infos[1]);
    const s2 = copy.read<PreFilterState>('PreFilter' + name)!;
    expect(Object.fromEntries(s2.tpValueToMatchNum[0]!)).toEqual({ zone1: 2, zone2: 2 });
    expect(s2.criticalPaths[0]!.n0).toBe(2);
    // other namespace: ignored
    pl.preFilterExtensions().addPod(copy, p, newPodInfo(foo('q', 'node-b', { ns: 'other' })), e.infos[1]);
    expect(s2.tpValueToMatchNum[0]!.get('zone1')).toBe(2);
    pl.preFilterExtensions().removePod(copy, p, newPodInfo(foo('p-x1', 'node-x')), e.infos[2]);
    expect(Object.fromEntries(s2.tpValueToMatchNum[0]!)).toEqual({ zone1: 2, zone2: 1 });
    expect(s2.criticalPaths[0]!.n0).toBe(1);
    const orig = cs.read<PreFilterState>('PreFilter' + name)!;
    expect(Object.fromEntries(orig.tpValueToMatchNum[0]!)).toEqual({ zone1: 1, zone2: 2 });
  });

  it('criticalPaths keeps the minimum in slot 0 (upstream TestCriticalPaths semantics)', () => {
    const p = new CriticalPaths();
    p.update('a', 3);
    p.update('b', 1);
    p.update('c', 2);
    expect([p.v0, p.n0, p.v1, p.n1]).toEqual(['b', 1, 'c', 2]);
    p.update('b', 4);
    expect([p.v0, p.n0, p.v1, p.n1]).toEqual(['c', 2, 'b', 4]);
  });
});

describe('PodTopologySpread scoring (upstream TestPodTopologySpreadScore)', () => {
  const hostNodes = (...names: string[]): Node[] => names.map((n) => node(n, { [HOST]: n }));
  const cases: Array<{ name: string; pod: Pod; nodes: Node[]; failed?: Node[]; existing: Pod[]; objs?: KObject[]; args?: unknown; want: Record<string, number> }> = [
    {
      name: 'one constraint on node, no existing pods',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: hostNodes('node-a', 'node-b'),
      existing: [],
      want: { 'node-a': 100, 'node-b': 100 },
    },
    {
      name: 'one constraint on node, only one node is candidate',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: hostNodes('node-a'),
      failed: hostNodes('node-b'),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b')],
      want: { 'node-a': 100 },
    },
    {
      name: 'one constraint on node, all nodes have the same number of matching pods',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: hostNodes('node-a', 'node-b'),
      existing: [foo('p-a1', 'node-a'), foo('p-b1', 'node-b')],
      want: { 'node-a': 100, 'node-b': 100 },
    },
    {
      name: 'one constraint on node, all 4 nodes are candidates',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-d1', 'node-d'), foo('p-d2', 'node-d'), foo('p-d3', 'node-d')],
      want: { 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 },
    },
    {
      name: 'one constraint on node, null selector',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, HOST, 'ScheduleAnyway', undefined)] }),
      nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-d1', 'node-d'), foo('p-d2', 'node-d'), foo('p-d3', 'node-d')],
      want: { 'node-a': 100, 'node-b': 100, 'node-c': 100, 'node-d': 100 },
    },
    {
      name: 'one constraint on node, all 4 nodes are candidates, maxSkew=2',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(2, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
      existing: [foo('p-a1', 'node-a'), foo('p-a2', 'node-a'), foo('p-b1', 'node-b'), foo('p-d1', 'node-d'), foo('p-d2', 'node-d'), foo('p-d3', 'node-d')],
      want: { 'node-a': 33, 'node-b': 66, 'node-c': 100, 'node-d': 16 },
    },
    {
      name: 'one constraint on node, all 4 nodes are candidates, maxSkew=3',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(3, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
      existing: fourThreeTwoOne(),
      want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 },
    },
    {
      name: "system defaulting, nodes don't have zone, pods match service",
      pod: pod('p', { labels: { foo: '' } }),
      nodes: hostNodes('node-a', 'node-b', 'node-c', 'node-d'),
      existing: fourThreeTwoOne(),
      objs: [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default' }, spec: { selector: { foo: '' } } }],
      want: { 'node-a': 44, 'node-b': 66, 'node-c': 77, 'node-d': 100 },
    },
    {
      name: 'one constraint on node, 3 out of 4 nodes are candidates',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: hostNodes('node-a', 'node-b', 'node-x'),
      failed: hostNodes('node-y'),
      existing: fourTwoOneThree(),
      want: { 'node-a': 33, 'node-b': 83, 'node-x': 100 },
    },
    {
      name: "one constraint on node, 3 out of 4 nodes are candidates, one node doesn't match topology key",
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, HOST, 'ScheduleAnyway', exists('foo'))] }),
      nodes: [node('node-a', { [HOST]: 'node-a' }), node('node-b', { n: 'node-b' }), node('node-x', { [HOST]: 'node-x' })],
      failed: hostNodes('node-y'),
      existing: fourTwoOneThree(),
      want: { 'node-a': 16, 'node-b': 0, 'node-x': 100 },
    },
    {
      name: 'one constraint on zone, 3 out of 4 nodes are candidates',
      pod: pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'ScheduleAnyway', exists('foo'))] }),
      nodes: [node('node-a', { zone: 'zone1', [HOST]: 'node-a' }), node('node-b', { zone: 'zone1', [HOST]: 'node-b' }), node('node-x', { zone: 'zone2', [HOST]: 'node-x' })],
      failed: [node('node-y', { zone: 'zone2', [HOST]: 'node-y' })],
      existing: fourTwoOneThree(),
      want: { 'node-a': 75, 'node-b': 75, 'node-x': 100 },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const all = [...c.nodes, ...(c.failed ?? [])];
      const e = env(factory, c.args, all, c.existing, c.objs ?? []);
      const r = runScore(e, c.pod, c.nodes.map((n) => n.metadata!.name!));
      expect(scoresOf(r.normalized)).toEqual(c.want);
    });
  }

  it('raw scores are round(cnt*log(domains+2) + maxSkew-1) (upstream scoreForCount)', () => {
    const e = env(factory, undefined, hostNodes('node-a', 'node-b', 'node-c', 'node-d'), fourThreeTwoOne());
    const r = runScore(e, pod('p', { labels: { foo: '' }, spread: [spread(3, HOST, 'ScheduleAnyway', exists('foo'))] }));
    const w = Math.log(6);
    expect(scoresOf(r.raw)).toEqual({ 'node-a': Math.round(4 * w + 2), 'node-b': Math.round(3 * w + 2), 'node-c': Math.round(2 * w + 2), 'node-d': Math.round(1 * w + 2) });
  });

  it('a pod without soft constraints or owners is skipped at PreScore', () => {
    const e = env(factory, undefined, hostNodes('node-a', 'node-b'));
    expect(runScore(e, pod('p', { labels: { foo: '' } })).skipped).toBe(true);
  });

  it('a bad selector in a soft constraint is a PreScore error naming the step (upstream initPreScoreState)', () => {
    const e = env(factory, undefined, zoneNodes());
    const bad = { matchExpressions: [{ key: 'foo', operator: 'In', values: [] }] };
    expect(() => runScore(e, pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'ScheduleAnyway', bad)] }))).toThrow(
      /^preScore: calculating preScoreState: obtaining pod's soft topology spread constraints: .+/,
    );
    // The same pod with a good selector is scored; a hard constraint is not PreScore's.
    expect(runScore(e, pod('q', { labels: { foo: '' }, spread: [spread(1, 'zone', 'ScheduleAnyway', exists('foo'))] })).skipped).toBe(false);
    expect(runScore(e, pod('r', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', bad)] })).skipped).toBe(true);
  });

  it('system default selector comes from the owning ReplicaSet', () => {
    const rs: KObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } } } };
    const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }];
    const existing = [pod('a1', { node: 'node-a', labels: { app: 'x' } }), pod('a2', { node: 'node-a', labels: { app: 'x' } }), pod('b1', { node: 'node-b', labels: { app: 'y' } })];
    const e = env(factory, undefined, hostNodes('node-a', 'node-b'), existing, [rs]);
    const r = runScore(e, pod('p', { labels: { app: 'x' }, ownerReferences: owner }));
    expect(r.skipped).toBe(false);
    // weight log(4); a: round(2*1.386+2)=5, b: 2 => normalized a = 100*(5+2-5)/5 = 40, b = 100
    expect(scoresOf(r.normalized)).toEqual({ 'node-a': 40, 'node-b': 100 });
  });
});

function fourThreeTwoOne(): Pod[] {
  return [
    foo('p-a1', 'node-a'),
    foo('p-a2', 'node-a'),
    foo('p-a3', 'node-a'),
    foo('p-a4', 'node-a'),
    foo('p-b1', 'node-b'),
    foo('p-b2', 'node-b'),
    foo('p-b3', 'node-b'),
    foo('p-c1', 'node-c'),
    foo('p-c2', 'node-c'),
    foo('p-d1', 'node-d'),
  ];
}

function fourTwoOneThree(): Pod[] {
  return [
    foo('p-a1', 'node-a'),
    foo('p-a2', 'node-a'),
    foo('p-a3', 'node-a'),
    foo('p-a4', 'node-a'),
    foo('p-b1', 'node-b'),
    foo('p-b2', 'node-b'),
    foo('p-x1', 'node-x'),
    foo('p-y1', 'node-y'),
    foo('p-y2', 'node-y'),
    foo('p-y3', 'node-y'),
  ];
}

describe('PodTopologySpread args (upstream ValidatePodTopologySpreadArgs)', () => {
  it('defaults to System defaulting', () => {
    expect(podTopologySpreadArgs(undefined)).toEqual({ defaultConstraints: [], defaultingType: 'System' });
  });
  it('List with constraints is accepted', () => {
    const a = podTopologySpreadArgs({ defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] });
    expect(a.defaultConstraints).toHaveLength(1);
  });
  const bad: Array<[string, unknown, string]> = [
    ['System with constraints', { defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] }, 'defaultingType: Invalid value: "System": when .defaultConstraints are not empty'],
    ['bad defaultingType', { defaultingType: 'Foo' }, 'defaultingType: Unsupported value: "Foo": supported values: "System", "List"'],
    ['maxSkew 0', { defaultingType: 'List', defaultConstraints: [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' }] }, 'defaultConstraints[0].maxSkew: Invalid value: 0: not in valid range (0, inf)'],
    ['empty topologyKey', { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: '', whenUnsatisfiable: 'ScheduleAnyway' }] }, 'defaultConstraints[0].topologyKey: Required value: can not be empty'],
    ['bad whenUnsatisfiable', { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'Never' }] }, 'defaultConstraints[0].whenUnsatisfiable: Unsupported value: "Never": supported values: "DoNotSchedule", "ScheduleAnyway"'],
    [
      'selector forbidden',
      { defaultingType: 'List', defaultConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: {} }] },
      'defaultConstraints[0].labelSelector: Forbidden: constraint must not define a selector, as they deduced for each pod',
    ],
    [
      'duplicate',
      {
        defaultingType: 'List',
        defaultConstraints: [
          { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' },
          { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway' },
        ],
      },
      'defaultConstraints[1]: Duplicate value: "{zone, ScheduleAnyway}"',
    ],
  ];
  for (const [n, args, msg] of bad) {
    it(`rejects: ${n}`, () => {
      expect(() => podTopologySpreadArgs(args)).toThrow(FieldErrorList);
      expect(() => podTopologySpreadArgs(args)).toThrow(msg);
    });
  }
});

describe('PodTopologySpread queueing hints (upstream TestPodTopologySpread_isSchedulableAfter*)', () => {
  const target = pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] });
  const e = env(factory, undefined, []);
  const pl = e.plugin as unknown as { isSchedulableAfterPodChange: Function; isSchedulableAfterNodeChange: Function };
  it('pods', () => {
    expect(pl.isSchedulableAfterPodChange(target, undefined, foo('n', 'node-a'))).toBe('Queue');
    expect(pl.isSchedulableAfterPodChange(target, undefined, pod('n', { node: 'node-a', labels: { bar: '' } }))).toBe('QueueSkip');
    expect(pl.isSchedulableAfterPodChange(target, undefined, pod('n', { labels: { foo: '' } }))).toBe('QueueSkip');
    expect(pl.isSchedulableAfterPodChange(target, foo('n', 'node-a'), undefined)).toBe('Queue');
    expect(pl.isSchedulableAfterPodChange(target, foo('n', 'node-a', { ns: 'other' }), undefined)).toBe('QueueSkip');
    const o = foo('n', 'node-a');
    expect(pl.isSchedulableAfterPodChange(target, o, { ...o, metadata: { ...o.metadata, labels: { bar: '' } } })).toBe('Queue');
    expect(pl.isSchedulableAfterPodChange(target, o, { ...o, metadata: { ...o.metadata, labels: { foo: '', x: '1' } } })).toBe('QueueSkip');
  });
  it('nodes', () => {
    expect(pl.isSchedulableAfterNodeChange(target, undefined, node('n', { zone: 'z' }))).toBe('Queue');
    expect(pl.isSchedulableAfterNodeChange(target, undefined, node('n', {}))).toBe('QueueSkip');
    expect(pl.isSchedulableAfterNodeChange(target, node('n', { zone: 'a' }), node('n', { zone: 'b' }))).toBe('Queue');
    expect(pl.isSchedulableAfterNodeChange(target, node('n', { zone: 'a' }), node('n', { zone: 'a', x: 'y' }))).toBe('QueueSkip');
    expect(pl.isSchedulableAfterNodeChange(target, node('n', { zone: 'a' }), undefined)).toBe('Queue');
  });
});

describe('PodTopologySpread properties', () => {
  /** Independent recount of a constraint's domains, as upstream counts them (nodes with the key, same namespace, non-terminating, selector foo). */
  function domainCounts(nodes: Node[], pods: Pod[], key: string): Map<string, number> {
    const m = new Map<string, number>();
    for (const n of nodes) {
      const v = n.metadata?.labels?.[key];
      if (v === undefined) continue;
      const c = pods.filter((p) => p.spec?.nodeName === n.metadata?.name && p.metadata?.labels?.['foo'] !== undefined && p.metadata?.namespace === 'default').length;
      m.set(v, (m.get(v) ?? 0) + c);
    }
    return m;
  }
  const arb = fc.record({
    zones: fc.array(fc.constantFrom('z1', 'z2', 'z3', 'z4', null), { minLength: 1, maxLength: 8 }),
    pods: fc.array(fc.record({ node: fc.nat(7), match: fc.boolean(), otherNs: fc.boolean() }), { maxLength: 25 }),
    maxSkew: fc.integer({ min: 1, max: 3 }),
    minDomains: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    key: fc.constantFrom('zone', HOST),
    selfMatch: fc.boolean(),
  });
  it('a node passing the DoNotSchedule filter never takes its domain past maxSkew', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const nodes = c.zones.map((z, i) => node(`n${i}`, { ...(z ? { zone: z } : {}), [HOST]: `n${i}` }));
        const pods = c.pods
          .filter((p) => p.node < nodes.length)
          .map((p, i) => pod(`e${i}`, { node: `n${p.node}`, labels: p.match ? { foo: '' } : { bar: '' }, ...(p.otherNs ? { ns: 'other' } : {}) }));
        const incoming = pod('p', {
          labels: c.selfMatch ? { foo: '' } : { bar: '' },
          spread: [spread(c.maxSkew, c.key, 'DoNotSchedule', exists('foo'), c.minDomains !== undefined ? { minDomains: c.minDomains } : {})],
        });
        const e = env(factory, undefined, nodes, pods);
        const { byNode } = runFilter(e, incoming);
        const counts = domainCounts(nodes, pods, c.key);
        for (const n of nodes) {
          if (byNode[n.metadata!.name!]!.code !== Code.Success) continue;
          const d = n.metadata!.labels![c.key]!;
          expect(d).toBeDefined();
          const after = new Map(counts);
          after.set(d, (after.get(d) ?? 0) + (c.selfMatch ? 1 : 0));
          const globalMin = after.size < (c.minDomains ?? 1) ? 0 : Math.min(...after.values());
          expect(after.get(d)! - globalMin).toBeLessThanOrEqual(c.maxSkew);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('from a balanced cluster, every allowed placement keeps all domains within maxSkew', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const nodes = c.zones.map((z, i) => node(`n${i}`, { ...(z ? { zone: z } : {}), [HOST]: `n${i}` }));
        const pods = c.pods.filter((p) => p.node < nodes.length).map((p, i) => pod(`e${i}`, { node: `n${p.node}`, labels: p.match ? { foo: '' } : { bar: '' } }));
        const counts = domainCounts(nodes, pods, c.key);
        if (counts.size === 0) return;
        const min0 = Math.min(...counts.values());
        if ([...counts.values()].some((v) => v - min0 > c.maxSkew)) return; // only balanced starts
        const e = env(factory, undefined, nodes, pods);
        const { byNode } = runFilter(e, pod('p', { labels: { foo: '' }, spread: [spread(c.maxSkew, c.key, 'DoNotSchedule', exists('foo'))] }));
        for (const n of nodes) {
          if (byNode[n.metadata!.name!]!.code !== Code.Success) continue;
          const after = new Map(counts);
          const d = n.metadata!.labels![c.key]!;
          after.set(d, after.get(d)! + 1);
          const min = Math.min(...after.values());
          for (const v of after.values()) expect(v - min).toBeLessThanOrEqual(c.maxSkew);
        }
      }),
      { numRuns: 200 },
    );
  });
  it('cached domain sums agree with a fresh plugin after nodes leave, join or are relabelled', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('drop', 'relabel', 'add'), fc.nat(5)), { maxLength: 8 }), (ops) => {
        const nodes = [...zoneNodes(), node('node-z', { zone: 'zone3', node: 'node-z' })];
        const pods = [foo('a1', 'node-a'), foo('b1', 'node-b'), foo('x1', 'node-x'), foo('z1', 'node-z'), foo('z2', 'node-z')];
        const e = env(factory, undefined, nodes, pods);
        const incoming = pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] });
        let infos = e.infos.slice();
        let extra = 0;
        for (const [op, i] of ops) {
          runFilter({ ...e, infos }, incoming); // warm / advance the cache
          if (op === 'drop' && infos.length > 1) infos.splice(i % infos.length, 1);
          else if (op === 'relabel' && infos.length > 0) {
            const ni = infos[i % infos.length]!;
            ni.setNode({ ...ni.node, metadata: { ...ni.node.metadata, labels: { zone: `zone${(i % 3) + 1}`, node: ni.node.metadata.name! } } });
          } else if (op === 'add') {
            const [ni] = nodeInfos([node(`extra${++extra}`, { zone: 'zone2', node: `extra${extra}` })], []);
            ni!.addPod(newPodInfo(foo(`ep${extra}`, `extra${extra}`)));
            infos.splice(i % (infos.length + 1), 0, ni!);
          }
        }
        const cached = runFilter({ ...e, infos }, incoming).byNode;
        const fresh = runFilter({ ...e, infos, plugin: factory(undefined, e.handle) as typeof e.plugin }, incoming).byNode;
        expect(cached).toEqual(fresh);
        infos = [];
      }),
    );
  });
  it('cached counts agree with a fresh plugin after pods are added to nodes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.boolean()), { maxLength: 12 }), (adds) => {
        const nodes = zoneNodes();
        const e = env(factory, undefined, nodes, []);
        const incoming = pod('p', { labels: { foo: '' }, spread: [spread(1, 'zone', 'DoNotSchedule', exists('foo'))] });
        runFilter(e, incoming); // warm the cache
        adds.forEach(([i, m], k) => e.infos[i]!.addPod(newPodInfo(pod(`x${k}`, { node: nodes[i]!.metadata!.name!, labels: m ? { foo: '' } : {} }))));
        const cached = runFilter(e, incoming).byNode;
        const fresh = runFilter({ ...e, plugin: factory(undefined, e.handle) as typeof e.plugin }, incoming).byNode;
        expect(cached).toEqual(fresh);
      }),
    );
  });
});
