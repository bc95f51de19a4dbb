// Cases from kube-scheduler v1.31 tainttoleration/taint_toleration_test.go
// (TestTaintTolerationFilter, TestTaintTolerationScore, TestIsSchedulableAfterNodeChange).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { factory, isSchedulableAfterNodeChange } from '../../../src/scheduler/plugins/TaintToleration.ts';
import { Code } from '../../../src/scheduler/framework/types.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import type { Stored } from '../../../src/sim/types.ts';
import { makeNode, makePod, nodeInfo, runFilter, runScore } from './pluginTestUtil.ts';

const plugin = factory(undefined, fakeHandle({}));
const taintNode = (n: string, taints: Taint[]) => makeNode(n, { spec: { taints } });
const tolPod = (tolerations: Toleration[]) => makePod({ tolerations });

describe('TaintToleration filter (TestTaintTolerationFilter)', () => {
  const cases: Array<{ name: string; tolerations: Toleration[]; taints: Taint[]; reason?: string }> = [
    {
      name: "A pod having no tolerations can't be scheduled onto a node with nonempty taints",
      tolerations: [],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      reason: 'node(s) had untolerated taint {dedicated: user1}',
    },
    {
      name: 'A pod which can be scheduled on a dedicated node assigned to user1 with effect NoSchedule',
      tolerations: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
    },
    {
      name: "A pod which can't be scheduled on a dedicated node assigned to user2 with effect NoSchedule",
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      reason: 'node(s) had untolerated taint {dedicated: user1}',
    },
    {
      name: 'A pod can be scheduled onto the node, with a toleration uses operator Exists that tolerates the taints on the node',
      tolerations: [{ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
    },
    {
      name: 'A pod has multiple tolerations, node has multiple taints, all the taints are tolerated, pod can be scheduled onto the node',
      tolerations: [
        { key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', operator: 'Exists', effect: 'NoSchedule' },
      ],
      taints: [
        { key: 'dedicated', value: 'user2', effect: 'NoSchedule' },
        { key: 'foo', value: 'bar', effect: 'NoSchedule' },
      ],
    },
    {
      name: "A pod has a toleration that keys and values match the taint on the node, but (non-empty) effect doesn't match, can't be scheduled onto the node",
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      reason: 'node(s) had untolerated taint {foo: bar}',
    },
    {
      name: 'The pod has a toleration that keys and values match the taint on the node, the effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled onto the node',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar' }],
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
    },
    {
      name: "The pod has a toleration that key and value don't match the taint on the node, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
    },
    {
      name: 'The pod has no toleration, but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node',
      tolerations: [],
      taints: [{ key: 'dedicated', value: 'user1', effect: 'PreferNoSchedule' }],
    },
    {
      name: 'NoExecute taints count too; the first untolerated one is reported, an empty value prints empty',
      tolerations: [{ key: 'a', operator: 'Exists' }],
      taints: [
        { key: 'a', value: 'x', effect: 'NoSchedule' },
        { key: 'b', effect: 'NoExecute' },
        { key: 'c', value: 'z', effect: 'NoSchedule' },
      ],
      reason: 'node(s) had untolerated taint {b: }',
    },
    {
      name: 'operator Exists with an empty key tolerates everything',
      tolerations: [{ operator: 'Exists' }],
      taints: [{ key: 'x', value: 'y', effect: 'NoExecute' }],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const v = runFilter(plugin, tolPod(c.tolerations), nodeInfo(taintNode('n1', c.taints)));
      if (c.reason) expect(v).toEqual({ code: Code.UnschedulableAndUnresolvable, reasons: [c.reason] });
      else expect(v).toEqual({ code: Code.Success, reasons: [] });
    });
  }
});

describe('TaintToleration score (TestTaintTolerationScore)', () => {
  const p = (k: string, v: string): Taint => ({ key: k, value: v, effect: 'PreferNoSchedule' });
  const cases: Array<{ name: string; tolerations: Toleration[]; nodes: Taint[][]; want: number[] }> = [
    {
      name: 'node with taints tolerated by the pod, gets a higher score than those node with intolerable taints',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [[p('foo', 'bar')], [p('foo', 'blah')]],
      want: [100, 0],
    },
    {
      name: 'the nodes that all of their taints are tolerated by the pod, get the same score, no matter how many tolerable taints a node has',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'PreferNoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'PreferNoSchedule' },
      ],
      nodes: [[], [p('cpu-type', 'arm64')], [p('cpu-type', 'arm64'), p('disk-type', 'ssd')]],
      want: [100, 100, 100],
    },
    {
      name: 'the more intolerable taints a node has, the lower score it gets.',
      tolerations: [{ key: 'foo', operator: 'Equal', value: 'bar', effect: 'PreferNoSchedule' }],
      nodes: [[], [p('cpu-type', 'arm64')], [p('cpu-type', 'arm64'), p('disk-type', 'ssd')]],
      want: [100, 50, 0],
    },
    {
      name: 'only taints and tolerations that have effect PreferNoSchedule are checked by prioritizeNodes function',
      tolerations: [
        { key: 'cpu-type', operator: 'Equal', value: 'arm64', effect: 'NoSchedule' },
        { key: 'disk-type', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' },
      ],
      nodes: [[], [{ key: 'cpu-type', value: 'arm64', effect: 'NoSchedule' }], [p('cpu-type', 'arm64'), p('disk-type', 'ssd')]],
      want: [100, 100, 0],
    },
    {
      name: 'Default behaviour No taints and tolerations',
      tolerations: [],
      nodes: [[], [p('cpu-type', 'arm64'), p('disk-type', 'ssd')]],
      want: [100, 0],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const nis = c.nodes.map((t, i) => nodeInfo(taintNode(`node${i}`, t)));
      const got = runScore(plugin, tolPod(c.tolerations), nis);
      expect(got).toEqual(c.want.map((s, i) => ({ name: `node${i}`, score: s })));
    });
  }
  it('raw score is the count of intolerable PreferNoSchedule taints', () => {
    const nis = [nodeInfo(taintNode('a', [p('x', '1'), p('y', '2'), { key: 'z', effect: 'NoSchedule' }]))];
    expect(runScore(plugin, tolPod([]), nis, { normalize: false })).toEqual([{ name: 'a', score: 2 }]);
  });
  it('one plugin scores successive pods by their own tolerations, frozen (shared by a template) or not', () => {
    const one = factory(undefined, fakeHandle({}));
    const nis = [nodeInfo(taintNode('a', [p('x', '1'), p('y', '2')]))];
    const frozenX = Object.freeze([Object.freeze({ key: 'x', operator: 'Exists' as const })]) as Toleration[];
    const frozenY = Object.freeze([Object.freeze({ key: 'y', operator: 'Exists' as const })]) as Toleration[];
    const open = [{ key: 'x', operator: 'Exists' as const }] as Toleration[];
    const raw = (t: Toleration[] | undefined) => (runScore(one, t ? tolPod(t) : makePod({}), nis, { normalize: false }) as Array<{ score: number }>)[0]!.score;
    expect(raw(frozenX)).toBe(1);
    expect(raw(frozenX)).toBe(1);
    expect(raw(frozenY)).toBe(1);
    expect(raw(undefined)).toBe(2);
    expect(raw(open)).toBe(1);
    open.push({ key: 'y', operator: 'Exists' });
    expect(raw(open)).toBe(0);
    expect(raw(frozenX)).toBe(1);
  });

  it('normalized scores stay within [0, 100] (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 }), { minLength: 1, maxLength: 6 }), fc.subarray(['a', 'b', 'c', 'd']), (nodes, tol) => {
        const nis = nodes.map((keys, i) => nodeInfo(taintNode(`n${i}`, keys.map((k) => p(k, 'v')))));
        const got = runScore(plugin, tolPod(tol.map((k) => ({ key: k, operator: 'Exists' as const }))), nis) as Array<{ score: number }>;
        for (const s of got) {
          expect(s.score).toBeGreaterThanOrEqual(0);
          expect(s.score).toBeLessThanOrEqual(100);
        }
      }),
    );
  });
});

describe('TaintToleration queueing hint (TestIsSchedulableAfterNodeChange)', () => {
  const pod = makePod({ tolerations: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }] }) as unknown as Stored;
  const n = (taints: Taint[]) => taintNode('n', taints) as unknown as Stored;
  it.each([
    ['node added with untolerated taint', undefined, n([{ key: 'x', value: 'y', effect: 'NoSchedule' }]), 'QueueSkip'],
    ['node added with tolerated taint', undefined, n([{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]), 'Queue'],
    ['node updated: untolerated taint removed', n([{ key: 'x', value: 'y', effect: 'NoSchedule' }]), n([]), 'Queue'],
    ['node updated: still tolerated', n([]), n([{ key: 'foo', value: 'bar', effect: 'NoSchedule' }]), 'QueueSkip'],
  ])('%s', (_n, oldObj, newObj, want) => {
    expect(isSchedulableAfterNodeChange(pod, oldObj as Stored | undefined, newObj as Stored)).toBe(want);
  });
});
