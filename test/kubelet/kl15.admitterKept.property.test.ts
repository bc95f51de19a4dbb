/**
 * The admitter keeps each node's admission state on the kubelet's node agent (AdmitNode.admission) and reads
 * it there rather than looking the node's name up, for as long as it still keeps that state itself. Over
 * generated runs - admissions and releases on a few nodes, nodes deleted and created again (with another
 * capacity) while the caller keeps its object - every verdict and every node's usage equal those of the
 * same run where each call comes with a new object (so every call looks the name up).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { podAdmitter, type AdmitNode } from '../../src/kubelet/podAdmitter.ts';
import { defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';
import { node } from './helpers.ts';

type Op = { t: 'admit'; node: number; pod: number; cpu: string } | { t: 'release'; node: number; pod: number } | { t: 'delete'; node: number } | { t: 'create'; node: number; cpu: string };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('admit' as const), node: fc.integer({ min: 0, max: 2 }), pod: fc.integer({ min: 0, max: 9 }), cpu: fc.constantFrom('500m', '1', '2') }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('release' as const), node: fc.integer({ min: 0, max: 2 }), pod: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('delete' as const), node: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('create' as const), node: fc.integer({ min: 0, max: 2 }), cpu: fc.constantFrom('1', '2', '4') }) },
);

function pod(i: number, nodeName: string, cpu: string): Pod {
  return { metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}` }, spec: { nodeName, containers: [{ name: 'app', image: 'img', resources: { requests: { cpu } } }] } };
}

/** Each verdict, and after each step each node's admitted pods and usage as the admitter holds them. */
function run(ops: readonly Op[], keep: boolean): string[] {
  const sim = Simulation.create({ seed: 1 });
  const admitter = podAdmitter(sim);
  const config = defaultKubeletConfiguration();
  const names = ['n0', 'n1', 'n2'];
  const exists = [true, true, false];
  const make = (name: string, cpu: string) => {
    const capacity = { cpu, memory: '8Gi', pods: '3' };
    sim.store.create(node(name, capacity, { status: { allocatable: capacity } }), { actor: 'test' });
  };
  for (let i = 0; i < 2; i++) make(names[i]!, '2');
  // The objects a kubelet keeps per node (one each, across the node's deletion: the worst case for what is kept).
  const kept: AdmitNode[] = names.map((name) => ({ name, config }));
  const of = (i: number): AdmitNode => (keep ? kept[i]! : { name: names[i]!, config });
  const out: string[] = [];
  for (const o of ops) {
    switch (o.t) {
      case 'admit':
        out.push(JSON.stringify(admitter.admit(of(o.node), pod(o.pod, names[o.node]!, o.cpu))));
        break;
      case 'release':
        admitter.release(of(o.node), `uid-${o.pod}`);
        break;
      case 'delete':
        if (!exists[o.node]) continue;
        sim.store.delete('Node', '', names[o.node]!, { actor: 'test' });
        exists[o.node] = false;
        break;
      case 'create':
        if (exists[o.node]) continue;
        make(names[o.node]!, o.cpu);
        exists[o.node] = true;
        break;
    }
    for (const name of names) {
      const na = admitter.node(name);
      const u = na?.usage();
      out.push(na === undefined || u === undefined ? `${name}: -` : `${name}: ${u.pods} ${JSON.stringify([...u.requested])} ${[0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((i) => na.isAdmitted(`uid-${i}`)).join(',')}`);
    }
  }
  return out;
}

describe('PodAdmitter: the admission state kept on the node agent', () => {
  it('gives every verdict and usage a lookup by node name gives', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80, size: 'max' }), (ops) => {
        expect(run(ops, true)).toEqual(run(ops, false));
      }),
      { numRuns: 300 },
    );
  });
});
