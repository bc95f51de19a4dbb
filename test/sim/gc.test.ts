import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import type { KObject } from '../../src/sim/types.ts';
import { obj, ownerRef, pod } from './helpers.ts';

function setup(): { sim: Simulation; deploy: KObject; rs: KObject } {
  const sim = Simulation.create();
  const deploy = sim.store.create(obj('Deployment', 'web', { spec: {} }, 'apps/v1')) as KObject;
  const rs = sim.store.create({ ...obj('ReplicaSet', 'web-1', { spec: {} }, 'apps/v1'), metadata: { name: 'web-1', ownerReferences: [ownerRef(deploy, true)] } } as unknown as KObject) as KObject;
  for (const n of ['a', 'b']) sim.store.create(pod(`web-1-${n}`, { ownerReferences: [ownerRef(rs, true)] }));
  return { sim, deploy, rs };
}

describe('garbage collection (Background)', () => {
  it('deletes dependants level by level after the owner is gone, gcLatency apart', () => {
    const { sim } = setup();
    sim.store.delete('Deployment', 'default', 'web');
    expect(sim.get('ReplicaSet', 'default', 'web-1')).toBeDefined();
    sim.runUntil(1);
    expect(sim.get('ReplicaSet', 'default', 'web-1')).toBeUndefined();
    expect(sim.list('Pod')).toHaveLength(2);
    sim.runUntil(2);
    expect(sim.list('Pod')).toHaveLength(0);
  });

  it('only drops the dangling reference when another owner is still alive', () => {
    const sim = Simulation.create();
    const a = sim.store.create(obj('ConfigMap', 'owner-a')) as KObject;
    const b = sim.store.create(obj('ConfigMap', 'owner-b')) as KObject;
    sim.store.create(pod('shared', { ownerReferences: [ownerRef(a), ownerRef(b)] }));
    sim.store.delete('ConfigMap', 'default', 'owner-a');
    sim.runUntilQuiet();
    const p = sim.get('Pod', 'default', 'shared')!;
    expect(p.metadata.ownerReferences!.map((r) => r.name)).toEqual(['owner-b']);
  });

  it('collects a dependant created after its owner is already gone', () => {
    const sim = Simulation.create();
    sim.store.create(pod('orphaned', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'no-such-uid' }] }));
    sim.runUntilQuiet();
    expect(sim.get('Pod', 'default', 'orphaned')).toBeUndefined();
  });

  it('a bound pod collected by GC is deleted gracefully, not removed', () => {
    const sim = Simulation.create();
    const rs = sim.store.create(obj('ReplicaSet', 'rs', {}, 'apps/v1')) as KObject;
    sim.store.create(pod('p', { nodeName: 'n1', ownerReferences: [ownerRef(rs, true)] }));
    sim.store.delete('ReplicaSet', 'default', 'rs');
    sim.runUntilQuiet();
    expect(sim.get('Pod', 'default', 'p')!.metadata.deletionTimestamp).toBe('2025-01-01T00:00:30Z');
  });
});

describe('garbage collection (Foreground)', () => {
  it('keeps the owner until blocking dependants are gone, cascading through levels', () => {
    const { sim } = setup();
    const d = sim.store.delete('Deployment', 'default', 'web', { propagationPolicy: 'Foreground' })!;
    expect(d.metadata.finalizers).toEqual(['foregroundDeletion']);
    sim.runUntilQuiet();
    expect(sim.get('Deployment', 'default', 'web')).toBeUndefined();
    expect(sim.get('ReplicaSet', 'default', 'web-1')).toBeUndefined();
    expect(sim.list('Pod')).toHaveLength(0);
  });

  it('waits for a terminating bound pod that blocks its owner', () => {
    const sim = Simulation.create();
    const rs = sim.store.create(obj('ReplicaSet', 'rs', {}, 'apps/v1')) as KObject;
    sim.store.create(pod('p', { nodeName: 'n1', grace: 5, ownerReferences: [ownerRef(rs, true)] }));
    sim.store.delete('ReplicaSet', 'default', 'rs', { propagationPolicy: 'Foreground' });
    sim.runUntilQuiet();
    expect(sim.get('ReplicaSet', 'default', 'rs')).toBeDefined();
    expect(sim.get('Pod', 'default', 'p')!.metadata.deletionTimestamp).toBeDefined();
    sim.store.delete('Pod', 'default', 'p', { gracePeriodSeconds: 0 });
    sim.runUntilQuiet();
    expect(sim.get('ReplicaSet', 'default', 'rs')).toBeUndefined();
  });

  it('non-blocking dependants are deleted but do not hold the owner', () => {
    const sim = Simulation.create();
    const rs = sim.store.create(obj('ReplicaSet', 'rs', {}, 'apps/v1')) as KObject;
    sim.store.create(pod('p', { nodeName: 'n1', ownerReferences: [ownerRef(rs, false)] }));
    sim.store.delete('ReplicaSet', 'default', 'rs', { propagationPolicy: 'Foreground' });
    sim.runUntilQuiet();
    expect(sim.get('ReplicaSet', 'default', 'rs')).toBeUndefined();
    expect(sim.get('Pod', 'default', 'p')!.metadata.deletionTimestamp).toBeDefined();
  });
});

describe('garbage collection (Orphan)', () => {
  it('removes the owner reference from dependants, then the owner', () => {
    const { sim } = setup();
    sim.store.delete('ReplicaSet', 'default', 'web-1', { propagationPolicy: 'Orphan' });
    expect(sim.get('ReplicaSet', 'default', 'web-1')).toBeDefined();
    sim.runUntilQuiet();
    expect(sim.get('ReplicaSet', 'default', 'web-1')).toBeUndefined();
    const pods = sim.list('Pod');
    expect(pods).toHaveLength(2);
    for (const p of pods) expect(p.metadata.ownerReferences).toBeUndefined();
  });
});

describe('namespace deletion', () => {
  it('deletes all content, waits for graceful pods, then removes the namespace', () => {
    const sim = Simulation.create();
    sim.store.create(obj('Namespace', 'team'));
    sim.store.create(obj('ConfigMap', 'cm', {}, 'v1', 'team'));
    sim.store.create(pod('unbound', { namespace: 'team' }));
    sim.store.create(pod('running', { namespace: 'team', nodeName: 'n1' }));
    sim.store.create(pod('elsewhere', { namespace: 'default' }));
    sim.store.delete('Namespace', '', 'team');
    sim.runUntilQuiet();
    expect(sim.get('ConfigMap', 'team', 'cm')).toBeUndefined();
    expect(sim.get('Pod', 'team', 'unbound')).toBeUndefined();
    expect(sim.get('Pod', 'team', 'running')!.metadata.deletionTimestamp).toBeDefined();
    expect((sim.get('Namespace', '', 'team')!['status'] as { phase: string }).phase).toBe('Terminating');
    sim.store.delete('Pod', 'team', 'running', { gracePeriodSeconds: 0 });
    sim.runUntilQuiet();
    expect(sim.get('Namespace', '', 'team')).toBeUndefined();
    expect(sim.get('Pod', 'default', 'elsewhere')).toBeDefined();
  });

  it('an empty namespace goes after the GC latency', () => {
    const sim = Simulation.create({ gcLatency: 7 });
    sim.store.create(obj('Namespace', 'empty'));
    sim.store.delete('Namespace', '', 'empty');
    sim.runUntil(6);
    expect(sim.get('Namespace', '', 'empty')).toBeDefined();
    sim.runUntil(7);
    expect(sim.get('Namespace', '', 'empty')).toBeUndefined();
  });
});
