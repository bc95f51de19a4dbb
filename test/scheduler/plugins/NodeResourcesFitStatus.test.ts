/**
 * NodeResourcesFit's Filter shares one frozen Status per set of insufficient
 * resources (perf). Its reasons must still be exactly upstream's Fits
 * (fit.go fitsRequest: pods, cpu, memory, ephemeral-storage, then extended
 * resources in request order), node by node, within one cycle and across
 * cycles, including pods asking for many extended resources.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { computeFitRequest, factory, fitsRequest } from '../../../src/scheduler/plugins/NodeResourcesFit.ts';
import { Code, type FilterPlugin, type PreFilterPlugin } from '../../../src/scheduler/framework/types.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import { newCycleState } from '../../../src/scheduler/framework/cycleState.ts';
import { container, makeNode, makePod, newPodInfo, nodeInfo } from './pluginTestUtil.ts';

const scalarNames = Array.from({ length: 30 }, (_, i) => `example.com/r${i}`);

describe('NodeResourcesFit Filter reasons (upstream fitsRequest order)', () => {
  it('every rejected node gets exactly fitsRequest reasons, in order', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ cpu: fc.nat(4000), mem: fc.nat(4000), pods: fc.integer({ min: 0, max: 3 }), scalars: fc.array(fc.nat(3), { minLength: 30, maxLength: 30 }) }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.array(fc.record({ cpu: fc.nat(3000), mem: fc.nat(3000), nScalars: fc.constantFrom(0, 2, 25, 30), scalar: fc.nat(3) }), { minLength: 1, maxLength: 3 }),
        (nodes, pods) => {
          const pl = factory(undefined, fakeHandle({})) as unknown as PreFilterPlugin & FilterPlugin;
          const infos = nodes.map((n, i) => {
            const alloc: Record<string, string> = { cpu: `${n.cpu}m`, memory: String(n.mem), pods: String(n.pods) };
            scalarNames.forEach((s, j) => (alloc[s] = String(n.scalars[j]!)));
            return nodeInfo(makeNode(`n${i}`, { allocatable: alloc }), i % 2 ? [makePod({ containers: [container({ cpu: '500m', memory: '500' })] })] : []);
          });
          for (const p of pods) {
            const req: Record<string, string> = { cpu: `${p.cpu}m`, memory: String(p.mem) };
            for (let j = 0; j < p.nScalars; j++) req[scalarNames[j]!] = String(p.scalar + (j % 2));
            const pi = newPodInfo(makePod({ containers: [container(req)] }));
            const state = newCycleState();
            pl.preFilter(state, pi, infos);
            for (const ni of infos) {
              const st = pl.filter(state, pi, ni);
              const want = fitsRequest(computeFitRequest(pi.requests, () => false), ni.pods.length, ni.allocatable, ni.requested);
              if (want === null) expect(st).toBeNull();
              else {
                // v1.34+: unresolvable when a request exceeds the node's whole allocatable.
                const beyond = Object.entries(req).some(([k, v]) => Number(v.replace(/m$/, '')) > Number((ni.node.status?.allocatable?.[k] ?? '0').replace(/m$/, '')));
                expect(st?.code).toBe(beyond ? Code.UnschedulableAndUnresolvable : Code.Unschedulable);
                expect([...st!.reasons]).toEqual(want.map((r) => r.reason));
              }
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
