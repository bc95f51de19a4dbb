/**
 * The taint eviction controller's work event handles the pods queued since
 * the last one only when some node carries a NoExecute taint or a deletion is
 * scheduled (skipQuietPods): otherwise each item's handling finds nothing to
 * do. Property: generated scenarios (nodes tainted and untainted with NoExecute
 * taints, pods created bound or unbound and bound later, with or without
 * tolerations and tolerationSeconds, deleted gracefully or at once, status
 * updates, waits of a few ms to minutes) give the same run log (every write and
 * Event, in order), scheduled deletions and final objects with the skipping on
 * and off.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import { startApiServer } from '../../src/components.ts';
import { createTaintEvictionController } from '../../src/controllers/tainteviction/taintEvictionController.ts';
import type { KObject } from '../../src/sim/types.ts';
import { pod, type PodObj } from './helpers.ts';

type Op =
  | { op: 'wait'; ms: number }
  | { op: 'taint'; n: number; keys: string[] }
  | { op: 'pod'; p: number; n: number; bound: boolean; tolerate: 'none' | 'forever' | 'seconds'; seconds: number }
  | { op: 'bind'; p: number; n: number }
  | { op: 'status'; p: number }
  | { op: 'delete'; p: number; grace: number };

const NODES = 3;
const PODS = 8;

function setTaints(sim: Simulation, n: number, keys: readonly string[]): void {
  const taints: Taint[] = keys.map((key) => ({ key, effect: 'NoExecute' }));
  sim.store.patch<KObject & { spec?: { taints?: Taint[] } }>(
    'Node',
    '',
    `n${n}`,
    (d) => {
      const spec = (d.spec ??= {});
      if (taints.length === 0) delete spec.taints;
      else spec.taints = taints;
    },
    { actor: 'test' },
  );
}

function apply(sim: Simulation, o: Op): void {
  switch (o.op) {
    case 'wait':
      sim.runUntil(sim.now + o.ms);
      return;
    case 'taint':
      setTaints(sim, o.n, o.keys);
      return;
    case 'pod': {
      if (sim.store.get('Pod', 'default', `p${o.p}`)) return;
      const tolerations: Toleration[] | undefined =
        o.tolerate === 'none' ? undefined : [{ key: 'a', operator: 'Exists', effect: 'NoExecute', ...(o.tolerate === 'seconds' ? { tolerationSeconds: o.seconds } : {}) }];
      sim.store.create(pod(`p${o.p}`, o.bound ? `n${o.n}` : undefined, { tolerations, grace: 10 }), { actor: 'test' });
      return;
    }
    case 'bind': {
      const p = sim.store.get<PodObj>('Pod', 'default', `p${o.p}`);
      if (!p || p.spec?.nodeName || p.metadata.deletionTimestamp) return;
      sim.store.update({ ...p, spec: { ...p.spec!, nodeName: `n${o.n}` } }, { subresource: 'binding', actor: 'test' });
      return;
    }
    case 'status': {
      const p = sim.store.get<PodObj>('Pod', 'default', `p${o.p}`);
      if (!p) return;
      sim.store.patch<KObject & { status?: { message?: string } }>('Pod', 'default', `p${o.p}`, (d) => void ((d.status ??= {}).message = `at ${sim.now}`), {
        subresource: 'status',
        actor: 'test',
      });
      return;
    }
    case 'delete':
      if (sim.store.get('Pod', 'default', `p${o.p}`)) sim.store.delete('Pod', 'default', `p${o.p}`, { actor: 'test', gracePeriodSeconds: o.grace });
      return;
  }
}

function run(skipQuietPods: boolean, ops: readonly Op[]): string[] {
  const sink = new MemoryRunLogSink();
  const sim = Simulation.create({ seed: 3, log: sink });
  startApiServer(sim);
  const tec = createTaintEvictionController({ skipQuietPods });
  sim.use(tec);
  for (let n = 0; n < NODES; n++) sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${n}` } }, { actor: 'test' });
  const out: string[] = [];
  for (const o of ops) {
    apply(sim, o);
    out.push(JSON.stringify([...tec.scheduled()]));
  }
  sim.runUntil(sim.now + 120_000);
  out.push(...sink.records.map((r) => JSON.stringify(r)));
  out.push(JSON.stringify([...sim.snapshot()]));
  return out;
}

const nodeIx = fc.integer({ min: 0, max: NODES - 1 });
const podIx = fc.integer({ min: 0, max: PODS - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 40_000 })) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('taint' as const), n: nodeIx, keys: fc.subarray(['a', 'b']) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('pod' as const),
      p: podIx,
      n: nodeIx,
      bound: fc.boolean(),
      tolerate: fc.constantFrom('none' as const, 'forever' as const, 'seconds' as const),
      seconds: fc.integer({ min: 0, max: 30 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('bind' as const), p: podIx, n: nodeIx }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('status' as const), p: podIx }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), p: podIx, grace: fc.constantFrom(0, 5) }) },
);

describe('taint eviction: pods queued while no node is tainted', () => {
  it('property: skipping the quiet pod queue gives the same writes, Events, scheduled deletions and objects as handling it', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 3, maxLength: 40 }), (ops) => {
        expect(run(true, ops)).toEqual(run(false, ops));
      }),
      { numRuns: 300, seed: 29 },
    );
  });

  it('a pod bound to a node tainted in the same instant is evicted (the skip looks at the taints after the node updates)', () => {
    const ops: Op[] = [
      { op: 'pod', p: 0, n: 0, bound: false, tolerate: 'none', seconds: 0 },
      { op: 'wait', ms: 5_000 },
      { op: 'bind', p: 0, n: 1 },
      { op: 'taint', n: 1, keys: ['b'] },
      { op: 'wait', ms: 5_000 },
    ];
    const skipping = run(true, ops);
    expect(skipping).toEqual(run(false, ops));
    expect(skipping.some((r) => r.includes('Marking for deletion Pod default/p0'))).toBe(true);
  });

  it('a pod deleted while its eviction waits, its node untainted in the same instant, has the deletion cancelled (the skip looks at scheduled deletions too)', () => {
    // The node's update finds no pod on it (the deleted pod left the index): only the pod's own item cancels.
    const ops: Op[] = [
      { op: 'pod', p: 0, n: 0, bound: true, tolerate: 'seconds', seconds: 30 },
      { op: 'taint', n: 0, keys: ['a'] },
      { op: 'wait', ms: 5_000 },
      { op: 'delete', p: 0, grace: 0 },
      { op: 'taint', n: 0, keys: [] },
      { op: 'wait', ms: 60_000 },
    ];
    const skipping = run(true, ops);
    expect(skipping).toEqual(run(false, ops));
    expect(skipping.some((r) => r.includes('Cancelling deletion of Pod default/p0'))).toBe(true);
  });
});

