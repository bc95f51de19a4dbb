/**
 * InterPodAffinity, ported from kube-scheduler v1.31
 * pkg/scheduler/framework/plugins/interpodaffinity/{filtering,scoring,plugin}_test.go
 * (TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes,
 * TestPreferredAffinity, TestPreferredAffinityWithHardPodAffinitySymmetricWeight,
 * TestPreFilterStateAddRemovePod, queueing-hint tests), plus fast-check properties.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Affinity, Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../src/sim/types.ts';
import {
  factory,
  interPodAffinityArgs,
  ErrReasonAffinityRulesNotMatch,
  ErrReasonAntiAffinityRulesNotMatch,
  ErrReasonExistingAntiAffinityRulesNotMatch,
} from '../../../src/scheduler/plugins/InterPodAffinity.ts';
import { FieldErrorList } from '../../../src/api/errors.ts';
import { Code, env, exists, inSel, newCycleState, newPodInfo, node, pod, runFilter, runScore, scoresOf, term, weighted } from './h8util.ts';

const S = Code.Success;
const U = Code.Unschedulable;
const UU = Code.UnschedulableAndUnresolvable;

const podLabel = { service: 'securityscan' };
const podLabel2 = { security: 'S1' };
const labels1 = { region: 'r1', zone: 'z11' };

const reqAffinity = (...terms: ReturnType<typeof term>[]): Affinity => ({ podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const reqAnti = (...terms: ReturnType<typeof term>[]): Affinity => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms } });
const both = (a: Affinity, b: Affinity): Affinity => ({ ...a, ...b });

const nsObjs: KObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'subteam1.team1', labels: { team: 'team1' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'subteam2.team1', labels: { team: 'team1' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'subteam1.team2', labels: { team: 'team2' } } },
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'subteam2.team2', labels: { team: 'team2' } } },
];

describe('InterPodAffinity filter (upstream TestRequiredAffinitySingleNode)', () => {
  const n1 = (): Node => node('node1', labels1);
  const cases: Array<{ name: string; pod: Pod; existing: Pod[]; want: Code; reason?: string; objs?: KObject[] }> = [
    {
      name: 'A pod that has no required pod affinity scheduling rules can schedule onto a node with no existing pods',
      pod: pod('p'),
      existing: [],
      want: S,
    },
    {
      name: 'satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator that matches the existing pod',
      pod: pod('p', { labels: podLabel2, affinity: reqAffinity(term('region', inSel('service', ['securityscan', 'value2']))) }),
      existing: [pod('e', { node: 'node1', labels: podLabel })],
      want: S,
    },
    {
      name: 'satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not in operator in labelSelector that matches the existing pod',
      pod: pod('p', { labels: podLabel2, affinity: reqAffinity(term('region', { matchExpressions: [{ key: 'service', operator: 'NotIn', values: ['securityscan3', 'value3'] }] })) }),
      existing: [pod('e', { node: 'node1', labels: podLabel })],
      want: S,
    },
    {
      name: 'Does not satisfy the PodAffinity with labelSelector because of diff Namespace',
      pod: pod('p', { labels: podLabel2, affinity: reqAffinity(term('region', inSel('service', ['securityscan', 'value2']), { namespaces: ['DiffNameSpace'] })) }),
      existing: [pod('e', { node: 'node1', labels: podLabel, ns: 'ns' })],
      want: UU,
      reason: ErrReasonAffinityRulesNotMatch,
    },
    {
      name: "Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
      pod: pod('p', { labels: podLabel, affinity: reqAffinity(term('region', inSel('service', ['antivirusscan', 'value2']))) }),
      existing: [pod('e', { node: 'node1', labels: podLabel })],
      want: UU,
      reason: ErrReasonAffinityRulesNotMatch,
    },
    {
      name: 'satisfies the PodAffinity with different label Operators in multiple RequiredDuringSchedulingIgnoredDuringExecution',
      pod: pod('p', {
        labels: podLabel2,
        affinity: reqAffinity(
          term('region', { matchExpressions: [{ key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }),
          term('region', { matchExpressions: [{ key: 'service', operator: 'In', values: ['securityscan'] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }] }),
        ),
      }),
      existing: [pod('e', { node: 'node1', labels: podLabel })],
      want: S,
    },
    {
      name: 'The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule onto the node because one of the matchExpression item does not match',
      pod: pod('p', {
        labels: podLabel2,
        affinity: reqAffinity(
          term('region', { matchExpressions: [{ key: 'service', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }),
          term('region', { matchExpressions: [{ key: 'service', operator: 'In', values: ['securityscan2'] }, { key: 'service', operator: 'NotIn', values: ['WrongValue'] }] }),
        ),
      }),
      existing: [pod('e', { node: 'node1', labels: podLabel })],
      want: UU,
      reason: ErrReasonAffinityRulesNotMatch,
    },
    {
      name: 'satisfies the PodAffinity and PodAntiAffinity with the existing pod',
      pod: pod('p', {
        labels: podLabel2,
        affinity: both(reqAffinity(term('region', inSel('service', ['securityscan', 'value2']))), reqAnti(term('node', inSel('service', ['antivirusscan', 'value2'])))),
      }),
      existing: [pod('e', { node: 'node1', labels: podLabel })],
      want: S,
    },
    {
      name: 'satisfies the PodAffinity and PodAntiAffinity and PodAntiAffinity symmetry with the existing pod',
      pod: pod('p', {
        labels: podLabel2,
        affinity: both(reqAffinity(term('region', inSel('service', ['securityscan', 'value2']))), reqAnti(term('node', inSel('service', ['antivirusscan', 'value2'])))),
      }),
      existing: [pod('e', { node: 'node1', labels: podLabel, affinity: reqAnti(term('node', inSel('service', ['antivirusscan', 'value2']))) })],
      want: S,
    },
    {
      name: 'satisfies the PodAffinity but doesn\'t satisfy the PodAntiAffinity with the existing pod',
      pod: pod('p', {
        labels: podLabel2,
        affinity: both(reqAffinity(term('region', inSel('service', ['securityscan', 'value2']))), reqAnti(term('zone', inSel('service', ['securityscan', 'value2'])))),
      }),
      existing: [pod('e', { node: 'node1', labels: podLabel })],
      want: U,
      reason: ErrReasonAntiAffinityRulesNotMatch,
    },
    {
      name: 'satisfies the PodAffinity and PodAntiAffinity but doesn\'t satisfy PodAntiAffinity symmetry with the existing pod',
      pod: pod('p', {
        labels: podLabel,
        affinity: both(reqAffinity(term('region', inSel('service', ['securityscan', 'value2']))), reqAnti(term('node', inSel('service', ['antivirusscan', 'value2'])))),
      }),
      existing: [pod('e', { node: 'node1', labels: podLabel, affinity: reqAnti(term('zone', inSel('service', ['securityscan', 'value2']))) })],
      want: U,
      reason: ErrReasonExistingAntiAffinityRulesNotMatch,
    },
    {
      name: 'pod matches its own Label in PodAffinity and that matches the existing pod Labels',
      pod: pod('p', { labels: podLabel, affinity: reqAffinity(term('region', { matchExpressions: [{ key: 'service', operator: 'NotIn', values: ['securityscan', 'value2'] }] })) }),
      existing: [pod('e', { node: 'node2', labels: podLabel })],
      want: UU,
      reason: ErrReasonAffinityRulesNotMatch,
    },
    {
      name: 'verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. doesn\'t satisfy PodAntiAffinity symmetry with the existing pod',
      pod: pod('p', { labels: podLabel }),
      existing: [pod('e', { node: 'node1', labels: podLabel, affinity: reqAnti(term('zone', inSel('service', ['securityscan', 'value2']))) })],
      want: U,
      reason: ErrReasonExistingAntiAffinityRulesNotMatch,
    },
    {
      name: 'verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity constraints. satisfy PodAntiAffinity symmetry with the existing pod',
      pod: pod('p', { labels: podLabel }),
      existing: [pod('e', { node: 'node1', labels: podLabel, affinity: reqAnti(term('zone', { matchExpressions: [{ key: 'service', operator: 'NotIn', values: ['securityscan', 'value2'] }] })) })],
      want: S,
    },
    {
      name: "satisfies the PodAntiAffinity with existing pod but doesn't satisfy PodAntiAffinity symmetry with incoming pod",
      pod: pod('p', { labels: podLabel, affinity: reqAnti(term('region', exists('service')), term('zone', exists('security'))) }),
      existing: [pod('e', { node: 'node1', labels: podLabel2, affinity: reqAnti(term('zone', exists('security'))) })],
      want: U,
      reason: ErrReasonAntiAffinityRulesNotMatch,
    },
    {
      name: "PodAntiAffinity symmetry check a1: incoming pod and existing pod partially match each other on AffinityTerms",
      pod: pod('p', { labels: podLabel, affinity: reqAnti(term('zone', exists('security'))) }),
      existing: [pod('e', { node: 'node1', labels: podLabel2, affinity: reqAnti(term('zone', exists('service'))) })],
      want: U,
      reason: ErrReasonAntiAffinityRulesNotMatch,
    },
    {
      name: 'PodAntiAffinity symmetry check b1: incoming pod and existing pod partially match each other on AffinityTerms (existing side)',
      pod: pod('p', { labels: { abc: '', xyz: '' }, affinity: reqAnti(term('zone', exists('def'))) }),
      existing: [pod('e', { node: 'node1', labels: { def: '' }, affinity: reqAnti(term('zone', exists('abc'))) })],
      want: U,
      reason: ErrReasonAntiAffinityRulesNotMatch,
    },
    {
      name: 'affinity with namespaceSelector matches an existing pod in a namespace selected by labels',
      pod: pod('p', { ns: 'subteam1.team1', labels: podLabel2, affinity: reqAffinity(term('region', inSel('service', ['securityscan']), { namespaceSelector: { matchLabels: { team: 'team2' } } })) }),
      existing: [pod('e', { node: 'node1', labels: podLabel, ns: 'subteam2.team2' })],
      objs: nsObjs,
      want: S,
    },
    {
      name: 'affinity with namespaceSelector does not match a pod in an unselected namespace',
      pod: pod('p', { ns: 'subteam1.team1', labels: podLabel2, affinity: reqAffinity(term('region', inSel('service', ['securityscan']), { namespaceSelector: { matchLabels: { team: 'team2' } } })) }),
      existing: [pod('e', { node: 'node1', labels: podLabel, ns: 'subteam1.team1' })],
      objs: nsObjs,
      want: UU,
      reason: ErrReasonAffinityRulesNotMatch,
    },
    {
      name: 'affinity with empty namespaceSelector matches all namespaces',
      pod: pod('p', { ns: 'subteam1.team1', labels: podLabel2, affinity: reqAffinity(term('region', inSel('service', ['securityscan']), { namespaceSelector: {} })) }),
      existing: [pod('e', { node: 'node1', labels: podLabel, ns: 'anything' })],
      objs: nsObjs,
      want: S,
    },
    {
      name: "existing pod's anti-affinity namespaceSelector matches the incoming pod's namespace labels",
      pod: pod('p', { ns: 'subteam1.team1', labels: podLabel }),
      existing: [pod('e', { node: 'node1', ns: 'other', affinity: reqAnti(term('zone', exists('service'), { namespaceSelector: { matchLabels: { team: 'team1' } } })) })],
      objs: nsObjs,
      want: U,
      reason: ErrReasonExistingAntiAffinityRulesNotMatch,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = env(factory, undefined, [n1()], c.existing, c.objs ?? []);
      const v = runFilter(e, c.pod).byNode['node1']!;
      expect(v.code).toBe(c.want);
      if (c.reason) expect(v.reasons).toEqual([c.reason]);
    });
  }

  it('reason strings are upstream', () => {
    expect(ErrReasonAffinityRulesNotMatch).toBe("node(s) didn't match pod affinity rules");
    expect(ErrReasonAntiAffinityRulesNotMatch).toBe("node(s) didn't match pod anti-affinity rules");
    expect(ErrReasonExistingAntiAffinityRulesNotMatch).toBe("node(s) didn't satisfy existing pods anti-affinity rules");
  });

  it('a pod with no required terms and no existing anti-affinity is skipped at PreFilter', () => {
    const e = env(factory, undefined, [n1()], [pod('e', { node: 'node1', labels: podLabel })]);
    expect(runFilter(e, pod('p')).pre.code).toBe(Code.Skip);
  });
});

describe('InterPodAffinity filter across nodes (upstream TestRequiredAffinityMultipleNodes)', () => {
  it('A pod can be scheduled onto all the nodes that have the same topology key & label value with one of them has an existing pod that matches the affinity rules', () => {
    const nodes = [node('nodeA', { region: 'r1', hostname: 'h1' }), node('nodeB', { region: 'r1', hostname: 'h2' })];
    const e = env(factory, undefined, nodes, [pod('e', { node: 'nodeA', labels: { foo: 'bar' } })]);
    const r = runFilter(e, pod('p', { affinity: reqAffinity(term('region', inSel('foo', ['bar']))) }));
    expect(r.byNode).toEqual({ nodeA: { code: S, reasons: [] }, nodeB: { code: S, reasons: [] } });
  });
  it('The first pod of the collection can only be scheduled on nodes labelled with the requested topology keys', () => {
    const nodes = [node('nodeA', { region: 'r1' }), node('nodeB', { zone: 'z2' }), node('nodeC', { region: 'r1', zone: 'z1' })];
    const e = env(factory, undefined, nodes, []);
    const self = pod('p', { labels: { foo: 'bar', service: 'securityscan' }, affinity: reqAffinity(term('zone', inSel('foo', ['bar'])), term('region', inSel('service', ['securityscan']))) });
    const r = runFilter(e, self);
    expect(Object.fromEntries(Object.entries(r.byNode).map(([k, v]) => [k, v.code]))).toEqual({ nodeA: UU, nodeB: UU, nodeC: S });
  });
  it("PodAffinity fails when the pod doesn't match its own terms and nothing matches", () => {
    const e = env(factory, undefined, [node('nodeA', { region: 'r1' })], []);
    const r = runFilter(e, pod('p', { labels: { x: 'y' }, affinity: reqAffinity(term('region', inSel('foo', ['bar']))) }));
    expect(r.byNode['nodeA']).toEqual({ code: UU, reasons: [ErrReasonAffinityRulesNotMatch] });
  });
  it('NodeA and nodeB have same topologyKey and label value. NodeA has an existing pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB.', () => {
    const nodes = [node('nodeA', { region: 'r1', zone: 'z1', hostname: 'nodeA' }), node('nodeB', { region: 'r1', zone: 'z2', hostname: 'nodeB' })];
    const e = env(factory, undefined, nodes, [pod('e', { node: 'nodeA', labels: { foo: 'abc' } })]);
    const r = runFilter(e, pod('p', { affinity: reqAnti(term('region', inSel('foo', ['abc']))) }));
    expect(r.byNode).toEqual({ nodeA: { code: U, reasons: [ErrReasonAntiAffinityRulesNotMatch] }, nodeB: { code: U, reasons: [ErrReasonAntiAffinityRulesNotMatch] } });
  });
  it('Test existing pod anti-affinity: nodes without the topology key are not affected', () => {
    const nodes = [node('nodeA', { zone: 'z1' }), node('nodeB', { zone: 'z2' }), node('nodeC', {})];
    const e = env(factory, undefined, nodes, [pod('e', { node: 'nodeA', affinity: reqAnti(term('zone', exists('foo'))) })]);
    const r = runFilter(e, pod('p', { labels: { foo: '' } }));
    expect(Object.fromEntries(Object.entries(r.byNode).map(([k, v]) => [k, v.code]))).toEqual({ nodeA: U, nodeB: S, nodeC: S });
  });
});

describe('InterPodAffinity PreFilterExtensions (upstream TestPreFilterStateAddRemovePod)', () => {
  it('adding a matching pod creates the anti-affinity conflict; removing it lifts it', () => {
    const nodes = [node('nodeA', { zone: 'z1' }), node('nodeB', { zone: 'z2' })];
    const e = env(factory, undefined, nodes, []);
    const pl = e.plugin as unknown as { preFilter: Function; filter: Function; preFilterExtensions(): { addPod: Function; removePod: Function } };
    const cs = newCycleState();
    const p = newPodInfo(pod('p', { labels: { app: 'x' }, affinity: reqAnti(term('zone', inSel('app', ['x']))) }));
    pl.preFilter(cs, p, e.infos);
    expect(pl.filter(cs, p, e.infos[0])).toBeNull();
    const victim = newPodInfo(pod('v', { node: 'nodeA', labels: { app: 'x' } }));
    const c2 = cs.clone();
    pl.preFilterExtensions().addPod(c2, p, victim, e.infos[0]);
    expect(pl.filter(c2, p, e.infos[0]).reasons).toEqual([ErrReasonAntiAffinityRulesNotMatch]);
    expect(pl.filter(c2, p, e.infos[1])).toBeNull();
    // the original state is unaffected
    expect(pl.filter(cs, p, e.infos[0])).toBeNull();
    pl.preFilterExtensions().removePod(c2, p, victim, e.infos[0]);
    expect(pl.filter(c2, p, e.infos[0])).toBeNull();
  });
  it("adding a pod whose required anti-affinity matches the incoming pod blocks that topology", () => {
    const nodes = [node('nodeA', { zone: 'z1' }), node('nodeB', { zone: 'z2' })];
    const e = env(factory, undefined, nodes, []);
    const pl = e.plugin as unknown as { preFilter: Function; filter: Function; preFilterExtensions(): { addPod: Function } };
    const cs = newCycleState();
    // A term matching nothing keeps the plugin from being skipped at PreFilter.
    const p = newPodInfo(pod('p', { labels: { app: 'x' }, affinity: reqAnti(term('zone', inSel('app', ['none']))) }));
    expect(pl.preFilter(cs, p, e.infos).status).toBeNull();
    pl.preFilterExtensions().addPod(cs, p, newPodInfo(pod('n', { node: 'nodeA', affinity: reqAnti(term('zone', inSel('app', ['x']))) })), e.infos[0]);
    expect(pl.filter(cs, p, e.infos[0]).reasons).toEqual([ErrReasonExistingAntiAffinityRulesNotMatch]);
  });
});

describe('InterPodAffinity scoring (upstream TestPreferredAffinity)', () => {
  const S1 = { security: 'S1' };
  const S2 = { security: 'S2' };
  const rgChina = { region: 'China' };
  const rgIndia = { region: 'India' };
  const az1 = { az: 'az1' };
  const az2 = { az: 'az2' };
  const pref = (weight: number, key: string, sel: ReturnType<typeof inSel>, extra = {}): Affinity => ({ podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(weight, term(key, sel, extra))] } });
  const prefAnti = (weight: number, key: string, sel: ReturnType<typeof inSel>, extra = {}): Affinity => ({
    podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [weighted(weight, term(key, sel, extra))] },
  });
  const stayWithS1InRegion = pref(5, 'region', inSel('security', ['S1']));
  const stayWithS2InRegion = pref(6, 'region', inSel('security', ['S2']));
  const affinity3: Affinity = {
    podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        weighted(8, term('region', { matchExpressions: [{ key: 'security', operator: 'NotIn', values: ['S1'] }, { key: 'security', operator: 'In', values: ['S2'] }] })),
        weighted(2, term('region', { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] })),
      ],
    },
  };
  const hardAffinity = reqAffinity(
    term('region', inSel('security', ['S1', 'value2'])),
    term('region', { matchExpressions: [{ key: 'security', operator: 'Exists' }, { key: 'wrongkey', operator: 'DoesNotExist' }] }),
  );
  const awayFromS1InAz = prefAnti(5, 'az', inSel('security', ['S1']));
  const awayFromS2InAz = prefAnti(5, 'az', inSel('security', ['S2']));
  const stayWithS1InRegionAwayFromS2InAz: Affinity = { ...pref(8, 'region', inSel('security', ['S1'])), ...prefAnti(5, 'az', inSel('security', ['S2'])) };
  const nsSel = { namespaces: ['subteam2.team2'], namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['team1'] }] } };
  const affinityNamespaceSelector = pref(5, 'region', inSel('security', ['S1']), nsSel);
  const antiAffinityNamespaceSelector = prefAnti(5, 'region', inSel('security', ['S1']), nsSel);

  const cases: Array<{ name: string; pod: Pod; pods: Pod[]; nodes: Node[]; want?: Record<string, number>; skip?: boolean; args?: unknown }> = [
    {
      name: 'all nodes are same priority as Affinity is nil',
      pod: pod('p', { labels: S1 }),
      pods: [],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      skip: true,
    },
    {
      name: "Affinity: pod that matches topology key & pods in nodes will get high score comparing to others which doesn't match either pods in nodes or in topology key",
      pod: pod('p', { labels: S1, affinity: stayWithS1InRegion }),
      pods: [pod('a', { node: 'node1', labels: S1 }), pod('b', { node: 'node2', labels: S2 }), pod('c', { node: 'node3', labels: S1 })],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      want: { node1: 100, node2: 0, node3: 0 },
    },
    {
      name: 'All the nodes that have the same topology key & label value with one of them has an existing pod that match the affinity rules, have the same score',
      pod: pod('p', { affinity: stayWithS1InRegion }),
      pods: [pod('a', { node: 'node1', labels: S1 })],
      nodes: [node('node1', rgChina), node('node2', { region: 'China', az: 'az1' }), node('node3', rgIndia)],
      want: { node1: 100, node2: 100, node3: 0 },
    },
    {
      name: 'Affinity: nodes in one region has more matching pods comparing to other region, so the region which has more matches will get high score',
      pod: pod('p', { labels: S1, affinity: stayWithS2InRegion }),
      pods: ['node1', 'node1', 'node2', 'node3', 'node4', 'node5'].map((n, i) => pod(`e${i}`, { node: n, labels: S2 })),
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', rgChina), node('node4', rgChina), node('node5', rgIndia)],
      want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
    },
    {
      name: 'Affinity: different Label operators and values for pod affinity scheduling preference, including some match failures',
      pod: pod('p', { labels: S1, affinity: affinity3 }),
      pods: [pod('a', { node: 'node1', labels: S1 }), pod('b', { node: 'node2', labels: S2 }), pod('c', { node: 'node3', labels: S1 })],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      want: { node1: 20, node2: 100, node3: 0 },
    },
    {
      name: 'Affinity symmetry: considered only the preferredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pod('p', { labels: S2 }),
      pods: [pod('a', { node: 'node1', labels: S1, affinity: stayWithS1InRegion }), pod('b', { node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      want: { node1: 0, node2: 100, node3: 0 },
    },
    {
      name: 'Affinity symmetry with namespace selector',
      pod: pod('p', { ns: 'subteam1.team1', labels: S1 }),
      pods: [pod('a', { node: 'node1', labels: S1, affinity: affinityNamespaceSelector }), pod('b', { node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      want: { node1: 100, node2: 0, node3: 0 },
    },
    {
      name: 'AntiAffinity symmetry with namespace selector',
      pod: pod('p', { ns: 'subteam1.team1', labels: S1 }),
      pods: [pod('a', { node: 'node1', labels: S1, affinity: antiAffinityNamespaceSelector }), pod('b', { node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      want: { node1: 0, node2: 100, node3: 100 },
    },
    {
      name: 'Affinity symmetry: considered RequiredDuringSchedulingIgnoredDuringExecution in pod affinity symmetry',
      pod: pod('p', { labels: S1 }),
      pods: [pod('a', { node: 'node1', labels: S1, affinity: hardAffinity }), pod('b', { node: 'node2', labels: S2, affinity: hardAffinity })],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      want: { node1: 100, node2: 100, node3: 0 },
    },
    {
      name: 'Anti Affinity: pod that does not match existing pods in node will get high score',
      pod: pod('p', { labels: S1, affinity: awayFromS1InAz }),
      pods: [pod('a', { node: 'node1', labels: S1 }), pod('b', { node: 'node2', labels: S2 })],
      nodes: [node('node1', az1), node('node2', rgChina)],
      want: { node1: 0, node2: 100 },
    },
    {
      name: 'Anti Affinity: one node has more matching pods comparing to other node, so the node which has more unmatches will get high score',
      pod: pod('p', { labels: S1, affinity: awayFromS1InAz }),
      pods: [pod('a', { node: 'node1', labels: S1 }), pod('b', { node: 'node1', labels: S1 }), pod('c', { node: 'node2', labels: S2 })],
      nodes: [node('node1', az1), node('node2', rgIndia)],
      want: { node1: 0, node2: 100 },
    },
    {
      name: 'Anti Affinity symmetry: the existing pods in node which has anti affinity match will get high score',
      pod: pod('p', { labels: S2 }),
      pods: [pod('a', { node: 'node1', labels: S1, affinity: awayFromS2InAz }), pod('b', { node: 'node2', labels: S2, affinity: awayFromS1InAz })],
      nodes: [node('node1', az1), node('node2', az2)],
      want: { node1: 0, node2: 100 },
    },
    {
      name: 'Affinity and Anti Affinity: considering both affinity and anti-affinity, the pod to schedule and existing pods have the same labels',
      pod: pod('p', { labels: S1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      pods: ['node1', 'node1', 'node2', 'node3', 'node3', 'node4', 'node5'].map((n, i) => pod(`e${i}`, { node: n, labels: S1 })),
      nodes: [node('node1', { region: 'China', az: 'az1' }), node('node2', rgIndia), node('node3', rgChina), node('node4', rgChina), node('node5', rgIndia)],
      want: { node1: 100, node2: 0, node3: 100, node4: 100, node5: 0 },
    },
    {
      name: 'Affinity and Anti Affinity and symmetry: considered only preferredDuringSchedulingIgnoredDuringExecution in both pod affinity & anti affinity & symmetry',
      pod: pod('p', { labels: S1, affinity: stayWithS1InRegionAwayFromS2InAz }),
      pods: [
        pod('a', { node: 'node1', labels: S1 }),
        pod('b', { node: 'node2', labels: S2 }),
        pod('c', { node: 'node3', affinity: stayWithS1InRegionAwayFromS2InAz }),
        pod('d', { node: 'node4', affinity: awayFromS1InAz }),
      ],
      nodes: [node('node1', rgChina), node('node2', az1), node('node3', rgIndia), node('node4', az2)],
      want: { node1: 100, node2: 0, node3: 100, node4: 0 },
    },
    {
      name: "Avoid panic when partial nodes in a topology don't have pods with affinity",
      pod: pod('p', { labels: S1 }),
      pods: [pod('a', { node: 'node1', labels: S1 }), pod('b', { node: 'node2', affinity: stayWithS1InRegionAwayFromS2InAz })],
      nodes: [node('node1', rgChina), node('node2', rgChina)],
      want: { node1: 0, node2: 0 },
    },
    {
      name: 'ignorePreferredTermsOfExistingPods skips when the incoming pod has no preferred terms',
      pod: pod('p', { labels: S2 }),
      pods: [pod('a', { node: 'node1', labels: S1, affinity: stayWithS1InRegion }), pod('b', { node: 'node2', labels: S2, affinity: stayWithS2InRegion })],
      nodes: [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)],
      args: { ignorePreferredTermsOfExistingPods: true },
      skip: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const e = env(factory, c.args, c.nodes, c.pods, nsObjs);
      const r = runScore(e, c.pod);
      expect(r.skipped).toBe(c.skip === true);
      if (c.want) expect(scoresOf(r.normalized)).toEqual(c.want);
    });
  }

  it('raw scores sum term weights per topology (affinity3: China 2, India 10)', () => {
    const e = env(factory, undefined, [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)], [
      pod('a', { node: 'node1', labels: S1 }),
      pod('b', { node: 'node2', labels: S2 }),
      pod('c', { node: 'node3', labels: S1 }),
    ]);
    expect(scoresOf(runScore(e, pod('p', { labels: S1, affinity: affinity3 })).raw)).toEqual({ node1: 2, node2: 10, node3: 0 });
  });

  // upstream TestPreferredAffinityWithHardPodAffinitySymmetricWeight
  it('hard pod affinity symmetric weight: existing pods’ required affinity counts with hardPodAffinityWeight', () => {
    const nodes = [node('node1', rgChina), node('node2', rgIndia), node('node3', az1)];
    const existing = [
      pod('a', { node: 'node1', labels: { service: 'S1' }, affinity: reqAffinity(term('region', inSel('service', ['S1']))) }),
      pod('b', { node: 'node2', labels: { service: 'S1' }, affinity: reqAffinity(term('region', inSel('service', ['S1']))) }),
    ];
    const incoming = pod('p', { labels: { service: 'S1' } });
    const w1 = runScore(env(factory, { hardPodAffinityWeight: 1 }, nodes, existing), incoming);
    expect(scoresOf(w1.raw)).toEqual({ node1: 1, node2: 1, node3: 0 });
    expect(scoresOf(w1.normalized)).toEqual({ node1: 100, node2: 100, node3: 0 });
    const w0 = runScore(env(factory, { hardPodAffinityWeight: 0 }, nodes, existing), incoming);
    expect(w0.skipped).toBe(true);
  });
});

describe('InterPodAffinity args (upstream ValidateInterPodAffinityArgs)', () => {
  it('defaults', () => {
    expect(interPodAffinityArgs(undefined)).toEqual({ hardPodAffinityWeight: 1, ignorePreferredTermsOfExistingPods: false });
  });
  it('rejects out-of-range weight', () => {
    expect(() => interPodAffinityArgs({ hardPodAffinityWeight: 101 })).toThrow(FieldErrorList);
    expect(() => interPodAffinityArgs({ hardPodAffinityWeight: -1 })).toThrow('hardPodAffinityWeight: Invalid value: -1: not in valid range [0, 100]');
  });
  it('rejects unknown fields', () => {
    expect(() => interPodAffinityArgs({ hardPodAffinityWeigth: 1 })).toThrow(FieldErrorList);
  });
});

describe('InterPodAffinity queueing hints (upstream Test_isSchedulableAfterPodChange / NodeChange)', () => {
  const e = env(factory, undefined, []);
  const pl = e.plugin as unknown as { isSchedulableAfterPodChange: Function; isSchedulableAfterNodeChange: Function };
  const target = pod('p', { affinity: both(reqAffinity(term('region', inSel('aaa', ['a']))), reqAnti(term('zone', inSel('bbb', ['b'])))) });
  it('pods', () => {
    expect(pl.isSchedulableAfterPodChange(target, undefined, pod('x', { node: 'n', labels: { aaa: 'a' } }))).toBe('Queue');
    expect(pl.isSchedulableAfterPodChange(target, undefined, pod('x', { labels: { aaa: 'a' } }))).toBe('QueueSkip');
    expect(pl.isSchedulableAfterPodChange(target, undefined, pod('x', { node: 'n', labels: { aaa: 'b' } }))).toBe('QueueSkip');
    expect(pl.isSchedulableAfterPodChange(target, pod('x', { node: 'n', labels: { bbb: 'b' } }), undefined)).toBe('Queue');
    expect(pl.isSchedulableAfterPodChange(target, pod('x', { node: 'n', labels: { bbb: 'c' } }), undefined)).toBe('QueueSkip');
    expect(pl.isSchedulableAfterPodChange(target, pod('x', { node: 'n', labels: { bbb: 'b' } }), pod('x', { node: 'n', labels: { bbb: 'c' } }))).toBe('Queue');
  });
  it('nodes', () => {
    expect(pl.isSchedulableAfterNodeChange(target, node('n', { region: 'r' }))).toBe('Queue');
    expect(pl.isSchedulableAfterNodeChange(target, node('n', { zone: 'z' }))).toBe('Queue');
    expect(pl.isSchedulableAfterNodeChange(target, node('n', { other: 'z' }))).toBe('QueueSkip');
  });
});

describe('InterPodAffinity properties', () => {
  const arb = fc.record({
    nodes: fc.array(fc.record({ zone: fc.constantFrom('z1', 'z2', 'z3', null), host: fc.boolean() }), { minLength: 1, maxLength: 6 }),
    existing: fc.array(
      fc.record({ node: fc.nat(5), app: fc.constantFrom('a', 'b', 'c'), anti: fc.option(fc.record({ key: fc.constantFrom('zone', 'host'), app: fc.constantFrom('a', 'b', 'c') }), { nil: undefined }) }),
      { maxLength: 12 },
    ),
    incomingApp: fc.constantFrom('a', 'b', 'c'),
    incomingAnti: fc.option(fc.record({ key: fc.constantFrom('zone', 'host'), app: fc.constantFrom('a', 'b', 'c') }), { nil: undefined }),
  });
  it('the filter never allows a placement violating a required anti-affinity (incoming or existing)', () => {
    fc.assert(
      fc.property(arb, (c) => {
        const nodes = c.nodes.map((n, i) => node(`n${i}`, { ...(n.zone ? { zone: n.zone } : {}), ...(n.host ? { host: `n${i}` } : {}) }));
        const existing = c.existing
          .filter((x) => x.node < nodes.length)
          .map((x, i) => pod(`e${i}`, { node: `n${x.node}`, labels: { app: x.app }, ...(x.anti ? { affinity: reqAnti(term(x.anti.key, inSel('app', [x.anti.app]))) } : {}) }));
        const incoming = pod('p', { labels: { app: c.incomingApp }, ...(c.incomingAnti ? { affinity: reqAnti(term(c.incomingAnti.key, inSel('app', [c.incomingAnti.app]))) } : {}) });
        const e = env(factory, undefined, nodes, existing);
        const { byNode } = runFilter(e, incoming);
        const nodeOf = new Map(nodes.map((n) => [n.metadata!.name!, n]));
        for (const n of nodes) {
          if (byNode[n.metadata!.name!]!.code !== Code.Success) continue;
          const nl = n.metadata!.labels!;
          for (const x of existing) {
            const xl = nodeOf.get(x.spec!.nodeName!)!.metadata!.labels!;
            // incoming anti-affinity vs existing pod in the same topology domain
            if (c.incomingAnti && x.metadata!.labels!['app'] === c.incomingAnti.app) {
              const k = c.incomingAnti.key;
              if (nl[k] !== undefined && xl[k] === nl[k]) return false;
            }
            // existing pod's anti-affinity vs the incoming pod
            const xa = x.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0];
            if (xa && c.incomingApp === (xa.labelSelector!.matchExpressions![0]!.values![0] as string)) {
              const k = xa.topologyKey;
              if (nl[k] !== undefined && xl[k] === nl[k]) return false;
            }
          }
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});
