/**
 * The taint eviction controller: getMinTolerationTime (upstream's table),
 * deletion at once or after tolerationSeconds, cancellation, the
 * DisruptionTarget condition and TaintManagerEviction events, and a
 * property: a pod that tolerates a taint forever is never evicted by it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Taint, Toleration } from 'kubernetes-types/core/v1';
import { getMinTolerationTime } from '../../src/controllers/tainteviction/taintEvictionController.ts';
import { cluster, eventsOf, getPod, node, pod, stopKubelet } from './helpers.ts';
import type { Simulation } from '../../src/sim/simulation.ts';
import type { KObject } from '../../src/sim/types.ts';

function setTaints(sim: Simulation, name: string, taints: Taint[]): void {
  sim.store.patch('Node', '', name, (d: KObject) => {
    const spec = ((d['spec'] as Record<string, unknown> | undefined) ?? {}) as Record<string, unknown>;
    if (taints.length === 0) delete spec['taints'];
    else spec['taints'] = taints;
    d['spec'] = spec;
  });
}

describe('getMinTolerationTime (upstream TestGetMinTolerationTime)', () => {
  it.each([
    [[], 0],
    [[{}], -1],
    [[{ tolerationSeconds: 1 }, { tolerationSeconds: 2 }], 1000],
    [[{ tolerationSeconds: 1 }, {}], 1000],
    [[{}, { tolerationSeconds: 1 }], 1000],
    [[{ tolerationSeconds: 0 }, { tolerationSeconds: 5 }], 0],
    [[{ tolerationSeconds: -3 }], 0],
  ] as Array<[Toleration[], number]>)('%j -> %i ms', (tolerations, expected) => {
    expect(getMinTolerationTime(tolerations)).toBe(expected);
  });
});

describe('taint eviction', () => {
  it('a pod that does not tolerate a NoExecute taint is deleted at once, with the condition and event', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.apply(pod('web-1', 'n1', { grace: 5, annotations: { 'ksim.dev/shutdown-duration': '5s' } }));
    sim.runUntil(2000);
    setTaints(sim, 'n1', [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }]);
    sim.runUntil(2010);
    const p = getPod(sim, 'web-1')!;
    // Deleted at 2 s with the pod's own grace period (5 s).
    expect(p.metadata.deletionTimestamp).toBe('2025-01-01T00:00:07Z');
    expect(p.metadata.deletionGracePeriodSeconds).toBe(5);
    expect(p.status?.conditions?.find((c) => c.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    });
    const ev = eventsOf(sim, 'TaintManagerEviction');
    expect(ev.map((e) => [e.type, e.message, e.source.component, e.involvedObject.name])).toEqual([['Normal', 'Marking for deletion Pod default/web-1', 'taint-eviction-controller', 'web-1']]);
    sim.runUntil(20_000);
    expect(getPod(sim, 'web-1')).toBeUndefined();
  });

  it('default tolerations (300 s) evict pods five minutes after their node became unreachable', () => {
    const sim = cluster([node('n1'), node('n2'), node('n3')]);
    sim.apply(pod('web-1', 'n1'));
    sim.apply(pod('web-2', 'n2'));
    sim.runUntil(2000);
    expect(getPod(sim, 'web-1')!.spec?.tolerations?.map((t) => `${t.key}:${t.tolerationSeconds}`)).toEqual(['node.kubernetes.io/not-ready:300', 'node.kubernetes.io/unreachable:300']);
    stopKubelet(sim, 'n1');
    let taintedAt = 0;
    for (let t = 2000; t < 120_000 && taintedAt === 0; t += 100) {
      sim.runUntil(t);
      const noExec = sim.get<KObject & { spec?: { taints?: Taint[] } }>('Node', '', 'n1')!.spec?.taints?.some((x) => x.effect === 'NoExecute');
      if (noExec) taintedAt = t;
    }
    expect(taintedAt).toBeGreaterThan(50_000);
    sim.runUntil(taintedAt + 299_000);
    expect(getPod(sim, 'web-1')!.metadata.deletionTimestamp).toBeUndefined();
    sim.runUntil(taintedAt + 301_000);
    const p = getPod(sim, 'web-1')!;
    // The kubelet is down: the pod stays Terminating, as on a real cluster.
    expect(p.metadata.deletionTimestamp).toBeDefined();
    expect(p.status?.conditions?.find((c) => c.type === 'DisruptionTarget')?.reason).toBe('DeletionByTaintManager');
    expect(getPod(sim, 'web-2')!.metadata.deletionTimestamp).toBeUndefined();
    expect(eventsOf(sim, 'TaintManagerEviction').map((e) => e.message)).toEqual(['Marking for deletion Pod default/web-1']);
  });

  it('removing the taint before tolerationSeconds cancels the deletion', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.apply(pod('web-1', 'n1', { tolerations: [{ key: 'maintenance', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }] }));
    sim.runUntil(2000);
    setTaints(sim, 'n1', [{ key: 'maintenance', effect: 'NoExecute' }]);
    sim.runUntil(30_000);
    setTaints(sim, 'n1', []);
    sim.runUntil(120_000);
    expect(getPod(sim, 'web-1')!.metadata.deletionTimestamp).toBeUndefined();
    expect(eventsOf(sim, 'TaintManagerEviction').map((e) => e.message)).toEqual(['Cancelling deletion of Pod default/web-1']);
  });

  it('the smallest tolerationSeconds of the tolerations used applies; a later taint change does not restart the clock', () => {
    const sim = cluster([node('n1'), node('n2')]);
    sim.apply(
      pod('web-1', 'n1', {
        annotations: { 'ksim.dev/shutdown-duration': '30s' },
        tolerations: [
          { key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 100 },
          { key: 'b', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 40 },
        ],
      }),
    );
    sim.runUntil(2000);
    setTaints(sim, 'n1', [{ key: 'a', effect: 'NoExecute' }]);
    sim.runUntil(10_000);
    setTaints(sim, 'n1', [{ key: 'a', effect: 'NoExecute' }, { key: 'b', effect: 'NoExecute' }]);
    sim.runUntil(101_000);
    expect(getPod(sim, 'web-1')!.metadata.deletionTimestamp).toBeUndefined();
    sim.runUntil(103_000);
    // Deleted at 102 s (2 s + the 100 s of the first taint's toleration) with the default 30 s grace.
    expect(getPod(sim, 'web-1')!.metadata.deletionTimestamp).toBe('2025-01-01T00:02:12Z');
  });

  it('property: a pod tolerating a NoExecute taint forever is never evicted by it', () => {
    const key = fc.constantFrom('k1', 'k2', 'node.kubernetes.io/unreachable');
    const taint = fc.record({ key, value: fc.constantFrom('', 'v'), effect: fc.constant('NoExecute') });
    const forever = fc.record({ key, operator: fc.constant('Exists'), effect: fc.constantFrom('NoExecute', '') });
    fc.assert(
      fc.property(fc.uniqueArray(taint, { minLength: 1, maxLength: 3, selector: (t) => t.key }), fc.array(forever, { maxLength: 3 }), fc.integer({ min: 1, max: 600 }), (taints, tols, at) => {
        const sim = cluster([node('n1'), node('n2')]);
        const tolerations: Toleration[] = [...tols, ...taints.map((t) => ({ key: t.key, operator: 'Exists', effect: 'NoExecute' }))];
        sim.apply(pod('p', 'n1', { tolerations }));
        sim.runUntil(at);
        setTaints(sim, 'n1', taints as Taint[]);
        sim.runUntil(at + 900_000);
        const p = getPod(sim, 'p');
        return p !== undefined && p.metadata.deletionTimestamp === undefined && eventsOf(sim, 'TaintManagerEviction').length === 0;
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
