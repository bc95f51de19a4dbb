// Framework runtime semantics after upstream pkg/scheduler/framework/runtime/framework_test.go:
// extension-point ordering, multiPoint expansion, score weighting, PreFilter merging, Skip, nominated pods.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { loadSchedulerConfig } from '../../src/scheduler/config.ts';
import { buildFramework } from '../../src/scheduler/profile.ts';
import type { FrameworkDeps } from '../../src/scheduler/framework/runtime.ts';
import { Code, PreFilterSkip, SkipStatus, Status, type NodeInfo, type Plugin, type PluginFactory, type PodInfo } from '../../src/scheduler/framework/types.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import { newCycleState } from '../../src/scheduler/framework/cycleState.ts';
import { Snapshot } from '../../src/scheduler/framework/snapshot.ts';
import { fakeStoreReader } from '../../src/scheduler/framework/testing.ts';
import { FieldErrorList } from '../../src/api/errors.ts';
import { PrioritySort } from '../../src/scheduler/plugins/PrioritySort.ts';
import { DefaultBinder } from '../../src/scheduler/plugins/DefaultBinder.ts';

const node = (name: string): Node => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (name: string, prio = 0): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', uid: name }, spec: { containers: [{ name: 'c' }], priority: prio } });

function deps(nodes: NodeInfo[], nominated: Map<string, PodInfo[]> = new Map()): FrameworkDeps {
  const snap = new Snapshot(nodes);
  return {
    snapshot: () => snap,
    store: () => fakeStoreReader([]),
    nominator: () => ({ nominatedPodsForNode: (n) => nominated.get(n) ?? [] }),
    now: () => 0,
  };
}

const calls: string[] = [];
/** A configurable test plugin: scores by node index, filters out listed nodes. */
function testPlugin(
  name: string,
  opts: {
    reject?: string[];
    score?: (n: NodeInfo) => number | Status;
    normalize?: boolean;
    preFilterNodes?: string[];
    preFilterSkip?: boolean;
    /** Skip at PreFilter only for pods with these names. */
    preFilterSkipFor?: string[];
    nodeLocal?: boolean;
  } = {},
): PluginFactory {
  return () => {
    const p: Plugin & Record<string, unknown> = {
      name,
      ...(opts.nodeLocal ? { nodeLocal: true } : {}),
      preFilter: (_s: unknown, p: PodInfo) => {
        calls.push(`${name}.preFilter`);
        if (opts.preFilterSkip || opts.preFilterSkipFor?.includes(p.pod.metadata?.name ?? '')) return { result: null, status: Status.skip() };
        return { result: opts.preFilterNodes ? { nodeNames: new Set(opts.preFilterNodes) } : null, status: null };
      },
      filter: (_s: unknown, _p: unknown, ni: NodeInfo) => {
        calls.push(`${name}.filter`);
        return opts.reject?.includes(ni.node.metadata.name!) ? Status.unschedulable(`${name} says no`) : null;
      },
      score: (_s: unknown, _p: unknown, ni: NodeInfo) => (opts.score ? opts.score(ni) : 0),
      ...(opts.normalize
        ? {
            normalizeScore: (_s: unknown, _p: unknown, scores: Array<{ score: number }>) => {
              const max = Math.max(...scores.map((x) => x.score));
              for (const s of scores) s.score = max === 0 ? 0 : Math.floor((s.score * 100) / max);
              return null;
            },
          }
        : {}),
    };
    return p;
  };
}

const baseRegistry = (): Map<string, PluginFactory> =>
  new Map<string, PluginFactory>([
    ['PrioritySort', () => new PrioritySort()],
    ['DefaultBinder', (_a, h) => new DefaultBinder(h)],
  ]);

/** A profile with only PrioritySort + DefaultBinder + the given plugins (multiPoint entries are appended). */
function profile(plugins: { multiPoint?: { enabled: unknown[] } } & Record<string, unknown>) {
  const mp = [{ name: 'PrioritySort' }, { name: 'DefaultBinder' }, ...(plugins.multiPoint?.enabled ?? [])];
  return loadSchedulerConfig({ profiles: [{ schedulerName: 's', plugins: { ...plugins, multiPoint: { disabled: [{ name: '*' }], enabled: mp } } }] }).profiles[0]!;
}

describe('buildFramework', () => {
  it('expands multiPoint into every point a plugin implements, in order, with weights', () => {
    const reg = baseRegistry();
    reg.set('A', testPlugin('A'));
    reg.set('B', testPlugin('B'));
    const prof = loadSchedulerConfig({
      profiles: [{ schedulerName: 's', plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'PrioritySort' }, { name: 'A', weight: 3 }, { name: 'B' }, { name: 'DefaultBinder' }] }, score: { enabled: [{ name: 'B', weight: 7 }] }, filter: { disabled: [{ name: 'A' }] } } }],
    }).profiles[0]!;
    const fw = buildFramework(prof, 0, reg, deps([]));
    expect(fw.plugins.filter.map((p) => p.name)).toEqual(['B']);
    expect(fw.plugins.preFilter.map((p) => p.name)).toEqual(['A', 'B']);
    // B is explicitly configured at score: it comes first (upstream "override" part), then multiPoint ones.
    expect(fw.plugins.score.map((p) => p.name)).toEqual(['B', 'A']);
    expect(fw.scoreWeights).toEqual([7, 3]);
  });

  it('treats weight 0/unset as 1 (upstream getScoreWeights)', () => {
    const reg = baseRegistry();
    reg.set('A', testPlugin('A'));
    const fw = buildFramework(profile({ score: { enabled: [{ name: 'A', weight: 0 }] } }), 0, reg, deps([]));
    expect(fw.scoreWeights).toEqual([1]);
  });

  it('reports unknown plugins, missing queue sort and negative weights with paths', () => {
    const reg = baseRegistry();
    expect(() => buildFramework(profile({ filter: { enabled: [{ name: 'Nope' }] } }), 0, reg, deps([]))).toThrow(
      'profiles[0].plugins.filter.enabled[0]: Invalid value: FilterPlugin "Nope" does not exist',
    );
    const noSort = loadSchedulerConfig({ profiles: [{ schedulerName: 's', plugins: { multiPoint: { disabled: [{ name: '*' }], enabled: [{ name: 'DefaultBinder' }] } } }] }).profiles[0]!;
    expect(() => buildFramework(noSort, 0, reg, deps([]))).toThrow('only one queue sort plugin required for profile with scheduler name "s", but got 0');
    reg.set('A', testPlugin('A'));
    try {
      buildFramework(profile({ score: { enabled: [{ name: 'A', weight: -1 }] } }), 0, reg, deps([]));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FieldErrorList);
      expect((e as FieldErrorList).errors[0]!.path).toBe('profiles[0].plugins.score.enabled[0].weight');
    }
  });

  it('reports a plugin enabled at a point it does not implement', () => {
    const reg = baseRegistry();
    expect(() => buildFramework(profile({ filter: { enabled: [{ name: 'PrioritySort' }] } }), 0, reg, deps([]))).toThrow('plugin "PrioritySort" does not extend FilterPlugin plugin');
  });
});

describe('Framework run semantics', () => {
  const nodes = () => ['n0', 'n1', 'n2'].map((n, i) => new NodeInfoImpl(node(n), i));

  it('runs filters in order and stops at the first failure, naming the plugin', () => {
    calls.length = 0;
    const reg = baseRegistry();
    reg.set('A', testPlugin('A', { reject: ['n1'] }));
    reg.set('B', testPlugin('B', { reject: ['n1', 'n2'] }));
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A' }, { name: 'B' }] } }), 0, reg, deps(nodes()));
    const st = newCycleState();
    const ns = nodes();
    const s1 = fw.runFilterPlugins(st, newPodInfo(pod('p')), ns[1]!);
    expect(s1!.plugin).toBe('A');
    expect(calls).toEqual(['A.filter']);
    const s2 = fw.runFilterPlugins(st, newPodInfo(pod('p')), ns[2]!);
    expect(s2!.plugin).toBe('B');
    expect(s2!.reasons).toEqual(['B says no']);
    expect(fw.runFilterPlugins(st, newPodInfo(pod('p')), ns[0]!)).toBeNull();
  });

  it('intersects PreFilterResults and fails when nothing is left', () => {
    const reg = baseRegistry();
    reg.set('A', testPlugin('A', { preFilterNodes: ['n0', 'n1'] }));
    reg.set('B', testPlugin('B', { preFilterNodes: ['n1', 'n2'] }));
    reg.set('C', testPlugin('C', { preFilterNodes: ['n2'] }));
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A' }, { name: 'B' }] } }), 0, reg, deps(nodes()));
    const out = fw.runPreFilterPlugins(newCycleState(), newPodInfo(pod('p')), nodes());
    expect([...out.result!.nodeNames!]).toEqual(['n1']);
    expect([...out.unschedulablePlugins]).toEqual(['A', 'B']);
    const fw2 = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A' }, { name: 'C' }] } }), 0, reg, deps(nodes()));
    const out2 = fw2.runPreFilterPlugins(newCycleState(), newPodInfo(pod('p')), nodes());
    expect(out2.status!.code).toBe(Code.UnschedulableAndUnresolvable);
    expect(out2.status!.reasons).toEqual(["node(s) didn't satisfy plugin(s) [A C] simultaneously"]);
  });

  it('PreFilter Skip skips the plugin Filter for the cycle', () => {
    calls.length = 0;
    const reg = baseRegistry();
    reg.set('A', testPlugin('A', { preFilterSkip: true, reject: ['n0'] }));
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A' }] } }), 0, reg, deps(nodes()));
    const st = newCycleState();
    fw.runPreFilterPlugins(st, newPodInfo(pod('p')), nodes());
    expect(fw.runFilterPlugins(st, newPodInfo(pod('p')), nodes()[0]!)).toBeNull();
    expect(calls).toEqual(['A.preFilter']);
  });

  it('filters with the plugins this cycle did not skip, when another cycle skipped as many others', () => {
    // The active-Filter list is kept between cycles that skip the same plugins:
    // a refilled skip set of the same size (the same state reused, or a new one)
    // must still be compared by its members.
    const reg = baseRegistry();
    reg.set('A', testPlugin('A', { preFilterSkipFor: ['skipsA', 'alsoSkipsA'], reject: ['n0'] }));
    reg.set('B', testPlugin('B', { preFilterSkipFor: ['skipsB'], reject: ['n0'] }));
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A' }, { name: 'B' }] } }), 0, reg, deps(nodes()));
    const n0 = nodes()[0]!;
    const rejector = (st: ReturnType<typeof newCycleState>, name: string): string | undefined => {
      const p = newPodInfo(pod(name));
      fw.runPreFilterPlugins(st, p, nodes());
      return fw.runFilterPlugins(st, p, n0)?.plugin;
    };
    const reused = newCycleState();
    expect(rejector(reused, 'skipsA')).toBe('B');
    expect(rejector(reused, 'skipsB')).toBe('A');
    expect(rejector(reused, 'skipsA')).toBe('B');
    expect(rejector(newCycleState(), 'alsoSkipsA')).toBe('B');
    expect(rejector(newCycleState(), 'skipsB')).toBe('A');
    expect(rejector(newCycleState(), 'neither')).toBe('A');
  });

  it('the shared Skip answer cannot be changed by one plugin for all', () => {
    expect(SkipStatus.code).toBe(Code.Skip);
    expect(PreFilterSkip.status).toBe(SkipStatus);
    expect(() => SkipStatus.withPlugin('NodePorts')).toThrow(TypeError);
    expect(() => SkipStatus.reasons.push('x')).toThrow(TypeError);
    expect(SkipStatus.plugin).toBe('');
  });

  it('sums normalized scores times weights (upstream RunScorePlugins)', () => {
    const reg = baseRegistry();
    reg.set('A', testPlugin('A', { score: (n) => n.index * 10, normalize: true }));
    reg.set('B', testPlugin('B', { score: (n) => 100 - n.index * 50 }));
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A', weight: 2 }, { name: 'B', weight: 1 }] } }), 0, reg, deps(nodes()));
    const totals = new Float64Array(3);
    const detail = { plugins: [] as string[], weights: [] as number[], raw: [] as number[][], normalized: [] as number[][] };
    expect(fw.runScorePlugins(newCycleState(), newPodInfo(pod('p')), nodes(), totals, detail)).toBeNull();
    // A raw 0,10,20 -> normalized 0,50,100 (x2); B 100,50,0 (x1)
    expect([...totals]).toEqual([100, 150, 200]);
    expect(detail.raw[0]).toEqual([0, 10, 20]);
    expect(detail.normalized[0]).toEqual([0, 50, 100]);
  });

  it('rejects scores outside [0, 100] after normalization', () => {
    const reg = baseRegistry();
    reg.set('A', testPlugin('A', { score: () => 101 }));
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A' }] } }), 0, reg, deps(nodes()));
    const s = fw.runScorePlugins(newCycleState(), newPodInfo(pod('p')), nodes(), new Float64Array(3));
    expect(s!.message()).toBe('plugin "A" returns an invalid score 101, it should in the range of [0, 100] after normalizing');
  });

  // The fast path scores node-local plugins in one pass (framework/fusedScores.ts); errors
  // and invalid scores must still come out as plugin-by-plugin scoring gives them.
  describe('node-local plugins scored in one pass', () => {
    const run = (fastPath: boolean, a: (n: NodeInfo) => number | Status, b: (n: NodeInfo) => number | Status, c: (n: NodeInfo) => number | Status) => {
      const reg = baseRegistry();
      reg.set('A', testPlugin('A', { score: a, normalize: true, nodeLocal: true }));
      reg.set('B', testPlugin('B', { score: b, nodeLocal: true }));
      reg.set('C', testPlugin('C', { score: c, nodeLocal: true }));
      const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'A', weight: 2 }, { name: 'B', weight: 3 }, { name: 'C' }] } }), 0, reg, { ...deps(nodes()), fastPath });
      const totals = new Float64Array(3);
      const st = fw.runScorePlugins(newCycleState(), newPodInfo(pod('p')), nodes(), totals);
      return st === null ? [...totals] : st.message();
    };
    const both = (a: (n: NodeInfo) => number | Status, b: (n: NodeInfo) => number | Status, c: (n: NodeInfo) => number | Status) => {
      const slow = run(false, a, b, c);
      expect(run(true, a, b, c)).toEqual(slow);
      return slow;
    };
    it('sums as plugin by plugin', () => {
      // A raw 0,10,20 -> 0,50,100 (x2); B 100,50,0 (x3); C 7 everywhere.
      expect(both((n) => n.index * 10, (n) => 100 - n.index * 50, () => 7)).toEqual([307, 257, 207]);
    });
    it('reports the first plugin in order with an invalid score, before a later plugin\'s error', () => {
      expect(both(() => 1, (n) => (n.index === 2 ? 101 : 1), (n) => (n.index === 0 ? Status.error('boom') : 1))).toBe(
        'plugin "B" returns an invalid score 101, it should in the range of [0, 100] after normalizing',
      );
    });
    it("reports a Score error of a later plugin when the earlier ones are clean", () => {
      expect(both(() => 1, () => 1, (n) => (n.index === 1 ? Status.error('boom') : 1))).toBe('plugin "C" failed with: boom');
    });
    it('reports an invalid score after normalisation', () => {
      expect(both((n) => (n.index === 1 ? -10 : 5), () => 1, () => 1)).toBe('plugin "A" returns an invalid score -200, it should in the range of [0, 100] after normalizing');
    });
  });

  it('filters twice with nominated pods of equal or higher priority (upstream RunFilterPluginsWithNominatedPods)', () => {
    // Fit-like filter: the node holds 2 pods at most.
    const seen: number[] = [];
    const reg = baseRegistry();
    reg.set('Cap', () => ({
      name: 'Cap',
      filter: (_s: unknown, _p: unknown, ni: NodeInfo) => {
        seen.push(ni.pods.length);
        return ni.pods.length >= 2 ? Status.unschedulable('full') : null;
      },
    }) as Plugin);
    const ns = nodes();
    ns[0]!.addPod(newPodInfo(pod('running')));
    const nominated = new Map([['n0', [newPodInfo(pod('hi', 10)), newPodInfo(pod('lo', -5))]]]);
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'Cap' }] } }), 0, reg, deps(ns, nominated));
    // Priority 0: only "hi" counts -> 2 pods -> rejected in the first pass.
    expect(fw.runFilterPluginsWithNominatedPods(newCycleState(), newPodInfo(pod('p', 0)), ns[0]!)!.reasons).toEqual(['full']);
    expect(seen).toEqual([2]);
    // Priority 20: no nominated pod counts -> single pass.
    seen.length = 0;
    expect(fw.runFilterPluginsWithNominatedPods(newCycleState(), newPodInfo(pod('p', 20)), ns[0]!)).toBeNull();
    expect(seen).toEqual([1]);
    // The live NodeInfo was not changed by the what-if.
    expect(ns[0]!.pods.length).toBe(1);
  });

  it('unreserves in reverse order when a Reserve plugin fails', () => {
    const order: string[] = [];
    const mk = (name: string, fail: boolean): PluginFactory => () =>
      ({
        name,
        reserve: () => {
          order.push(`reserve ${name}`);
          return fail ? Status.unschedulable('no') : null;
        },
        unreserve: () => order.push(`unreserve ${name}`),
      }) as unknown as Plugin;
    const reg = baseRegistry();
    reg.set('R1', mk('R1', false));
    reg.set('R2', mk('R2', true));
    const fw = buildFramework(profile({ multiPoint: { enabled: [{ name: 'R1' }, { name: 'R2' }] } }), 0, reg, deps([]));
    const st = newCycleState();
    const s = fw.runReservePluginsReserve(st, newPodInfo(pod('p')), 'n0');
    expect(s!.plugin).toBe('R2');
    fw.runReservePluginsUnreserve(st, newPodInfo(pod('p')), 'n0');
    expect(order).toEqual(['reserve R1', 'reserve R2', 'unreserve R2', 'unreserve R1']);
  });
});
