/**
 * The node lifecycle controller's steady monitor pass reads each node's Lease
 * from a slot its Lease informer handler fills (LeaseSlot) instead of looking
 * it up by name. These runs make the slot's hard cases happen — a stopped
 * kubelet whose Lease someone else renews, a Lease deleted and re-created
 * while the node stays, a Node deleted (its Lease lingering until the garbage
 * collector takes it) and re-created with the same name — and compare the
 * whole run log with the plain lookups (heartbeatShortcuts false turns the
 * slots off with the other shortcuts). A slot that missed a delivery (a
 * renewal, a deletion) moves the probe time on another pass, so Ready turns
 * Unknown at another time or not at all, and the logs differ.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import { startComponents } from '../../src/components.ts';
import { formatMicroTime } from '../../src/kubelet/nodeLease.ts';
import type { KObject } from '../../src/sim/types.ts';
import { node, stopKubelet } from './helpers.ts';

type LeaseObj = KObject & { spec?: { renewTime?: string; holderIdentity?: string } };

/** Someone other than the kubelet renews n0's Lease at `at` (virtual ms). */
function renewFromOutside(sim: Simulation): void {
  sim.store.patch<LeaseObj>('Lease', 'kube-node-lease', 'n0', (d) => void ((d.spec ??= {}).renewTime = formatMicroTime(sim.epochMs + sim.now)), { actor: 'test' });
}

function readyOf(sim: Simulation, name: string): string | undefined {
  const n = sim.store.get<KObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>('Node', '', name);
  return n?.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

interface Outcome {
  log: string[];
  /** n0's Ready condition after each step. */
  ready: Array<string | undefined>;
}

function run(shortcuts: boolean, steps: ReadonlyArray<(sim: Simulation) => void>): Outcome {
  const sink = new MemoryRunLogSink();
  const sim = Simulation.create({ seed: 3, log: sink });
  startComponents(sim, {}, { heartbeatShortcuts: shortcuts });
  for (let i = 0; i < 2; i++) sim.store.create(node(`n${i}`), { actor: 'test' });
  sim.runUntil(20_000);
  const ready: Array<string | undefined> = [];
  for (const step of steps) {
    step(sim);
    ready.push(readyOf(sim, 'n0'));
  }
  return { log: sink.records.map((r) => JSON.stringify(r)), ready };
}

const wait = (ms: number) => (sim: Simulation) => sim.runUntil(sim.now + ms);

describe('node lifecycle lease slots', () => {
  it('a stopped kubelet whose Lease someone else renews stays Ready; when the renewals stop it turns Unknown, at the same instant as with lookups', () => {
    const steps: Array<(sim: Simulation) => void> = [(sim) => stopKubelet(sim, 'n0')];
    // Renewals every 7 s for two minutes (past the 40 s grace period many times over), then none.
    for (let i = 0; i < 17; i++) steps.push(wait(7_000), renewFromOutside);
    for (let i = 0; i < 12; i++) steps.push(wait(5_000));
    const plain = run(false, steps);
    const fast = run(true, steps);
    expect(fast.ready).toEqual(plain.ready);
    expect(fast.log).toEqual(plain.log);
    // Not vacuous: Ready while renewed, Unknown after the renewals stopped.
    expect(fast.ready[34]).toBe('True');
    expect(fast.ready[fast.ready.length - 1]).toBe('Unknown');
  });

  it('a Lease deleted and re-created from outside, and a Node deleted and re-created with its Lease lingering, give the log of the lookups', () => {
    const recreateLease = (sim: Simulation) =>
      void sim.store.create(
        { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'n0', namespace: 'kube-node-lease' }, spec: { holderIdentity: 'n0', renewTime: formatMicroTime(sim.epochMs + sim.now) } } as LeaseObj,
        { actor: 'test' },
      );
    const deleteLease = (sim: Simulation) => void sim.store.delete('Lease', 'kube-node-lease', 'n0', { actor: 'test' });
    const steps: Array<(sim: Simulation) => void> = [
      (sim) => stopKubelet(sim, 'n0'),
      wait(12_000),
      // Deleted and back within the grace period, while n0 is on the steady path: the pass that first sees the
      // new Lease moves the probe time, so Ready turns Unknown one grace period later (a slot that missed the
      // new Lease would move it only when the full path ran, and Ready would turn Unknown later).
      deleteLease,
      wait(8_000),
      recreateLease,
    ];
    for (let i = 0; i < 14; i++) steps.push(wait(5_000));
    for (let i = 0; i < 3; i++) steps.push(wait(7_000), renewFromOutside);
    steps.push(
      // Deleted for longer than the grace period, then back.
      deleteLease,
      wait(30_000),
      recreateLease,
      wait(25_000),
      renewFromOutside,
      wait(25_000),
      (sim) => void sim.store.delete('Node', '', 'n1', { actor: 'test' }),
      wait(6_000),
      (sim) => void sim.store.create(node('n1'), { actor: 'test' }),
      wait(60_000),
      deleteLease,
      wait(90_000),
    );
    const plain = run(false, steps);
    const fast = run(true, steps);
    expect(fast.ready).toEqual(plain.ready);
    expect(fast.log).toEqual(plain.log);
    // n0 went Unknown a grace period after the re-created Lease.
    expect(fast.ready.slice(5, 19)).toContain('True');
    expect(fast.ready.slice(5, 19)).toContain('Unknown');
    expect(fast.ready[fast.ready.length - 1]).toBe('Unknown');
    expect(fast.log.some((r) => r.includes('"type":"delete","kind":"Node"'))).toBe(true);
  });
});
