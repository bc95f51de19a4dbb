/**
 * WriteOptions.adopt on an update no mutating admission looks at (the Binding
 * subresource): the store keeps the caller's new parts, frozen in place,
 * instead of copying them; the stored object, the run log and the watch events
 * are those of the same update without adopt. Other updates copy as before.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { boundPod } from '../../src/api/podBinding.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';
import type { KObject, RunLogRecord, Stored } from '../../src/sim/types.ts';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';

type PodObj = Pod & KObject;

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(deeplyFrozen);
}

function bindAll(adopt: boolean): { log: string; pods: Stored[]; handed: KObject[] } {
  const records: RunLogRecord[] = [];
  const sim = Simulation.create({ seed: 2, log: { write: (r) => void records.push(r) } });
  startApiServer(sim);
  sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } } as KObject);
  const handed: KObject[] = [];
  const pods: Stored[] = [];
  for (let i = 0; i < 5; i++) {
    const p = sim.store.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: 'default', labels: { app: 'a' } },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
      status: i % 2 === 0 ? { nominatedNodeName: 'n1' } : undefined,
    } as KObject) as Stored<PodObj>;
    const scheduled: PodCondition = { type: 'PodScheduled', status: 'True' };
    const bound = boundPod(p, 'n1', scheduled, sim.timestamp(), FeatureGates.defaults(), sim.store.get('Node', '', 'n1')?.metadata.labels);
    handed.push(bound);
    pods.push(sim.store.update(bound, { subresource: 'binding', actor: 's', adopt }));
  }
  return { log: JSON.stringify(records), pods, handed };
}

describe('update with adopt', () => {
  it('stores the Binding as without adopt, keeping the caller\'s new parts frozen in place', () => {
    const plain = bindAll(false);
    const adopted = bindAll(true);
    expect(adopted.log).toBe(plain.log);
    expect(adopted.pods.map((p) => JSON.stringify(p))).toEqual(plain.pods.map((p) => JSON.stringify(p)));
    for (let i = 0; i < adopted.pods.length; i++) {
      const stored = adopted.pods[i]! as PodObj;
      const handed = adopted.handed[i]! as PodObj;
      expect(deeplyFrozen(stored)).toBe(true);
      expect(stored).toBe(handed); // the top level itself, finished in place
      // The status is new in every binding (boundPod shares a frozen spec per template and node).
      expect(stored.status).toBe(handed.status);
      expect(plain.pods[i]!['status']).not.toBe(plain.handed[i]!['status']); // without adopt: a copy
      expect(Object.isFrozen(plain.handed[i]!['status'])).toBe(false);
    }
  });

  it('a status update with adopt still copies the status', () => {
    const sim = Simulation.create({ seed: 2 });
    startApiServer(sim);
    const p = sim.store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } as KObject);
    const status = { phase: 'Running' };
    const after = sim.store.update({ ...p, status } as KObject, { subresource: 'status', adopt: true });
    expect(after['status']).toEqual({ phase: 'Running' });
    expect(after['status']).not.toBe(status);
    expect(Object.isFrozen(status)).toBe(false);
  });
});
