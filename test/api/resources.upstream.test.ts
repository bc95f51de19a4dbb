// Upstream table cases for pod resource math, ported as data from
// k8s.io/component-helpers/resource helpers_test.go (TestPodRequestsAndLimits,
// TestPodRequestsAndLimitsWithoutOverhead, TestPodResourceRequests, TestPodResourceLimits).
// Cases that need in-place resize status (UseStatusResources) or pod-level resources
// (v1.32+) are left out: neither is part of the v1.31 model.
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { podLimits, podRequests, resourceMapToList, type ResourceMap } from '../../src/api/resources.ts';
import { Quantity } from '../../src/api/quantity.ts';

type RL = Record<string, string>;
interface C { req?: RL; lim?: RL; always?: boolean }
interface Case {
  name: string;
  containers?: C[];
  init?: C[];
  overhead?: RL;
  excludeOverhead?: boolean;
  requests?: RL;
  limits?: RL;
}

function mk(cs: C[] | undefined, prefix: string): Container[] {
  return (cs ?? []).map((c, i) => {
    const out: Container = { name: `${prefix}${i}`, resources: { ...(c.req ? { requests: c.req } : {}), ...(c.lim ? { limits: c.lim } : {}) } };
    if (c.always) (out as { restartPolicy?: string }).restartPolicy = 'Always';
    return out;
  });
}

function build(tc: Case): Pod {
  return { spec: { containers: mk(tc.containers, 'c'), initContainers: mk(tc.init, 'i'), ...(tc.overhead ? { overhead: tc.overhead } : {}) } };
}

// Semantic equality: same resource names, each quantity Cmp == 0 (as equality.Semantic).
function expectSemantic(got: ResourceMap, want: RL): void {
  expect([...got.keys()].sort()).toEqual(Object.keys(want).sort());
  for (const [k, v] of Object.entries(want)) expect(got.get(k)!.cmp(Quantity.parse(v)), `${k}: ${got.get(k)!.toString()} vs ${v}`).toBe(0);
}

// getPod(name, podResources) from helpers_test.go: one container, plus overhead.
const single = (req: RL, lim: RL, overhead?: RL): Case => ({ name: '', containers: [{ req, lim }], ...(overhead ? { overhead } : {}) });

const twoContainers: C[] = [
  { req: { cpu: '1', memory: '5' }, lim: { cpu: '2', memory: '10' } },
  { req: { cpu: '4', memory: '12' }, lim: { cpu: '8', memory: '24' } },
];

const cases: Case[] = [
  // TestPodRequestsAndLimits
  { ...single({}, { cpu: '9' }), name: 'just-limit-no-overhead', requests: {}, limits: { cpu: '9' } },
  { ...single({}, {}, { cpu: '5', memory: '5' }), name: 'just-overhead', requests: { cpu: '5', memory: '5' }, limits: {} },
  { ...single({ cpu: '1', memory: '10' }, {}, { cpu: '5', memory: '5' }), name: 'req-and-overhead', requests: { cpu: '6', memory: '15' }, limits: {} },
  {
    ...single({ cpu: '1', memory: '10' }, { cpu: '2', memory: '12' }, { cpu: '5', memory: '5' }),
    name: 'all-req-lim-and-overhead',
    requests: { cpu: '6', memory: '15' },
    limits: { cpu: '7', memory: '17' },
  },
  {
    ...single({ cpu: '1', memory: '10' }, { cpu: '2' }, { cpu: '5', memory: '5' }),
    name: 'req-some-lim-and-overhead',
    requests: { cpu: '6', memory: '15' },
    limits: { cpu: '7' },
  },
  // TestPodRequestsAndLimitsWithoutOverhead (ExcludeOverhead: true)
  { name: 'two container no overhead - should just be sum of containers', containers: twoContainers, excludeOverhead: true, requests: { cpu: '5', memory: '17' }, limits: { cpu: '10', memory: '34' } },
  {
    name: "two container with overhead - shouldn't consider overhead",
    containers: twoContainers,
    overhead: { cpu: '3', memory: '8' },
    excludeOverhead: true,
    requests: { cpu: '5', memory: '17' },
    limits: { cpu: '10', memory: '34' },
  },
  {
    name: 'two container with overhead, massive init - should just be the largest init',
    containers: twoContainers,
    init: [
      { req: { cpu: '1', memory: '5' }, lim: { cpu: '1', memory: '5' } },
      { req: { cpu: '40', memory: '120' }, lim: { cpu: '80', memory: '240' } },
    ],
    overhead: { cpu: '3', memory: '8' },
    excludeOverhead: true,
    requests: { cpu: '40', memory: '120' },
    limits: { cpu: '80', memory: '240' },
  },
];

// TestPodResourceRequests / TestPodResourceLimits share their spec-only cases; `k` picks requests or limits.
function sidecarCases(k: 'req' | 'lim'): Array<{ name: string; init?: C[]; containers: C[]; overhead?: RL; excludeOverhead?: boolean; want: RL }> {
  const r = (cpu: string): C => ({ [k]: { cpu } });
  const s = (cpu: string): C => ({ [k]: { cpu }, always: true });
  return [
    { name: 'nil options, larger init container', init: [r('4')], containers: [r('1')], want: { cpu: '4' } },
    { name: 'nil options, larger containers', init: [r('2')], containers: [r('2'), r('3')], want: { cpu: '5' } },
    { name: 'pod overhead excluded', init: [r('2')], containers: [r('2'), r('3')], overhead: { cpu: '1' }, excludeOverhead: true, want: { cpu: '5' } },
    {
      name: 'pod overhead included',
      init: [r('2')],
      containers: [r('2'), r('3')],
      overhead: { cpu: '1', memory: '1Gi' },
      // requests get all overhead; limits only where a non-zero limit exists (no memory limit)
      want: k === 'req' ? { cpu: '6', memory: '1Gi' } : { cpu: '6' },
    },
    { name: 'restartable init container', init: [s('1')], containers: [r('1')], want: { cpu: '2' } },
    // max(5, restartable init containers(3+2+1) + regular(1)) = 7
    { name: 'multiple restartable init containers', init: [r('5'), s('1'), s('2'), s('3')], containers: [r('1')], want: { cpu: '7' } },
    // init-2 needs 5 + the sidecars started before it (1+2) = 8; the one after it does not count
    { name: 'multiple restartable and regular init containers', init: [r('5'), s('1'), s('2'), r('5'), s('3')], containers: [r('1')], want: { cpu: '8' } },
    { name: 'restartable-init, init and regular', init: [s('10'), r('200')], containers: [r('100')], want: { cpu: '210' } },
  ];
}

describe('component-helpers PodRequests/PodLimits tables (helpers_test.go)', () => {
  for (const tc of cases) {
    it(tc.name, () => {
      const p = build(tc);
      const opts = { excludeOverhead: tc.excludeOverhead === true };
      expectSemantic(podRequests(p, opts), tc.requests!);
      expectSemantic(podLimits(p, opts), tc.limits!);
    });
  }
  for (const k of ['req', 'lim'] as const) {
    for (const tc of sidecarCases(k)) {
      it(`${k === 'req' ? 'TestPodResourceRequests' : 'TestPodResourceLimits'}: ${tc.name}`, () => {
        const p = build({ name: tc.name, containers: tc.containers, ...(tc.init ? { init: tc.init } : {}), ...(tc.overhead ? { overhead: tc.overhead } : {}) });
        const opts = { excludeOverhead: tc.excludeOverhead === true };
        expectSemantic(k === 'req' ? podRequests(p, opts) : podLimits(p, opts), tc.want);
      });
    }
  }
  it('TestPodResourceLimits: no limited containers, one limited + one unlimited (init or app)', () => {
    expectSemantic(podLimits(build({ name: '', containers: [{}] })), {});
    expectSemantic(podLimits(build({ name: '', containers: [{ lim: { cpu: '2', memory: '2Gi' } }, {}] })), { cpu: '2', memory: '2Gi' });
    // an unlimited init container does not make the pod unlimited: its (absent) limit is just not in the max
    expectSemantic(podLimits(build({ name: '', init: [{ lim: { cpu: '2', memory: '2Gi' } }, {}], containers: [{ lim: { cpu: '1', memory: '1Gi' } }] })), { cpu: '2', memory: '2Gi' });
  });
  it('sums keep a canonical rendering (resource.Quantity Add)', () => {
    expect(resourceMapToList(podRequests(build({ name: '', containers: [{ req: { memory: '512Mi' } }, { req: { memory: '1536Mi' } }] })))).toEqual({ memory: '2Gi' });
  });
});
