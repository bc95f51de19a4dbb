/**
 * The heartbeats' shortcuts (src/kubelet/nodeLease.ts) change no outcome: the
 * renewal that rebuilds the kubelet's own last Lease with literals, and the
 * 10 s status check that reads the Node kept by a watch instead of looking it
 * up (skipping, without reading it, a kubelet whose report is not due and
 * whose kept Node has not changed), the renewal through the store place it
 * keeps for its Lease, and the ticks' loops over an array in the Map's order. On
 * generated runs where other writers relabel, edit, delete or re-create Leases,
 * edit, stop, restart, delete and re-create Nodes, the run log (every write,
 * its resourceVersion and merge patch, every Event) is the same with the
 * shortcuts as without them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import { startComponents } from '../../src/components.ts';
import { ApiError } from '../../src/sim/errors.ts';
import type { KObject } from '../../src/sim/types.ts';
import { node, startKubelet, stopKubelet } from '../controllers/helpers.ts';
import { heartbeatConditions } from '../../src/kubelet/nodeLease.ts';
import { healthyNodeConditions } from '../../src/api/node.ts';
import type { NodeCondition } from 'kubernetes-types/core/v1.js';

type Op =
  | { t: 'wait'; ms: number }
  | { t: 'leaseLabel'; node: number; value: string }
  | { t: 'leaseHolder'; node: number }
  | { t: 'leaseDelete'; node: number }
  | { t: 'leaseRecreate'; node: number }
  | { t: 'nodeLabel'; node: number; value: string }
  | { t: 'nodeReadyUnknown'; node: number }
  | { t: 'stop'; node: number }
  | { t: 'start'; node: number }
  | { t: 'nodeDelete'; node: number }
  | { t: 'nodeCreate'; node: number };

const NODES = 3;
const nodeIx = fc.integer({ min: 0, max: NODES - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 60_000 }) }) },
  // Waits past the 5-minute report interval: a run reaches a node's second and later posts (the copy of the
  // status its own last post stored) between the other writers' edits.
  fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 240_000, max: 360_000 }) }),
  fc.record({ t: fc.constant('leaseLabel' as const), node: nodeIx, value: fc.constantFrom('a', 'b') }),
  fc.record({ t: fc.constant('leaseHolder' as const), node: nodeIx }),
  fc.record({ t: fc.constant('leaseDelete' as const), node: nodeIx }),
  fc.record({ t: fc.constant('leaseRecreate' as const), node: nodeIx }),
  fc.record({ t: fc.constant('nodeLabel' as const), node: nodeIx, value: fc.constantFrom('a', 'b') }),
  fc.record({ t: fc.constant('nodeReadyUnknown' as const), node: nodeIx }),
  fc.record({ t: fc.constant('stop' as const), node: nodeIx }),
  fc.record({ t: fc.constant('start' as const), node: nodeIx }),
  fc.record({ t: fc.constant('nodeDelete' as const), node: nodeIx }),
  fc.record({ t: fc.constant('nodeCreate' as const), node: nodeIx }),
);

/** An outside writer's change; refused writes (gone, conflicting) are part of the run like any other. */
function apply(sim: Simulation, o: Op): void {
  if (o.t === 'wait') {
    sim.runUntil(sim.now + o.ms);
    return;
  }
  const name = `n${o.node}`;
  try {
    switch (o.t) {
      case 'leaseLabel':
        sim.store.patch('Lease', 'kube-node-lease', name, (d: KObject) => void (d.metadata.labels = { ...d.metadata.labels, touched: o.value }), { actor: 'test' });
        break;
      case 'leaseHolder':
        sim.store.patch('Lease', 'kube-node-lease', name, (d: KObject & { spec?: { holderIdentity?: string } }) => void ((d.spec ??= {}).holderIdentity = 'someone-else'), { actor: 'test' });
        break;
      case 'leaseDelete':
        sim.store.delete('Lease', 'kube-node-lease', name, { actor: 'test' });
        break;
      case 'leaseRecreate':
        // Deleted and made again by another writer between two renewals: the kubelet's kept place in the store is
        // dead, and its next renewal must find and renew this new lease by name, as the plain path does.
        sim.store.delete('Lease', 'kube-node-lease', name, { actor: 'test' });
        sim.store.create(
          { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, leaseDurationSeconds: 40 } },
          { actor: 'test' },
        );
        break;
      case 'nodeLabel':
        sim.store.patch('Node', '', name, (d: KObject) => void (d.metadata.labels = { ...d.metadata.labels, touched: o.value }), { actor: 'test' });
        break;
      case 'nodeReadyUnknown':
        sim.store.patch(
          'Node',
          '',
          name,
          (d: KObject & { status?: { conditions?: { type: string; status: string }[] } }) => {
            for (const c of d.status?.conditions ?? []) if (c.type === 'Ready') c.status = 'Unknown';
          },
          { subresource: 'status', actor: 'test' },
        );
        break;
      case 'stop':
        stopKubelet(sim, name);
        break;
      case 'start':
        startKubelet(sim, name);
        break;
      case 'nodeDelete':
        sim.store.delete('Node', '', name, { actor: 'test' });
        break;
      case 'nodeCreate':
        sim.store.create(node(name), { actor: 'test' });
        break;
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
  }
}

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(deeplyFrozen);
}

function runLog(ops: readonly Op[], shortcuts: boolean, sims: Simulation[] = []): string[] {
  const sink = new MemoryRunLogSink();
  const sim = Simulation.create({ seed: 7, log: sink });
  sims.push(sim);
  startComponents(sim, {}, { heartbeatShortcuts: shortcuts });
  for (let i = 0; i < NODES; i++) sim.store.create(node(`n${i}`), { actor: 'test' });
  sim.runUntil(1);
  for (const o of ops) apply(sim, o);
  sim.runUntil(sim.now + 45_000);
  // The Leases and Nodes as stored at the end, whole and in key order (a merge patch shows changed values only).
  return [...sink.records.map((r) => JSON.stringify(r)), JSON.stringify(sim.store.list('Lease')), JSON.stringify(sim.store.list('Node'))];
}

describe('heartbeat shortcuts', () => {
  it('give the run log of the plain lookups, write for write', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 14 }), (ops) => {
        const plain = runLog(ops, false);
        const fast = runLog(ops, true);
        expect(fast.length).toBe(plain.length);
        for (let i = 0; i < plain.length; i++) if (fast[i] !== plain[i]) expect(fast[i]).toBe(plain[i]);
      }),
      { numRuns: 200 },
    );
  });

  it("renew in the plain path's order after a node is deleted and made again between two ticks (it goes last, as in a Map)", () => {
    const ops: Op[] = [{ t: 'wait', ms: 12_000 }, { t: 'nodeDelete', node: 0 }, { t: 'wait', ms: 1 }, { t: 'nodeCreate', node: 0 }, { t: 'wait', ms: 25_000 }];
    const fast = runLog(ops, true);
    expect(fast).toEqual(runLog(ops, false));
    // After the re-creation each tick renews n1, n2, then n0.
    const renewed = fast
      .filter((r) => r.includes('"kind":"Lease"') && r.includes('"type":"update"'))
      .map((r) => JSON.parse(r) as { t: number; name: string })
      .filter((r) => r.t > 20_000 && r.t < 35_000);
    expect(renewed.slice(0, 3).map((r) => r.name)).toEqual(['n1', 'n2', 'n0']);
  });

  it('renew and check status as the plain path does on a long quiet run (the shortcuts taken every tick)', () => {
    const ops: Op[] = [{ t: 'wait', ms: 15 * 60_000 }];
    const sims: Simulation[] = [];
    const fast = runLog(ops, true, sims);
    expect(fast).toEqual(runLog(ops, false));
    // The renewal freezes its own new parts: what the store keeps is still frozen all the way down.
    const leases = sims[0]!.store.list('Lease', 'kube-node-lease');
    expect(leases.length).toBe(NODES);
    for (const l of leases) expect(deeplyFrozen(l)).toBe(true);
    // So do the status posts (their conditions and the status handed over frozen, for the store to keep as they are).
    const nodes = sims[0]!.store.list('Node');
    expect(nodes.length).toBe(NODES);
    for (const n of nodes) expect(deeplyFrozen(n)).toBe(true);
    // Renewals of all three nodes every 10 s and status posts every 5 minutes: the shortcuts had work to do.
    expect(fast.filter((r) => r.includes('"kind":"Lease"') && r.includes('"type":"update"')).length).toBeGreaterThan(250);
    expect(fast.filter((r) => r.includes('"kind":"Node"') && r.includes('"type":"update"')).length).toBeGreaterThan(6);
  });
});

/** heartbeatConditions as it read before it made the healthy conditions only on demand. */
function heartbeatConditionsReference(old: readonly NodeCondition[] | undefined, time: string): NodeCondition[] {
  const owned = ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready'];
  const healthy = healthyNodeConditions(time);
  const out: NodeCondition[] = [];
  for (const c of old ?? []) {
    if (!owned.includes(c.type)) out.push({ ...c });
    else if (c.status === 'Unknown') out.push({ ...healthy.find((x) => x.type === c.type)! });
    else out.push({ ...c, lastHeartbeatTime: time });
  }
  for (const h of healthy) if (!out.some((c) => c.type === h.type)) out.push(h);
  return out;
}

describe('heartbeatConditions', () => {
  it('equals the version that always made the healthy conditions (missing, Unknown, repeated and foreign types)', () => {
    const type = fc.constantFrom('MemoryPressure', 'DiskPressure', 'PIDPressure', 'Ready', 'NetworkUnavailable', 'Custom');
    const status = fc.constantFrom('True', 'False', 'Unknown');
    const stamp = fc.constantFrom('2025-01-01T00:00:00Z', '2025-01-01T00:05:00Z');
    const other = fc.record({ type, status, reason: fc.constantFrom('A', 'B'), lastHeartbeatTime: stamp });
    // The setters' layout (rebuilt with a literal), keys in that order, and the same keys in another order or with
    // one missing (spread): the key order of each output condition must be the reference's too.
    const setter = fc.record({ type, status, lastHeartbeatTime: stamp, lastTransitionTime: stamp, reason: fc.constantFrom('A', 'B'), message: fc.constantFrom('m', 'n') });
    const reordered = setter.map(({ type: t, status: st, lastHeartbeatTime, lastTransitionTime, reason, message }) => ({ type: t, status: st, lastTransitionTime, lastHeartbeatTime, reason, message }));
    const fewer = setter.map(({ message: _m, ...rest }) => rest);
    const extra = setter.map((c) => ({ ...c, extra: 'x' }));
    const cond = fc.oneof(other, setter, setter, reordered, fewer, extra);
    fc.assert(
      fc.property(fc.option(fc.array(cond, { maxLength: 7 }), { nil: undefined }), (old) => {
        expect(JSON.stringify(heartbeatConditions(old, '2025-01-02T00:00:00Z'))).toBe(JSON.stringify(heartbeatConditionsReference(old, '2025-01-02T00:00:00Z')));
      }),
      { numRuns: 500 },
    );
  });
});
