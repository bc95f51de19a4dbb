/**
 * The kubelet finds the record of a pod it has just written in a ring of its
 * last status writes instead of the node's pod map (kubelet.ts ownWrites),
 * with its agent; takes a pod's first bound version as new without a look in
 * the map; and asks the agents' map whether a timer's node is still there
 * only once its agent is gone (lookupShortcuts). On
 * generated runs - pods that run and exit (restartPolicy Never, OnFailure with
 * failing exits, Always), get deleted, and nodes that are stopped, started,
 * deleted and made again under their pods - the run log (every write, its
 * resourceVersion and merge patch, every Event) and the stored pods are the
 * same with the ring as with a lookup in the map for every event.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import { startApiServer } from '../../src/components.ts';
import { createKubelets } from '../../src/kubelet/kubelet.ts';
import { ApiError } from '../../src/sim/errors.ts';
import { boundPod, node } from './helpers.ts';
import { startKubelet, stopKubelet } from '../controllers/helpers.ts';

type Op =
  | { t: 'wait'; ms: number }
  | { t: 'pod'; node: number; run: string; exit: string; policy: string; probe: boolean; sick?: boolean }
  | { t: 'deletePod'; pod: number; grace: number }
  | { t: 'stop'; node: number }
  | { t: 'start'; node: number }
  | { t: 'nodeDelete'; node: number }
  | { t: 'nodeCreate'; node: number };

const NODES = 2;
const nodeIx = fc.integer({ min: 0, max: NODES - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 30_000 }) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('pod' as const), node: nodeIx, run: fc.constantFrom('0s', '1s', '2s', '10s'), exit: fc.constantFrom('0', '1'), policy: fc.constantFrom('Never', 'OnFailure', 'Always'), probe: fc.boolean(), sick: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('deletePod' as const), pod: fc.nat(20), grace: fc.constantFrom(0, 1, 30) }) },
  fc.record({ t: fc.constant('stop' as const), node: nodeIx }),
  fc.record({ t: fc.constant('start' as const), node: nodeIx }),
  fc.record({ t: fc.constant('nodeDelete' as const), node: nodeIx }),
  fc.record({ t: fc.constant('nodeCreate' as const), node: nodeIx }),
);

function runLog(ops: readonly Op[], ring: boolean): string[] {
  const sink = new MemoryRunLogSink();
  const sim = Simulation.create({ seed: 5, log: sink });
  startApiServer(sim);
  sim.use(createKubelets({}, {}, { lookupShortcuts: ring }));
  for (let i = 0; i < NODES; i++) sim.store.create(node(`n${i}`), { actor: 'test' });
  sim.runUntil(1);
  let pods = 0;
  for (const o of ops) {
    try {
      switch (o.t) {
        case 'wait':
          sim.runUntil(sim.now + o.ms);
          break;
        case 'pod':
          // A readiness probe's first success is a timer of its own when an exit is pending: one that outlives its node's deletion.
          sim.store.create(
            boundPod(`p${pods++}`, `n${o.node}`, {
              restartPolicy: o.policy,
              annotations: { 'ksim.dev/run-duration': o.run, 'ksim.dev/exit-code': o.exit },
              ...(o.probe ? { container: { readinessProbe: { initialDelaySeconds: 5, tcpSocket: { port: 80 } } } } : {}),
              // A failing liveness probe kills the container, whose restart is a timer of the container's own.
              ...(o.sick ? { annotations: { 'ksim.dev/liveness-failure-rate': '1' }, container: { livenessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1, failureThreshold: 1 } } } : {}),
            }),
            { actor: 'test' },
          );
          break;
        case 'deletePod':
          sim.store.delete('Pod', 'default', `p${o.pod}`, { actor: 'test', gracePeriodSeconds: o.grace });
          break;
        case 'stop':
          stopKubelet(sim, `n${o.node}`);
          break;
        case 'start':
          startKubelet(sim, `n${o.node}`);
          break;
        case 'nodeDelete':
          sim.store.delete('Node', '', `n${o.node}`, { actor: 'test' });
          break;
        case 'nodeCreate':
          sim.store.create(node(`n${o.node}`), { actor: 'test' });
          break;
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
    }
  }
  sim.runUntil(sim.now + 60_000);
  return [...sink.records.map((r) => JSON.stringify(r)), JSON.stringify(sim.store.list('Pod'))];
}

describe('kubelet lookup shortcuts (ring of own writes, new bound pods, live agents)', () => {
  it("leave a deleted node's pending readiness timer as the map lookup does", () => {
    // The pod starts at 1 s; its readiness comes at 6 s by a timer of its own (its exit at 11 s is pending);
    // its node goes at 3 s, leaving that timer behind (a rare draw for the property below).
    const ops: Op[] = [
      { t: 'pod', node: 0, run: '10s', exit: '0', policy: 'Never', probe: true },
      { t: 'wait', ms: 3000 },
      { t: 'nodeDelete', node: 0 },
      { t: 'wait', ms: 5000 },
    ];
    const fast = runLog(ops, true);
    // The pod's start and the node's deletion are there; the stale timer writes nothing.
    expect(fast.filter((r) => r.includes('"kind":"Pod"')).length).toBeGreaterThan(1);
    expect(fast).toEqual(runLog(ops, false));
  });

  it("cancel a deleted pod's container restart as the walk over its containers does", () => {
    // The container fails its liveness probe at 2 s and waits out a 10 s back-off; the pod goes at 5 s.
    const ops: Op[] = [
      { t: 'pod', node: 0, run: '0s', exit: '0', policy: 'Always', probe: false, sick: true },
      { t: 'wait', ms: 5000 },
      { t: 'deletePod', pod: 0, grace: 0 },
      { t: 'wait', ms: 20_000 },
    ];
    const fast = runLog(ops, true);
    expect(fast.filter((r) => r.includes('"reason":"BackOff"')).length).toBeGreaterThan(0);
    expect(fast).toEqual(runLog(ops, false));
  });

  it('give the run log of map lookups for every Pod event and timer (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 24 }), (ops) => {
        const plain = runLog(ops, false);
        const fast = runLog(ops, true);
        expect(fast.length).toBe(plain.length);
        for (let i = 0; i < plain.length; i++) if (fast[i] !== plain[i]) expect(fast[i]).toBe(plain[i]);
      }),
      { numRuns: 200 },
    );
  });
});
