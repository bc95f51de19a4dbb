// The fast path's shared skip sets (framework/cycleState.ts SharedSkipSet,
// Framework.runPreFilterPlugins / runPreScorePlugins) against the sets the
// straight path fills in place: the same members in the same order, the same
// outcomes, the same Filter verdicts, on generated Skip patterns over fresh and
// reused states, including cycles that stop early.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { loadSchedulerConfig } from '../../src/scheduler/config.ts';
import { buildFramework } from '../../src/scheduler/profile.ts';
import type { Framework, FrameworkDeps } from '../../src/scheduler/framework/runtime.ts';
import { Code, Status, type NodeInfo, type Plugin, type PluginFactory, type PodInfo } from '../../src/scheduler/framework/types.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { newCycleState, SharedSkipSet, type CycleStateImpl } from '../../src/scheduler/framework/cycleState.ts';
import { Snapshot } from '../../src/scheduler/framework/snapshot.ts';
import { fakeStoreReader } from '../../src/scheduler/framework/testing.ts';
import { PrioritySort } from '../../src/scheduler/plugins/PrioritySort.ts';
import { DefaultBinder } from '../../src/scheduler/plugins/DefaultBinder.ts';

const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (name: string): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', uid: name }, spec: { containers: [{ name: 'c' }] } });
const nodes = (): NodeInfo[] => ['n0', 'n1', 'n2'].map((n) => new NodeInfoImpl(node(n)));

/** What a plugin does at PreFilter / PreScore in one cycle. */
type Act = 'ok' | 'skip' | 'unschedulable' | 'unresolvable' | 'error';

/** The acts of the running cycle, by plugin index (shared by both frameworks' plugins). */
let preFilterActs: Act[] = [];
let preScoreActs: Act[] = [];

function statusOf(a: Act, name: string): Status | null {
  switch (a) {
    case 'ok':
      return null;
    case 'skip':
      return Status.skip();
    case 'unschedulable':
      return new Status(Code.Unschedulable, [`${name} unschedulable`]);
    case 'unresolvable':
      return new Status(Code.UnschedulableAndUnresolvable, [`${name} unresolvable`]);
    case 'error':
      return Status.error(`${name} failed`);
  }
}

/** Plugin i: PreFilter and PreScore as the cycle's acts say; Filter rejects node n(i mod 3). */
function testPlugin(i: number): PluginFactory {
  const name = `P${i}`;
  return () => {
    const p: Plugin & Record<string, unknown> = {
      name,
      preFilter: () => ({ result: null, status: statusOf(preFilterActs[i] ?? 'ok', name) }),
      filter: (_s: unknown, _p: unknown, ni: NodeInfo) => (ni.node.metadata?.name === `n${i % 3}` ? Status.unschedulable(`${name} says no`) : null),
      preScore: () => statusOf(preScoreActs[i] ?? 'ok', name),
      score: () => 0,
    };
    return p;
  };
}

function framework(count: number, fastPath: boolean): Framework {
  const reg = new Map<string, PluginFactory>([
    ['PrioritySort', () => new PrioritySort()],
    ['DefaultBinder', (_a, h) => new DefaultBinder(h)],
  ]);
  const enabled: Array<{ name: string }> = [{ name: 'PrioritySort' }, { name: 'DefaultBinder' }];
  for (let i = 0; i < count; i++) {
    reg.set(`P${i}`, testPlugin(i));
    enabled.push({ name: `P${i}` });
  }
  const prof = loadSchedulerConfig({ profiles: [{ schedulerName: 's', plugins: { multiPoint: { disabled: [{ name: '*' }], enabled } } }] }).profiles[0]!;
  const snap = new Snapshot(nodes());
  const deps: FrameworkDeps = { snapshot: () => snap, store: () => fakeStoreReader([]), nominator: () => ({ nominatedPodsForNode: () => [] }), now: () => 0, fastPath };
  return buildFramework(prof, 0, reg, deps);
}

/** Everything a cycle's skip sets decide, as plain data. */
function cycle(fw: Framework, state: CycleStateImpl, p: PodInfo, ns: NodeInfo[]): unknown {
  const pre = fw.runPreFilterPlugins(state, p, ns);
  const verdicts = ns.map((ni) => {
    const s = fw.runFilterPlugins(state, p, ni);
    return s === null ? null : [s.plugin, s.code, [...s.reasons]];
  });
  const ps = fw.runPreScorePlugins(state, p, ns);
  const clone = state.clone();
  return {
    pre: [pre.status?.code ?? null, pre.status?.message() ?? null, pre.status?.plugin ?? null, [...pre.unschedulablePlugins]],
    skipFilter: [...state.skipFilterPlugins],
    verdicts,
    preScore: ps === null ? null : [ps.code, ps.message()],
    skipScore: [...state.skipScorePlugins],
    cloneFilter: [...clone.skipFilterPlugins],
    cloneScore: [...clone.skipScorePlugins],
  };
}

const act = fc.constantFrom<Act>('ok', 'ok', 'skip', 'skip', 'skip', 'unschedulable', 'unresolvable', 'error');

describe('shared skip sets (fast path)', () => {
  it('give the members, order, outcomes and Filter verdicts of the sets filled in place', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.record({ pf: fc.array(act, { minLength: 7, maxLength: 7 }), ps: fc.array(act, { minLength: 7, maxLength: 7 }), reuse: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        (count, cycles) => {
          const fast = framework(count, true);
          const straight = framework(count, false);
          const ns = nodes();
          let fastState = newCycleState();
          let straightState = newCycleState();
          for (let c = 0; c < cycles.length; c++) {
            const cy = cycles[c]!;
            if (!cy.reuse) {
              fastState = newCycleState();
              straightState = newCycleState();
            }
            preFilterActs = cy.pf;
            preScoreActs = cy.ps;
            const p = newPodInfo(pod(`p${c}`));
            expect(cycle(fast, fastState, p, ns)).toEqual(cycle(straight, straightState, p, ns));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a shared set refuses changes; a fresh state still has a set of its own', () => {
    const s = new SharedSkipSet(['A', 'B']);
    expect([...s]).toEqual(['A', 'B']);
    expect(() => s.add('C')).toThrow();
    expect(() => s.delete('A')).toThrow();
    expect(() => s.clear()).toThrow();
    const st = newCycleState();
    st.skipFilterPlugins.add('X');
    expect(st.clone().skipFilterPlugins.has('X')).toBe(true);
  });
});
