/**
 * Property: a node outage with taint-based eviction and pod GC runs
 * byte-identically for one seed (run log and final objects), whatever the
 * outage time, the pods' tolerations and the seed.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { RunLogRecord } from '../../src/sim/types.ts';
import { node, pod } from './helpers.ts';

interface Params {
  seed: number;
  downAt: number;
  deleteNodeAt: number;
  tolerationSeconds: number[];
}

function run(p: Params): string {
  const lines: string[] = [];
  const sim = Simulation.create({ seed: p.seed, log: { write: (r: RunLogRecord) => void lines.push(JSON.stringify(r)) } });
  startComponents(sim, {});
  sim.apply([node('n1', { 'topology.kubernetes.io/zone': 'a' }), node('n2', { 'topology.kubernetes.io/zone': 'a' }), node('n3', { 'topology.kubernetes.io/zone': 'a' })]);
  p.tolerationSeconds.forEach((s, i) =>
    sim.apply(pod(`web-${i}`, `n${(i % 2) + 1}`, { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: s }] })),
  );
  sim.runUntil(p.downAt);
  sim.store.patch('Node', '', 'n1', (d) => {
    d.metadata.annotations = { ...(d.metadata.annotations ?? {}), 'ksim.dev/kubelet': 'stopped' };
  });
  sim.runUntil(p.deleteNodeAt);
  sim.store.delete('Node', '', 'n1');
  sim.runUntil(p.deleteNodeAt + 45_000);
  lines.push(JSON.stringify([...sim.snapshot()]));
  return lines.join('\n');
}

describe('node health determinism', () => {
  it('property: the same inputs and seed give a byte-identical run', () => {
    const params = fc.record({
      seed: fc.integer({ min: 0, max: 1000 }),
      downAt: fc.integer({ min: 1, max: 20_000 }),
      deleteNodeAt: fc.integer({ min: 60_000, max: 120_000 }),
      tolerationSeconds: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 2 }),
    });
    fc.assert(
      fc.property(params, (p) => {
        const a = run(p);
        const b = run(p);
        return a === b && a.includes('"type":"delete","kind":"Node"');
      }),
      { numRuns: 200, seed: 11 },
    );
  });

  it('the outage leads to evictions within the run (the property is not vacuous)', () => {
    const out = run({ seed: 1, downAt: 1000, deleteNodeAt: 120_000, tolerationSeconds: [0, 30] });
    expect(out).toContain('Marking for deletion Pod default/web-0');
    expect(out).toContain('DeletionByTaintManager');
  });
});
