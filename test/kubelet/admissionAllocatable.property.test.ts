/**
 * NodeAdmission keeps the amounts of the node's frozen status.allocatable and
 * reads them there while the Node holds that object, instead of calling
 * allocatableAmounts (a WeakMap probe) on every admission. On generated runs
 * - admissions and releases over Node versions whose allocatable stays the
 * same object, is replaced by another frozen one, is an unfrozen one edited
 * in place between admissions, or is missing - every verdict and the usage
 * after each step equal those of an admission that never keeps them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { NodeAdmission } from '../../src/kubelet/admission.ts';
import { defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';

type Op =
  | { t: 'admit'; pod: number; cpu: string; memory: string }
  | { t: 'release'; pod: number }
  | { t: 'sameAllocatable' }
  | { t: 'newFrozen'; cpu: string; pods: string }
  | { t: 'unfrozen'; cpu: string; pods: string }
  | { t: 'editUnfrozen'; cpu: string }
  | { t: 'noAllocatable' };

const cpu = fc.constantFrom('100m', '500m', '1', '2');
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('admit' as const), pod: fc.integer({ min: 0, max: 7 }), cpu, memory: fc.constantFrom('64Mi', '1Gi') }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('release' as const), pod: fc.integer({ min: 0, max: 7 }) }) },
  fc.record({ t: fc.constant('sameAllocatable' as const) }),
  fc.record({ t: fc.constant('newFrozen' as const), cpu: fc.constantFrom('1', '2', '4'), pods: fc.constantFrom('2', '3', '110') }),
  fc.record({ t: fc.constant('unfrozen' as const), cpu: fc.constantFrom('1', '2', '4'), pods: fc.constantFrom('2', '3', '110') }),
  fc.record({ t: fc.constant('editUnfrozen' as const), cpu: fc.constantFrom('1', '2', '4') }),
  fc.record({ t: fc.constant('noAllocatable' as const) }),
);

function nodeWith(allocatable: Record<string, string> | undefined): Node {
  return { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: allocatable === undefined ? {} : { allocatable } };
}

function pod(i: number, cpu: string, memory: string): Pod {
  return { metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}` }, spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'img', resources: { requests: { cpu, memory } } }] } };
}

/** Every verdict and the usage after every step. */
function run(ops: readonly Op[], keep: boolean): string[] {
  let allocatable: Record<string, string> | undefined = Object.freeze({ cpu: '2', memory: '4Gi', pods: '3' });
  let node = nodeWith(allocatable);
  const na = new NodeAdmission(node, defaultKubeletConfiguration(), keep);
  const out: string[] = [];
  for (const o of ops) {
    switch (o.t) {
      case 'admit':
        out.push(JSON.stringify(na.admit(pod(o.pod, o.cpu, o.memory), node)));
        break;
      case 'release':
        na.release(`uid-${o.pod}`);
        break;
      case 'sameAllocatable':
        node = nodeWith(allocatable);
        break;
      case 'newFrozen':
        allocatable = Object.freeze({ cpu: o.cpu, memory: '4Gi', pods: o.pods });
        node = nodeWith(allocatable);
        break;
      case 'unfrozen':
        allocatable = { cpu: o.cpu, memory: '4Gi', pods: o.pods };
        node = nodeWith(allocatable);
        break;
      case 'editUnfrozen':
        if (allocatable !== undefined && !Object.isFrozen(allocatable)) allocatable['cpu'] = o.cpu;
        break;
      case 'noAllocatable':
        allocatable = undefined;
        node = nodeWith(undefined);
        break;
    }
    const u = na.usage();
    out.push(JSON.stringify({ pods: u.pods, requested: [...u.requested], hostPorts: u.hostPorts }));
  }
  return out;
}

describe('NodeAdmission kept allocatable', () => {
  it('gives the verdicts and usage of allocatableAmounts on every admission', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        expect(run(ops, true)).toEqual(run(ops, false));
      }),
      { numRuns: 300 },
    );
  });
});
