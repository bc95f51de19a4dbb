// End-to-end scheduling on a Simulation, after upstream schedule_one.go behaviour:
// binding, FitError/FailedScheduling, PodScheduled condition, profiles, determinism.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler, type Scheduler } from '../../src/scheduler/scheduler.ts';
import { explainPod } from '../../src/scheduler/explain/explain.ts';
import type { AttemptRecord } from '../../src/scheduler/explain/record.ts';

const node = (name: string, cpu = '4', extra: Partial<Node['spec']> = {}, labels: Record<string, string> = {}): Node & KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
  spec: { ...extra },
  status: { capacity: { cpu, memory: '16Gi', pods: '110' }, allocatable: { cpu, memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});
const pod = (name: string, cpu = '1', spec: Partial<NonNullable<Pod['spec']>> = {}): Pod & KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu } } }], ...spec },
});

function getPod(sim: Simulation, name: string): Pod {
  return sim.store.get<Pod & KObject>('Pod', 'default', name)!;
}

describe('scheduler on a Simulation', () => {
  it('binds pods with a Scheduled event and PodScheduled=True', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler());
    sim.apply([node('n1'), node('n2')]);
    sim.apply([pod('a'), pod('b')]);
    sim.runUntilQuiet();
    for (const n of ['a', 'b']) {
      const p = getPod(sim, n);
      expect(p.spec!.nodeName).toMatch(/^n[12]$/);
      const c = p.status!.conditions!.find((x) => x.type === 'PodScheduled')!;
      expect(c.status).toBe('True');
      const ev = sim.events().find((e) => e.reason === 'Scheduled' && e.involvedObject.name === n)!;
      expect(ev.message).toBe(`Successfully assigned default/${n} to ${p.spec!.nodeName}`);
      expect(ev.source.component).toBe('default-scheduler');
      expect(ev.type).toBe('Normal');
    }
  });

  it('reports a FitError with FailedScheduling and PodScheduled=False', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler());
    sim.apply([node('n1'), node('n2'), node('n3')]);
    sim.apply(pod('big', '8'));
    sim.runUntilQuiet();
    const p = getPod(sim, 'big');
    expect(p.spec!.nodeName).toBeUndefined();
    const c = p.status!.conditions!.find((x) => x.type === 'PodScheduled')!;
    expect(c.status).toBe('False');
    expect(c.reason).toBe('Unschedulable');
    expect(c.message!.startsWith('0/3 nodes are available: 3 Insufficient cpu.')).toBe(true);
    const ev = sim.events().filter((e) => e.reason === 'FailedScheduling');
    expect(ev.length).toBe(1);
    expect(ev[0]!.type).toBe('Warning');
    expect(ev[0]!.message.startsWith('0/3 nodes are available: 3 Insufficient cpu.')).toBe(true);
    expect(ev[0]!.source.component).toBe('default-scheduler');
  });

  it('says "no nodes available to schedule pods" without nodes', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler());
    sim.apply(pod('a'));
    sim.runUntil(500);
    const ev = sim.events().find((e) => e.reason === 'FailedScheduling')!;
    expect(ev.message).toBe('no nodes available to schedule pods');
  });

  it('leaves pods of other schedulers alone', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler());
    sim.apply(node('n1'));
    sim.apply(pod('other', '1', { schedulerName: 'my-scheduler' }));
    sim.runUntilQuiet();
    const p = getPod(sim, 'other');
    expect(p.spec!.nodeName).toBeUndefined();
    expect(p.status?.conditions ?? []).toEqual([]);
    expect(sim.events().filter((e) => e.involvedObject.name === 'other')).toEqual([]);
  });

  it('serves several profiles', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler({ config: { profiles: [{ schedulerName: 'default-scheduler' }, { schedulerName: 'my-scheduler' }] } }));
    sim.apply(node('n1'));
    sim.apply(pod('other', '1', { schedulerName: 'my-scheduler' }));
    sim.runUntilQuiet();
    expect(getPod(sim, 'other').spec!.nodeName).toBe('n1');
    expect(sim.events().find((e) => e.reason === 'Scheduled')!.source.component).toBe('my-scheduler');
  });

  it('retries an unschedulable pod when a node is added', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler());
    sim.apply(node('n1', '1'));
    sim.apply(pod('p', '2'));
    sim.runUntil(2000);
    expect(getPod(sim, 'p').spec!.nodeName).toBeUndefined();
    sim.apply(node('n2', '4'));
    sim.runUntil(20000);
    expect(getPod(sim, 'p').spec!.nodeName).toBe('n2');
  });

  it('keeps gated pods out with the SchedulingGated condition until the gates go', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.use(createScheduler());
    sim.apply(node('n1'));
    sim.apply(pod('g', '1', { schedulingGates: [{ name: 'wait' }] }));
    sim.runUntil(1000);
    let p = getPod(sim, 'g');
    expect(p.spec!.nodeName).toBeUndefined();
    expect(p.status!.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }),
    ]);
    sim.store.patch<Pod & KObject>('Pod', 'default', 'g', (d) => {
      d.spec!.schedulingGates = [];
    });
    sim.runUntil(5000);
    p = getPod(sim, 'g');
    expect(p.spec!.nodeName).toBe('n1');
  });

  it('fills pods onto nodes respecting capacity, deterministically for a seed', () => {
    const run = (seed: number) => {
      const sim = Simulation.create({ seed });
      const records: AttemptRecord[] = [];
      sim.use(createScheduler({ recorder: { record: (r) => records.push(r) } }));
      sim.apply(['a', 'b', 'c', 'd'].map((n) => node(n, '2')));
      sim.apply(Array.from({ length: 9 }, (_, i) => pod(`p${i}`, '1')));
      sim.runUntilQuiet();
      const placement = Array.from({ length: 9 }, (_, i) => getPod(sim, `p${i}`).spec?.nodeName ?? '-');
      return { placement, records };
    };
    const r1 = run(7);
    const r2 = run(7);
    expect(r1.placement).toEqual(r2.placement);
    const perNode = new Map<string, number>();
    for (const n of r1.placement) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    expect(perNode.get('-')).toBe(1);
    for (const n of ['a', 'b', 'c', 'd']) expect(perNode.get(n)).toBe(2);
    // Recorder: one record per attempt, with filter and score details.
    expect(r1.records.length).toBeGreaterThanOrEqual(9);
    const first = r1.records[0]!;
    expect(first.nodesTotal).toBe(4);
    expect(first.filter.length).toBe(4);
    expect(first.scores.some((s) => s.plugin === 'NodeResourcesFit')).toBe(true);
    expect(first.chosen).toBeDefined();
  });

  it('explainPod evaluates every node without side effects', () => {
    const sim = Simulation.create({ seed: 1 });
    const s: Scheduler = createScheduler();
    sim.use(s);
    sim.apply([node('n1', '1'), node('n2', '4'), node('n3', '4', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })]);
    sim.apply(pod('p', '2', { schedulerName: 'nobody' }));
    sim.runUntilQuiet();
    expect(() => explainPod(sim, 'default/p')).toThrow('no profile serves schedulerName "nobody"');
    sim.apply(pod('q', '8'));
    sim.runUntilQuiet();
    const before = sim.store.get('Pod', 'default', 'q');
    const nEvents = sim.events().length;
    const r = explainPod(sim, 'default/q');
    expect(r.nodesEvaluated).toBe(3);
    expect(r.filter.map((f) => [f.node, f.plugin]).sort()).toEqual([
      ['n1', 'NodeResourcesFit'],
      ['n2', 'NodeResourcesFit'],
      ['n3', 'TaintToleration'],
    ]);
    expect(r.error).toBe('0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.');
    expect(sim.store.get('Pod', 'default', 'q')).toBe(before);
    expect(sim.events().length).toBe(nEvents);
    // A pod that fits: all feasible nodes scored, the best reported.
    sim.apply(pod('r', '500m', { schedulerName: 'nobody' }));
    sim.runUntilQuiet();
    const standalone = explainPod({ store: sim.store, now: sim.now }, 'default/q');
    expect(standalone.error).toBe(r.error);
  });
});
