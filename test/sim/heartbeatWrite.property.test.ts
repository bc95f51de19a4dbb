/**
 * The store's heartbeat write (updateHeartbeat) gives what the general path
 * gives: each write's resourceVersion is String() of the store's counter
 * (the heartbeat path builds it from a kept prefix and a digit table), on
 * generated runs that cross thousands boundaries between other writes; and a
 * result handed over as frozen (the kubelet's own rebuild) or left unfrozen
 * is stored deeply frozen either way, with the same content.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import type { KObject, Stored } from '../../src/sim/types.ts';

interface Lease extends KObject {
  spec?: { holderIdentity?: string; renewTime?: string };
}

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(deeplyFrozen);
}

const lease = (name: string): Lease => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name } });

describe('updateHeartbeat', () => {
  it('writes String(resourceVersion) across thousands boundaries, interleaved with other writes (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ heartbeats: fc.integer({ min: 0, max: 1300 }), others: fc.integer({ min: 0, max: 3 }) }), { maxLength: 5 }), (runs) => {
        const sim = Simulation.create();
        sim.store.create(lease('a'));
        let k = 0;
        for (const r of runs) {
          for (let i = 0; i < r.heartbeats; i++) {
            const target = i % 2 === 0 ? sim.store.heartbeatTarget('Lease', 'kube-node-lease', 'a') : undefined;
            const renewTime = `t${k++}`;
            const stored = sim.store.updateHeartbeat<Lease>('Lease', 'kube-node-lease', 'a', (old) => ({ ...old, spec: { ...old.spec, renewTime } }), 'test', target);
            if (stored.metadata.resourceVersion !== String(sim.store.resourceVersion)) expect(stored.metadata.resourceVersion).toBe(String(sim.store.resourceVersion));
          }
          for (let i = 0; i < r.others; i++) sim.store.create(lease(`o${k++}`));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('stores a result handed over frozen as it is, and an unfrozen one frozen, with the same content', () => {
    const run = (frozen: boolean): Stored<Lease> => {
      const sim = Simulation.create();
      sim.store.create(lease('a'));
      return sim.store.updateHeartbeat<Lease>(
        'Lease',
        'kube-node-lease',
        'a',
        (old, rv) => {
          const next = { ...old, metadata: { ...old.metadata, resourceVersion: rv }, spec: { ...old.spec, renewTime: 'x' } };
          return frozen ? Object.freeze({ ...next, metadata: Object.freeze(next.metadata), spec: Object.freeze(next.spec) }) : next;
        },
        'test',
        sim.store.heartbeatTarget('Lease', 'kube-node-lease', 'a'),
        frozen,
      );
    };
    const a = run(true);
    const b = run(false);
    expect(deeplyFrozen(a) && deeplyFrozen(b)).toBe(true);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
