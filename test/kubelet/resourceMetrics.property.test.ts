/**
 * The kubelet's /metrics/resource answer (stats.ts resourceMetrics): the
 * modelled pods of the summary, in its order, each with its containers' CPU
 * and working set; a node with none answers the shared empty list. Checked
 * against the plain filter-and-map reading of the same summary.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resourceMetrics, type NodeSummary, type PodStats } from '../../src/kubelet/stats.ts';

const containerArb = fc.record({ name: fc.constantFrom('app', 'sidecar', 'init'), cpu: fc.double({ min: 0, max: 4, noNaN: true }), workingSetBytes: fc.nat(1e9) });
const podArb = fc.record({
  modelled: fc.boolean(),
  namespace: fc.constantFrom('default', 'web'),
  name: fc.string({ minLength: 1, maxLength: 8 }),
  containers: fc.array(containerArb, { maxLength: 3 }),
});

function summary(pods: Array<{ modelled: boolean; namespace: string; name: string; containers: Array<{ name: string; cpu: number; workingSetBytes: number }> }>, time: number): NodeSummary {
  const stats = pods.map(
    (p): PodStats => ({
      ...p,
      uid: `uid-${p.name}`,
      startTime: 0,
      containers: p.containers.map((c) => ({ ...c, rootfsBytes: 0, logsBytes: 0 })) as unknown as PodStats['containers'],
      cpu: p.containers.reduce((n, c) => n + c.cpu, 0),
      workingSetBytes: p.containers.reduce((n, c) => n + c.workingSetBytes, 0),
      ephemeralBytes: 0,
      processes: 1,
    }),
  );
  return { nodeName: 'n1', time, cpu: 1.5, memory: { capacityBytes: 8e9, workingSetBytes: 3e9, availableBytes: 5e9 }, pods: stats } as unknown as NodeSummary;
}

describe('resourceMetrics', () => {
  it('serves exactly the modelled pods, in summary order (300 runs)', () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 12 }), fc.nat(1e6), (pods, time) => {
        const s = summary(pods, time);
        const m = resourceMetrics(s);
        expect(m).toEqual({
          nodeName: 'n1',
          time,
          node: { cpu: 1.5, memory: 3e9 },
          pods: s.pods
            .filter((p) => p.modelled)
            .map((p) => ({ namespace: p.namespace, name: p.name, time, containers: p.containers.map((c) => ({ name: c.name, cpu: c.cpu, memory: c.workingSetBytes })) })),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a node with no modelled pod answers one shared, frozen empty list', () => {
    const a = resourceMetrics(summary([{ modelled: false, namespace: 'default', name: 'x', containers: [] }], 1));
    const b = resourceMetrics(summary([], 2));
    expect(a.pods).toEqual([]);
    expect(a.pods).toBe(b.pods);
    expect(Object.isFrozen(a.pods)).toBe(true);
  });
});
