/**
 * The node lifecycle monitor pass skips a steady node it confirmed at the
 * same list position last pass when nothing it reads can have changed: the
 * same Node object, no delivery to its Lease slot since, its grace-period
 * deadline not reached (skipUnchanged). Property: generated scenarios, with
 * the test playing the kubelets (Leases renewed, renewed with an older time,
 * deleted and re-created; Ready set True/False/Unknown by hand, heartbeats,
 * conditions removed; Nodes added, deleted, re-created, moved between zones
 * or excluded from zone counting; bound pods; short grace periods so that
 * deadlines fall due between renewals), give the same run log (every write
 * and Event, in order), zone states and final objects with the skipping on,
 * on without lazy probe updates (a Lease delivery sends its node to the next
 * pass's recheck instead of leaving the comparison to when it is needed),
 * off, and with the plain lookups (no position hints, and bound pods looked up
 * even when every node's health record is Ready, and the Node list read from the
 * informer's cache at every pass rather than kept up to date by its handler, and
 * a node found Ready removed from its zone's tainting queue even when every queue is empty),
 * and with the pass times of the lazy comparisons kept in a ring of 2 or 4 passes
 * (the comparisons naming older passes settled early) instead of 64.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import { startApiServer } from '../../src/components.ts';
import { createNodeLifecycleController } from '../../src/controllers/nodelifecycle/nodeLifecycleController.ts';
import { formatMicroTime } from '../../src/kubelet/nodeLease.ts';
import type { KObject, Writable } from '../../src/sim/types.ts';
import type { NodeCondition } from 'kubernetes-types/core/v1';
import { pod, type NodeObj } from './helpers.ts';

type LeaseObj = KObject & { spec?: { renewTime?: string; holderIdentity?: string } };

type Op =
  | { op: 'wait'; ms: number }
  | { op: 'renew'; n: number; back: number }
  | { op: 'deleteLease'; n: number }
  | { op: 'ready'; n: number; status: 'True' | 'False' | 'Unknown'; heartbeatOnly: boolean }
  | { op: 'dropConditions'; n: number }
  | { op: 'addNode'; n: number; zone: number; exclude: boolean }
  | { op: 'deleteNode'; n: number }
  | { op: 'zone'; n: number; zone: number }
  | { op: 'pod'; n: number }
  | { op: 'repod'; n: number };

const NODES = 6;
const ZONES = ['', 'a', 'b'];

function nodeObject(n: number, zone: number, exclude: boolean): KObject {
  const labels: Record<string, string> = {};
  if (ZONES[zone]) labels['topology.kubernetes.io/zone'] = ZONES[zone]!;
  if (exclude) labels['node.kubernetes.io/exclude-disruption'] = '';
  return { apiVersion: 'v1', kind: 'Node', metadata: { name: `n${n}`, labels }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } };
}

/** A pod bound to `node`, then its Ready condition True (as its kubelet would post it). */
function readyPod(sim: Simulation, name: string, node: string, stamp: string): void {
  sim.store.create(pod(name, node), { actor: 'test' });
  sim.store.patch<KObject & { status?: { conditions?: NodeCondition[] } }>(
    'Pod',
    'default',
    name,
    (d) => void ((d.status ??= {}).conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: stamp }]),
    { subresource: 'status', actor: 'test' },
  );
}

function apply(sim: Simulation, o: Op, podSeq: { n: number }): void {
  const name = 'n' + ('n' in o ? o.n : 0);
  const node = sim.store.get<NodeObj>('Node', '', name);
  const stamp = sim.timestamp();
  switch (o.op) {
    case 'wait':
      sim.runUntil(sim.now + o.ms);
      return;
    case 'renew': {
      const renewTime = formatMicroTime(sim.epochMs + Math.max(0, sim.now - o.back));
      if (sim.store.get('Lease', 'kube-node-lease', name)) {
        sim.store.patch<LeaseObj>('Lease', 'kube-node-lease', name, (d) => void ((d.spec ??= {}).renewTime = renewTime), { actor: 'test' });
      } else {
        sim.store.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name, namespace: 'kube-node-lease' }, spec: { holderIdentity: name, renewTime } } as LeaseObj, { actor: 'test' });
      }
      return;
    }
    case 'deleteLease':
      if (sim.store.get('Lease', 'kube-node-lease', name)) sim.store.delete('Lease', 'kube-node-lease', name, { actor: 'test' });
      return;
    case 'ready': {
      if (!node) return;
      sim.store.patch<Writable<NodeObj>>(
        'Node',
        '',
        name,
        (d) => {
          const conds: NodeCondition[] = (d.status?.conditions ?? []).map((c) => ({ ...c }));
          let c = conds.find((x) => x.type === 'Ready');
          if (!c) conds.push((c = { type: 'Ready', status: o.status, lastTransitionTime: stamp }));
          if (!o.heartbeatOnly && c.status !== o.status) {
            c.status = o.status;
            c.lastTransitionTime = stamp;
          }
          c.lastHeartbeatTime = stamp;
          c.reason = c.status === 'True' ? 'KubeletReady' : 'KubeletNotReady';
          (d.status ??= {}).conditions = conds;
        },
        { subresource: 'status', actor: 'test' },
      );
      return;
    }
    case 'dropConditions':
      if (node) sim.store.patch<NodeObj>('Node', '', name, (d) => void delete d.status?.conditions, { subresource: 'status', actor: 'test' });
      return;
    case 'addNode':
      if (!node) sim.store.create(nodeObject(o.n, o.zone, o.exclude), { actor: 'test' });
      return;
    case 'deleteNode':
      if (node) sim.store.delete('Node', '', name, { actor: 'test' });
      return;
    case 'zone':
      if (node) sim.store.patch<NodeObj>('Node', '', name, (d) => void (d.metadata.labels = nodeObject(o.n, o.zone, false).metadata.labels), { actor: 'test' });
      return;
    case 'pod': {
      if (!node) return;
      readyPod(sim, `p${podSeq.n++}`, name, stamp);
      return;
    }
    case 'repod': {
      // The last pod made, deleted at once and made again on node n in the same instant: two deliveries of a newly bound pod of the same name.
      if (!node || podSeq.n === 0) return;
      const last = `p${podSeq.n - 1}`;
      if (sim.store.get('Pod', 'default', last)) sim.store.delete('Pod', 'default', last, { actor: 'test', gracePeriodSeconds: 0 });
      if (sim.store.get('Pod', 'default', last)) return;
      readyPod(sim, last, name, stamp);
      return;
    }
  }
}

interface Mode {
  positionHints: boolean;
  skipUnchanged: boolean;
  lazyProbes?: boolean;
  skipReadyPodChecks?: boolean;
  listMirror?: boolean;
  skipEmptyQueues?: boolean;
  passTimesRing?: number;
}

function run(mode: Mode, grace: number, startup: number, ops: readonly Op[]): string[] {
  const sink = new MemoryRunLogSink();
  const sim = Simulation.create({ seed: 5, log: sink });
  startApiServer(sim);
  const nlc = createNodeLifecycleController({ nodeMonitorGracePeriod: grace, nodeStartupGracePeriod: startup }, mode);
  sim.use(nlc);
  for (let n = 0; n < 4; n++) sim.store.create(nodeObject(n, n % 3, false), { actor: 'test' });
  const seq = { n: 0 };
  const out: string[] = [];
  for (const o of ops) {
    apply(sim, o, seq);
    out.push(JSON.stringify([...nlc.zoneStates()]));
  }
  sim.runUntil(sim.now + grace + 10_000);
  out.push(...sink.records.map((r) => JSON.stringify(r)));
  out.push(JSON.stringify([...sim.snapshot()]));
  return out;
}

const nodeIx = fc.integer({ min: 0, max: NODES - 1 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 1, max: 12_000 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('renew' as const), n: nodeIx, back: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }) }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteLease' as const), n: nodeIx }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('ready' as const), n: nodeIx, status: fc.constantFrom('True' as const, 'True' as const, 'False' as const, 'Unknown' as const), heartbeatOnly: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dropConditions' as const), n: nodeIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('addNode' as const), n: nodeIx, zone: fc.integer({ min: 0, max: 2 }), exclude: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('deleteNode' as const), n: nodeIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('zone' as const), n: nodeIx, zone: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('pod' as const), n: nodeIx }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repod' as const), n: nodeIx }) },
);

/** A start every generated scenario shares: the first nodes Ready with their Leases, so that they reach the steady path. */
const warmUp: Op[] = [];
for (let n = 0; n < 4; n++) warmUp.push({ op: 'ready', n, status: 'True', heartbeatOnly: false }, { op: 'renew', n, back: 0 });
warmUp.push({ op: 'wait', ms: 6_000 });

describe('node lifecycle: skipping unchanged steady nodes', () => {
  it('property: skipping on, off, and the plain lookups give the same writes, Events, zone states and objects', () => {
    fc.assert(
      fc.property(fc.constantFrom(10_000, 20_000, 50_000), fc.constantFrom(15_000, 60_000), fc.array(opArb, { minLength: 5, maxLength: 60 }), (grace, startup, ops) => {
        const all = [...warmUp, ...ops];
        const skipping = run({ positionHints: true, skipUnchanged: true }, grace, startup, all);
        const eager = run({ positionHints: true, skipUnchanged: true, lazyProbes: false }, grace, startup, all);
        const checked = run({ positionHints: true, skipUnchanged: false }, grace, startup, all);
        const plain = run({ positionHints: false, skipUnchanged: false, skipReadyPodChecks: false, listMirror: false, skipEmptyQueues: false }, grace, startup, all);
        const listed = run({ positionHints: true, skipUnchanged: true, listMirror: false }, grace, startup, all);
        // The pass times kept for two or four passes: pending comparisons settled every pass, or every other one.
        const ring2 = run({ positionHints: true, skipUnchanged: true, passTimesRing: 2 }, grace, startup, all);
        const ring4 = run({ positionHints: true, skipUnchanged: true, passTimesRing: 4 }, grace, startup, all);
        expect(skipping).toEqual(listed);
        expect(skipping).toEqual(ring2);
        expect(skipping).toEqual(ring4);
        expect(skipping).toEqual(eager);
        expect(skipping).toEqual(checked);
        expect(skipping).toEqual(plain);
      }),
      { numRuns: 500, seed: 17 },
    );
  });

  it('a pod delivered twice as newly bound before the check is checked once (processPods keys the deliveries)', () => {
    const ops: Op[] = [...warmUp, { op: 'ready', n: 1, status: 'False', heartbeatOnly: false }, { op: 'wait', ms: 5_000 }, { op: 'pod', n: 1 }, { op: 'repod', n: 1 }, { op: 'wait', ms: 1_000 }];
    const skipping = run({ positionHints: true, skipUnchanged: true }, 20_000, 60_000, ops);
    expect(skipping).toEqual(run({ positionHints: false, skipUnchanged: false, skipReadyPodChecks: false, listMirror: false, skipEmptyQueues: false }, 20_000, 60_000, ops));
    expect(skipping.filter((r) => r.includes('Node is not ready') && r.includes('"name":"p0"')).length).toBe(1);
  });

  it('a Lease renewed with an older time than the one a pass took, yet newer than an earlier one, does not move the probe time', () => {
    // n0's entry is made at 5 s over the Lease of 0 s; the pass at 10 s takes the one of 6 s; at 12 s the Lease is set
    // back to 2 s, older than 6 s: Ready turns Unknown a grace period after 10 s, not after 15 s.
    const ops: Op[] = [...warmUp, { op: 'renew', n: 0, back: 0 }, { op: 'wait', ms: 6_000 }, { op: 'renew', n: 0, back: 10_000 }, { op: 'wait', ms: 30_000 }];
    const skipping = run({ positionHints: true, skipUnchanged: true }, 10_000, 60_000, ops);
    expect(skipping).toEqual(run({ positionHints: false, skipUnchanged: false }, 10_000, 60_000, ops));
    const unknown = skipping.find((r) => r.includes('Kubelet stopped posting node status.') && r.includes('"type":"update"') && r.includes('"name":"n0"'));
    expect((JSON.parse(unknown ?? '{}') as { t?: number }).t).toBe(25_000);
  });

  it('a renewal no pass saw, then an older one, leaves the newest lease a pass saw with that pass time (lazy probe updates)', () => {
    // n0's entry takes the Lease of 0 s at 5 s (deadline 25 s with a 20 s grace period). Renewed at 11 s (seen by the
    // skipping passes at 15 and 20 s), at 21 s (seen by none), then set back to 9 s at 22 s: the pass at 25 s keeps
    // the lease of 11 s taken at 15 s, so n0 turns Unknown at the first pass after 35 s.
    const ops: Op[] = [
      ...warmUp,
      { op: 'wait', ms: 5_000 },
      { op: 'renew', n: 0, back: 0 },
      { op: 'wait', ms: 10_000 },
      { op: 'renew', n: 0, back: 0 },
      { op: 'wait', ms: 1_000 },
      { op: 'renew', n: 0, back: 13_000 },
      { op: 'wait', ms: 30_000 },
    ];
    const lazy = run({ positionHints: true, skipUnchanged: true }, 20_000, 60_000, ops);
    expect(lazy).toEqual(run({ positionHints: true, skipUnchanged: true, lazyProbes: false }, 20_000, 60_000, ops));
    expect(lazy).toEqual(run({ positionHints: false, skipUnchanged: false }, 20_000, 60_000, ops));
    const unknown = lazy.find((r) => r.includes('Kubelet stopped posting node status.') && r.includes('"type":"update"') && r.includes('"name":"n0"'));
    expect((JSON.parse(unknown ?? '{}') as { t?: number }).t).toBe(40_000);
  });

  it('leaving full disruption gives every node a fresh grace period after the Lease comparisons the passes owed (lazy probe updates)', () => {
    // Every zone's nodes Unknown, then Ready again; meanwhile n4, left out of zone counting, stays steady and is
    // renewed between passes that skip it. Leaving the disruption resets its probe time, and its renewals then stop.
    const ops: Op[] = [...warmUp, { op: 'addNode', n: 4, zone: 1, exclude: true }, { op: 'ready', n: 4, status: 'True', heartbeatOnly: false }, { op: 'renew', n: 4, back: 0 }];
    ops.push({ op: 'wait', ms: 10_000 });
    for (let n = 0; n < 4; n++) ops.push({ op: 'ready', n, status: 'Unknown', heartbeatOnly: false });
    // Renewed at 16, 19 and 22 s; the pass at 25 s sees the last, the one at 30 s leaves the disruption.
    for (let i = 0; i < 3; i++) ops.push({ op: 'renew', n: 4, back: 0 }, { op: 'wait', ms: 3_000 });
    ops.push({ op: 'wait', ms: 3_000 });
    for (let n = 0; n < 4; n++) ops.push({ op: 'ready', n, status: 'True', heartbeatOnly: false }, { op: 'renew', n, back: 0 });
    ops.push({ op: 'wait', ms: 40_000 });
    const lazy = run({ positionHints: true, skipUnchanged: true }, 20_000, 60_000, ops);
    expect(lazy.some((r) => r.includes('FullDisruption'))).toBe(true);
    expect(lazy).toEqual(run({ positionHints: true, skipUnchanged: true, lazyProbes: false }, 20_000, 60_000, ops));
    expect(lazy).toEqual(run({ positionHints: false, skipUnchanged: false }, 20_000, 60_000, ops));
  });

  it('a node whose renewals stop turns Unknown a grace period after the last renewal a pass saw, skipped in between (the property is not vacuous)', () => {
    const ops: Op[] = [...warmUp];
    // n0 and n1 renewed every 4 s for a minute, then n0 stops while n1 goes on.
    for (let i = 0; i < 15; i++) ops.push({ op: 'renew', n: 0, back: 0 }, { op: 'renew', n: 1, back: 0 }, { op: 'wait', ms: 4_000 });
    for (let i = 0; i < 10; i++) ops.push({ op: 'renew', n: 1, back: 0 }, { op: 'wait', ms: 4_000 });
    const skipping = run({ positionHints: true, skipUnchanged: true }, 20_000, 60_000, ops);
    expect(skipping).toEqual(run({ positionHints: true, skipUnchanged: false }, 20_000, 60_000, ops));
    // When each went Unknown: n0 within the run of ops (~20 s after its last renewal at 66 s), n1 only after (106 s).
    const unknownAt = (name: string) =>
      skipping
        .filter((r) => r.includes('Kubelet stopped posting node status.') && r.includes('"type":"update"') && r.includes(`"name":"${name}"`))
        .map((r) => (JSON.parse(r) as { t: number }).t)[0];
    expect(unknownAt('n0')).toBeGreaterThan(66_000 + 20_000);
    expect(unknownAt('n0')).toBeLessThan(66_000 + 20_000 + 5_000 + 1);
    expect(unknownAt('n1')).toBeGreaterThan(106_000);
  });
});
