// Pods created in one instant are scheduled in arrival order (issue: the heap's
// layout used to decide ties, popping job-0, job-5, job-4, ... for every seed).
// Upstream's PrioritySort compares time.Now() timestamps, distinct per pod.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { KeyedHeap } from '../../src/scheduler/queue/heap.ts';

const node = (name: string, cpu: string): Node & KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  status: { capacity: { cpu, memory: '16Gi', pods: '110' }, allocatable: { cpu, memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});
const pod = (name: string, priority?: number): Pod & KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox', resources: { requests: { cpu: '1' } } }], ...(priority !== undefined ? { priority } : {}) },
});

function bound(sim: Simulation): string[] {
  return sim.store
    .list<Pod & KObject>('Pod')
    .filter((p) => p.spec?.nodeName)
    .map((p) => p.metadata.name!)
    .sort();
}

describe('scheduling order of pods created together', () => {
  it('six 1-CPU pods on a 3-CPU node: the first three created are bound, for every seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const sim = Simulation.create({ seed });
        sim.use(createScheduler());
        sim.apply([node('n1', '3')]);
        sim.apply(['job-0', 'job-1', 'job-2', 'job-3', 'job-4', 'job-5'].map((n) => pod(n)));
        sim.runUntilQuiet();
        expect(bound(sim)).toEqual(['job-0', 'job-1', 'job-2']);
      }),
      { numRuns: 200 },
    );
  });

  it('priority still comes first; arrival breaks only ties', () => {
    const sim = Simulation.create({ seed: 3 });
    sim.use(createScheduler());
    sim.apply([node('n1', '2')]);
    sim.apply([pod('a'), pod('b'), pod('c', 100)]);
    sim.runUntilQuiet();
    expect(bound(sim)).toEqual(['a', 'c']);
  });
});

describe('KeyedHeap ties', () => {
  it('pops equal items in arrival order whatever the interleaving of deletes and updates', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ op: fc.constantFrom('add', 'delete', 'update', 'pop'), key: fc.integer({ min: 0, max: 30 }), prio: fc.integer({ min: 0, max: 2 }) }), { maxLength: 200 }),
        (ops) => {
          type Item = { key: string; prio: number };
          const heap = new KeyedHeap<Item>((i) => i.key, (a, b) => a.prio > b.prio);
          // Reference: a list kept in arrival order, sorted stably by priority on pop.
          let model: Array<Item & { arrival: number }> = [];
          let arrival = 0;
          for (const o of ops) {
            const key = `k${o.key}`;
            const at = model.findIndex((m) => m.key === key);
            if (o.op === 'add' && at < 0) {
              heap.addOrUpdate({ key, prio: o.prio });
              model.push({ key, prio: o.prio, arrival: arrival++ });
            } else if (o.op === 'update' && at >= 0) {
              heap.addOrUpdate({ key, prio: o.prio });
              model[at] = { ...model[at]!, prio: o.prio };
            } else if (o.op === 'delete') {
              heap.delete(key);
              model = model.filter((m) => m.key !== key);
            } else if (o.op === 'pop') {
              const expected = [...model].sort((a, b) => b.prio - a.prio || a.arrival - b.arrival)[0];
              expect(heap.pop()?.key).toBe(expected?.key);
              if (expected) model = model.filter((m) => m.key !== expected.key);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
