// Cases from kube-scheduler v1.31 nodeaffinity/node_affinity_test.go
// (TestNodeAffinity, TestNodeAffinityPriority, Test_isSchedulableAfterNodeChange).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Affinity, NodeSelectorTerm, PreferredSchedulingTerm } from 'kubernetes-types/core/v1';
import { factory, ErrReasonPod, ErrReasonEnforced, ErrReasonConflict, NodeAffinity } from '../../../src/scheduler/plugins/NodeAffinity.ts';
import { Code } from '../../../src/scheduler/framework/types.ts';
import { FieldErrorList } from '../../../src/api/errors.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import type { Stored } from '../../../src/sim/types.ts';
import { makeNode, makePod, newCycleState, newPodInfo, nodeInfo, runScore } from './pluginTestUtil.ts';

const required = (...terms: NodeSelectorTerm[]): Affinity => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } });
const preferred = (...terms: PreferredSchedulingTerm[]): Affinity => ({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: terms } });
const expr = (key: string, operator: string, values?: string[]) => ({ key, operator, ...(values ? { values } : {}) });
const nameIn = (...values: string[]) => ({ key: 'metadata.name', operator: 'In', values });

interface FilterCase {
  name: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  labels?: Record<string, string>;
  nodeName?: string;
  args?: unknown;
  wantPreFilterResult?: string[];
  wantPreFilterStatus?: { code: number; reasons: string[] };
  want?: string;
}

function run(c: FilterCase) {
  const plugin = factory(c.args, fakeHandle({})) as NodeAffinity;
  const pod = makePod({ ...(c.nodeSelector ? { nodeSelector: c.nodeSelector } : {}), ...(c.affinity ? { affinity: c.affinity } : {}) });
  const ni = nodeInfo(makeNode(c.nodeName ?? 'node1', c.labels ? { labels: c.labels } : {}));
  const state = newCycleState();
  const pi = newPodInfo(pod);
  const pre = plugin.preFilter(state, pi);
  const filter = plugin.filter(state, pi, ni);
  return { pre, filter };
}

describe('NodeAffinity filter (TestNodeAffinity)', () => {
  const cases: FilterCase[] = [
    { name: 'missing labels', nodeSelector: { foo: 'bar' }, want: ErrReasonPod },
    { name: 'same labels', nodeSelector: { foo: 'bar' }, labels: { foo: 'bar' } },
    { name: 'node labels are superset', nodeSelector: { foo: 'bar' }, labels: { foo: 'bar', baz: 'blah' } },
    { name: 'node labels are subset', nodeSelector: { foo: 'bar', baz: 'blah' }, labels: { foo: 'bar' }, want: ErrReasonPod },
    {
      name: 'Pod with matchExpressions using In operator that matches the existing node',
      affinity: required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }),
      labels: { foo: 'bar' },
    },
    {
      name: 'Pod with matchExpressions using Gt operator that matches the existing node',
      affinity: required({ matchExpressions: [expr('kernel-version', 'Gt', ['0204'])] }),
      labels: { 'kernel-version': '0206' },
    },
    {
      name: 'Pod with matchExpressions using NotIn operator that matches the existing node',
      affinity: required({ matchExpressions: [expr('mem-type', 'NotIn', ['DDR', 'DDR2'])] }),
      labels: { 'mem-type': 'DDR3' },
    },
    {
      name: 'Pod with matchExpressions using Exists operator that matches the existing node',
      affinity: required({ matchExpressions: [expr('GPU', 'Exists')] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
    },
    {
      name: "Pod with affinity that don't match node's labels won't schedule onto the node",
      affinity: required({ matchExpressions: [expr('foo', 'In', ['value1', 'value2'])] }),
      labels: { foo: 'bar' },
      want: ErrReasonPod,
    },
    {
      name: "Pod with empty MatchExpressions is not a valid value will match no objects and won't schedule onto the node",
      affinity: required({ matchExpressions: [] }),
      labels: { foo: 'bar' },
      want: ErrReasonPod,
    },
    { name: 'Pod with no Affinity will schedule onto a node', affinity: {}, labels: { foo: 'bar' } },
    { name: 'Pod with Affinity but nil NodeSelector will schedule onto a node', affinity: { nodeAffinity: {} }, labels: { foo: 'bar' } },
    {
      name: 'Pod with multiple matchExpressions ANDed that matches the existing node',
      affinity: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'NotIn', ['AMD', 'INTER'])] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
    },
    {
      name: "Pod with multiple matchExpressions ANDed that doesn't match the existing node",
      affinity: required({ matchExpressions: [expr('GPU', 'Exists'), expr('GPU', 'In', ['AMD', 'INTER'])] }),
      labels: { GPU: 'NVIDIA-GRID-K1' },
      want: ErrReasonPod,
    },
    {
      name: "Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will schedule onto the node",
      affinity: required({ matchExpressions: [expr('foo', 'In', ['bar', 'value2'])] }, { matchExpressions: [expr('diffkey', 'In', ['wrong', 'value2'])] }),
      labels: { foo: 'bar' },
    },
    {
      name: 'Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both are satisfied, will schedule onto the node',
      nodeSelector: { foo: 'bar' },
      affinity: required({ matchExpressions: [expr('foo', 'Exists')] }),
      labels: { foo: 'bar' },
    },
    {
      name: "Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing that we are deprecating) is not satisfied, won't schedule onto the node",
      nodeSelector: { foo: 'bar' },
      affinity: required({ matchExpressions: [expr('foo', 'Exists')] }),
      labels: { foo: 'barrrrrr' },
      want: ErrReasonPod,
    },
    {
      name: "Pod with an invalid value in Affinity term won't be scheduled onto the node",
      affinity: required({ matchExpressions: [expr('foo', 'NotIn', ['invalid value: ___@#$%^'])] }),
      labels: { foo: 'bar' },
      want: ErrReasonPod,
    },
    {
      name: 'Pod with matchFields using In operator that matches the existing node',
      affinity: required({ matchFields: [nameIn('node1')] }),
      nodeName: 'node1',
      wantPreFilterResult: ['node1'],
    },
    {
      name: 'Pod with matchFields using In operator that does not match the existing node',
      affinity: required({ matchFields: [nameIn('node1')] }),
      nodeName: 'node2',
      wantPreFilterResult: ['node1'],
      want: ErrReasonPod,
    },
    {
      name: 'Pod with two terms: matchFields does not match, but matchExpressions matches',
      affinity: required({ matchFields: [nameIn('node1')] }, { matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
    },
    {
      name: 'Pod with one term: matchFields does not match, but matchExpressions matches',
      affinity: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      wantPreFilterResult: ['node1'],
      want: ErrReasonPod,
    },
    {
      name: 'Pod with one term: both matchFields and matchExpressions match',
      affinity: required({ matchFields: [nameIn('node1')], matchExpressions: [expr('foo', 'In', ['bar'])] }),
      nodeName: 'node1',
      labels: { foo: 'bar' },
      wantPreFilterResult: ['node1'],
    },
    {
      name: 'Pod with two terms: both matchFields and matchExpressions do not match',
      affinity: required({ matchFields: [nameIn('node1')] }, { matchExpressions: [expr('foo', 'In', ['not-match-to-bar'])] }),
      nodeName: 'node2',
      labels: { foo: 'bar' },
      want: ErrReasonPod,
    },
    {
      name: 'Pod with two terms of node.Name affinity',
      affinity: required({ matchFields: [nameIn('node1')] }, { matchFields: [nameIn('node2')] }),
      nodeName: 'node2',
      wantPreFilterResult: ['node1', 'node2'],
    },
    {
      name: 'Pod with two conflicting mathFields requirements',
      affinity: required({ matchFields: [nameIn('node1'), nameIn('node2')] }),
      nodeName: 'node2',
      wantPreFilterStatus: { code: Code.UnschedulableAndUnresolvable, reasons: [ErrReasonConflict] },
      want: ErrReasonPod,
    },
    {
      name: "Matches added affinity and Pod's node affinity",
      affinity: required({ matchExpressions: [expr('zone', 'In', ['foo'])] }),
      labels: { zone: 'foo' },
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['foo'])] }] } } },
    },
    {
      name: "Matches added affinity but not Pod's node affinity",
      affinity: required({ matchExpressions: [expr('zone', 'In', ['bar'])] }),
      labels: { zone: 'foo' },
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['foo'])] }] } } },
      want: ErrReasonPod,
    },
    {
      name: "Doesn't match added affinity",
      labels: { zone: 'foo' },
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['bar'])] }] } } },
      want: ErrReasonEnforced,
    },
    {
      name: "Matches node selector correctly even if added affinity doesn't",
      nodeSelector: { zone: 'foo' },
      labels: { zone: 'foo' },
      args: { addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['bar'])] }] } } },
      want: ErrReasonEnforced,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { pre, filter } = run(c);
      if (c.wantPreFilterStatus) expect({ code: pre.status?.code, reasons: pre.status?.reasons }).toEqual(c.wantPreFilterStatus);
      else expect(pre.status === null || pre.status.code === Code.Skip).toBe(true);
      expect(pre.result === null ? undefined : [...(pre.result.nodeNames ?? [])].sort()).toEqual(c.wantPreFilterResult);
      if (c.want) expect({ code: filter?.code, reasons: filter?.reasons }).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: [c.want] });
      else expect(filter).toBeNull();
    });
  }

  it('PreFilter skips a pod with no nodeSelector, no required affinity and no added affinity', () => {
    const { pre } = run({ name: '', affinity: preferred({ weight: 1, preference: { matchExpressions: [expr('a', 'Exists')] } }) });
    expect(pre.status?.code).toBe(Code.Skip);
  });
});

describe('NodeAffinity score (TestNodeAffinityPriority)', () => {
  const label1 = { foo: 'bar' };
  const label2 = { key: 'value' };
  const label3 = { az: 'az1' };
  const label4 = { abc: 'az11', def: 'az22' };
  const label5 = { foo: 'bar', key: 'value', az: 'az1' };
  const affinity1 = preferred({ weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } });
  const affinity2 = preferred(
    { weight: 2, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } },
    { weight: 4, preference: { matchExpressions: [expr('key', 'In', ['value'])] } },
    { weight: 5, preference: { matchExpressions: [expr('foo', 'In', ['bar']), expr('key', 'In', ['value']), expr('az', 'In', ['az1'])] } },
  );
  const nodes = (...labels: Array<Record<string, string>>) => labels.map((l, i) => nodeInfo(makeNode(`node${i + 1}`, { labels: l })));
  const scores = (args: unknown, affinity: Affinity | undefined, nis: ReturnType<typeof nodes>) =>
    runScore(factory(args, fakeHandle({})), makePod(affinity ? { affinity } : {}), nis);

  it('all nodes are same priority as NodeAffinity is nil (PreScore skips)', () => {
    expect(scores(undefined, {}, nodes(label1, label2, label3))).toEqual({ skip: true });
  });
  it("no node matches preferred scheduling requirements in NodeAffinity of pod so all nodes' priority is zero", () => {
    expect(scores(undefined, affinity1, nodes(label4, label2, label3))).toEqual([
      { name: 'node1', score: 0 },
      { name: 'node2', score: 0 },
      { name: 'node3', score: 0 },
    ]);
  });
  it('only node1 matches the preferred scheduling requirements of pod', () => {
    expect(scores(undefined, affinity1, nodes(label1, label2, label3))).toEqual([
      { name: 'node1', score: 100 },
      { name: 'node2', score: 0 },
      { name: 'node3', score: 0 },
    ]);
  });
  it('all nodes matches the preferred scheduling requirements of pod but with different priorities', () => {
    // raw: 2, 11, 4 => 2*100/11 = 18, 100, 4*100/11 = 36
    expect(scores(undefined, affinity2, nodes(label1, label5, label2))).toEqual([
      { name: 'node1', score: 18 },
      { name: 'node2', score: 100 },
      { name: 'node3', score: 36 },
    ]);
  });
  const added = { addedAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 3, preference: { matchExpressions: [expr('foo', 'In', ['bar'])] } }] } };
  it('added affinity', () => {
    expect(scores(added, undefined, nodes(label1, label2))).toEqual([
      { name: 'node1', score: 100 },
      { name: 'node2', score: 0 },
    ]);
  });
  it('added affinity and pod has default affinity', () => {
    // raw: 3 + 2 = 5, 4, 3 + 11 = 14 => 35, 28, 100
    expect(scores(added, affinity2, nodes(label1, label2, label5))).toEqual([
      { name: 'node1', score: 35 },
      { name: 'node2', score: 28 },
      { name: 'node3', score: 100 },
    ]);
  });
  it('a preferred term that does not parse makes PreScore fail with an error', () => {
    const plugin = factory(undefined, fakeHandle({})) as NodeAffinity;
    const bad = preferred({ weight: 1, preference: { matchExpressions: [expr('foo', 'Bogus', ['x'])] } });
    const st = plugin.preScore(newCycleState(), newPodInfo(makePod({ affinity: bad })));
    expect(st?.code).toBe(Code.Error);
  });
  it('raw score is the sum of matching weights', () => {
    expect(runScore(factory(undefined, fakeHandle({})), makePod({ affinity: affinity2 }), nodes(label5), { normalize: false })).toEqual([{ name: 'node1', score: 11 }]);
  });
  it('normalized scores stay within [0, 100] (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.subarray(['a', 'b', 'c']), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 3, maxLength: 3 }), (nodeKeys, weights) => {
        const affinity = preferred(...['a', 'b', 'c'].map((k, i) => ({ weight: weights[i]!, preference: { matchExpressions: [expr(k, 'Exists')] } })));
        const nis = nodeKeys.map((ks, i) => nodeInfo(makeNode(`n${i}`, { labels: Object.fromEntries(ks.map((k) => [k, 'v'])) })));
        for (const s of runScore(factory(undefined, fakeHandle({})), makePod({ affinity }), nis) as Array<{ score: number }>) {
          expect(s.score).toBeGreaterThanOrEqual(0);
          expect(s.score).toBeLessThanOrEqual(100);
        }
      }),
    );
  });
});

describe('NodeAffinity queueing hint (Test_isSchedulableAfterNodeChange)', () => {
  const pod = makePod({ affinity: required({ matchExpressions: [expr('foo', 'In', ['bar'])] }) }) as unknown as Stored;
  const n = (labels: Record<string, string>): Stored => makeNode('n', { labels }) as unknown as Stored;
  const plugin = factory(undefined, fakeHandle({})) as NodeAffinity;
  it.each([
    ['node add that matches the pod affinity', undefined, n({ foo: 'bar' }), 'Queue'],
    ["node add that doesn't match the pod affinity", undefined, n({ foo: 'baz' }), 'QueueSkip'],
    ['node update: unmatch -> match', n({ foo: 'baz' }), n({ foo: 'bar' }), 'Queue'],
    ['node update: match -> match', n({ foo: 'bar' }), n({ foo: 'bar', x: 'y' }), 'QueueSkip'],
  ])('%s', (_n, oldObj, newObj, want) => {
    expect(plugin.isSchedulableAfterNodeChange(pod, oldObj as Stored | undefined, newObj)).toBe(want);
  });
  it("node add that doesn't match the added affinity is skipped", () => {
    const p = factory({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('zone', 'In', ['z1'])] }] } } }, fakeHandle({})) as NodeAffinity;
    expect(p.isSchedulableAfterNodeChange(pod, undefined, n({ foo: 'bar' }))).toBe('QueueSkip');
    expect(p.isSchedulableAfterNodeChange(pod, undefined, n({ foo: 'bar', zone: 'z1' }))).toBe('Queue');
  });
});

describe('NodeAffinity args (ValidateNodeAffinityArgs)', () => {
  it('rejects an unknown field', () => {
    expect(() => factory({ addedAffinity: {}, other: 1 }, fakeHandle({}))).toThrow(FieldErrorList);
  });
  it('rejects an invalid added selector, under its path', () => {
    try {
      factory({ addedAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [expr('foo', 'Bogus', ['x'])] }] } } }, fakeHandle({}));
      expect.unreachable('factory should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(FieldErrorList);
      for (const fe of (e as FieldErrorList).errors) expect(fe.path.startsWith('addedAffinity.requiredDuringSchedulingIgnoredDuringExecution')).toBe(true);
    }
  });
  it('accepts absent args', () => {
    expect(factory(undefined, fakeHandle({})).name).toBe('NodeAffinity');
  });
});

