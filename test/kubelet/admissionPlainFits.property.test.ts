/**
 * NodeAdmission keeps the admitted pods' cpu, memory and ephemeral-storage
 * requests and the node's allocatable pods, cpu, memory and ephemeral-storage
 * as numbers, and works Fits out over them when a pod requests nothing else.
 * On generated runs - admissions of pods requesting any mix of those, the pod
 * count, extended and other resources (zero and negative amounts included),
 * releases, and Node versions with another frozen, an unfrozen or no
 * allocatable - every verdict equals that of the general Fits over usage(),
 * and usage() holds what a map summing every admitted pod's requests holds.
 * Also: predicateAdmit, which stops at the first failure, names the rejection
 * the full list of failures upstream collects would name first.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1';
import { NodeAdmission } from '../../src/kubelet/admission.ts';
import { defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';
import {
  allocatableAmounts,
  ErrReasonNodeAffinity,
  ErrReasonNodeName,
  ErrReasonNodePorts,
  ErrReasonTaints,
  fits,
  matchesRequiredNodeAffinity,
  podHostPorts,
  podRequestAmounts,
  predicateAdmit,
  untoleratedNoExecuteTaint,
  type NodeUsage,
} from '../../src/kubelet/lifecycle/predicate.ts';

const resourceName = fc.constantFrom('cpu', 'memory', 'ephemeral-storage', 'pods', 'example.com/gpu', 'hugepages-2Mi');
const amount = fc.constantFrom('0', '100m', '1', '2', '64Mi', '1Gi', '3');
const requests = fc.dictionary(resourceName, amount, { maxKeys: 4 });

type Op =
  | { t: 'admit'; pod: number; requests: Record<string, string> }
  | { t: 'release'; pod: number }
  | { t: 'allocatable'; frozen: boolean; values: Record<string, string> }
  | { t: 'noAllocatable' };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('admit' as const), pod: fc.integer({ min: 0, max: 9 }), requests }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('release' as const), pod: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('allocatable' as const), frozen: fc.boolean(), values: fc.dictionary(resourceName, fc.constantFrom('1', '2', '4', '3', '4Gi', '10Gi'), { maxKeys: 6 }) }) },
  fc.record({ t: fc.constant('noAllocatable' as const) }),
);

function nodeWith(allocatable: Record<string, string> | undefined): Node {
  return { metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: allocatable === undefined ? {} : { allocatable } };
}

/** A pod whose spec parts are frozen, as the store's are (podRequestAmounts then keeps its amounts). */
function podWith(i: number, req: Record<string, string>): Pod {
  const containers = Object.freeze([Object.freeze({ name: 'app', image: 'img', resources: Object.freeze({ requests: Object.freeze({ ...req }) }) })]);
  return { metadata: { name: `p${i}`, namespace: 'default', uid: `uid-${i}` }, spec: { nodeName: 'n1', containers } as Pod['spec'] };
}

/** Every verdict, and the usage after every step as a map summing the admitted pods' requests sees it. */
function run(ops: readonly Op[], plain: boolean): string[] {
  let node = nodeWith(Object.freeze({ cpu: '2', memory: '4Gi', pods: '3' }));
  const na = new NodeAdmission(node, defaultKubeletConfiguration(), true, plain);
  const sums = new Map<string, number>();
  const held = new Map<string, ReadonlyMap<string, number>>();
  const out: string[] = [];
  for (const o of ops) {
    switch (o.t) {
      case 'admit': {
        const pod = podWith(o.pod, o.requests);
        const uid = `uid-${o.pod}`;
        const before = na.isAdmitted(uid);
        const v = na.admit(pod, node);
        out.push(JSON.stringify(v));
        if (v.admit && !before) {
          const r = podRequestAmounts(pod);
          held.set(uid, r);
          for (const [k, x] of r) sums.set(k, (sums.get(k) ?? 0) + x);
        }
        break;
      }
      case 'release': {
        const uid = `uid-${o.pod}`;
        na.release(uid);
        const r = held.get(uid);
        held.delete(uid);
        if (r) for (const [k, x] of r) sums.set(k, (sums.get(k) ?? 0) - x);
        break;
      }
      case 'allocatable':
        node = nodeWith(o.frozen ? Object.freeze({ ...o.values }) : { ...o.values });
        break;
      case 'noAllocatable':
        node = nodeWith(undefined);
        break;
    }
    const u = na.usage();
    const names = new Set([...sums.keys(), ...u.requested.keys()]);
    const seen = [...names].sort().map((k) => [k, u.requested.get(k) ?? 0, sums.get(k) ?? 0]);
    for (const [, got, want] of seen) expect(got).toBe(want);
    out.push(JSON.stringify({ pods: u.pods, seen, hostPorts: u.hostPorts }));
  }
  return out;
}

const taint = fc.record({ key: fc.constantFrom('a', 'b'), effect: fc.constantFrom('NoExecute', 'NoSchedule') }) as fc.Arbitrary<Taint>;

describe('NodeAdmission Fits over kept numbers', () => {
  it('gives the verdicts of the general Fits over usage(), and usage() sums the admitted requests (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), (ops) => {
        expect(run(ops, true)).toEqual(run(ops, false));
      }),
      { numRuns: 400 },
    );
  });

  it('predicateAdmit names the first of every failure upstream collects (property)', () => {
    fc.assert(
      fc.property(
        requests,
        fc.dictionary(resourceName, fc.constantFrom('1', '2', '4Gi'), { maxKeys: 4 }),
        fc.nat(4),
        fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined }),
        fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
        fc.array(taint, { maxLength: 2 }),
        fc.boolean(),
        (req, alloc, pods, nodeName, zone, hostPort, taints, tolerate) => {
          const pod: Pod = {
            metadata: { name: 'p', namespace: 'default', uid: 'u' },
            spec: {
              ...(nodeName ? { nodeName } : {}),
              ...(zone ? { nodeSelector: { zone } } : {}),
              ...(tolerate ? { tolerations: [{ key: 'a', operator: 'Exists' }] } : {}),
              containers: [{ name: 'app', image: 'img', resources: { requests: req }, ...(hostPort ? { ports: [{ containerPort: 80, hostPort }] } : {}) }],
            },
          };
          const node: Node = { metadata: { name: 'n1', labels: { zone: 'x' } }, spec: { taints }, status: { allocatable: alloc } };
          const usage: NodeUsage = { pods, requested: new Map([['cpu', 500]]), hostPorts: [{ protocol: 'TCP', hostIP: '0.0.0.0', port: 1 }] };
          const all = [...fits(podRequestAmounts(pod), allocatableAmounts(node), usage)];
          if (!matchesRequiredNodeAffinity(pod, node)) all.push({ reason: 'NodeAffinity', message: `Predicate NodeAffinity failed: ${ErrReasonNodeAffinity}` });
          if (pod.spec?.nodeName && pod.spec.nodeName !== 'n1') all.push({ reason: 'NodeName', message: `Predicate NodeName failed: ${ErrReasonNodeName}` });
          if (podHostPorts(pod).some((p) => p.port === 1)) all.push({ reason: 'NodePorts', message: `Predicate NodePorts failed: ${ErrReasonNodePorts}` });
          if (untoleratedNoExecuteTaint(node.spec?.taints, pod.spec?.tolerations)) all.push({ reason: 'TaintToleration', message: `Predicate TaintToleration failed: ${ErrReasonTaints}` });
          const first = all[0];
          expect(predicateAdmit(pod, node, usage)).toEqual(first ? { admit: false, reason: first.reason, message: first.message } : { admit: true });
        },
      ),
      { numRuns: 300 },
    );
  });
});
