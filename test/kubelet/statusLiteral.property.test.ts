/**
 * generateAPIPodStatus builds the usual running status (current holding
 * the keys the kubelet's first write lays out, or the first three of them as
 * the scheduler leaves them; a view with host and pod IPs and a start time,
 * no reason, message or init containers) as one
 * literal instead of copying current key by key and setting the kubelet's
 * fields over it. On generated statuses and views - that shape and others,
 * frozen and not - the result must be the key-by-key build's: the same JSON
 * with the keys in the same order, frozen exactly when it is, and sharing
 * the same parts of current and of the view.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { generateAPIPodStatus, type KubeletPodView } from '../../src/kubelet/status.ts';

const T = '2025-01-01T00:00:10Z';
const RUNNING_KEYS = ['phase', 'qosClass', 'conditions', 'observedGeneration', 'hostIP', 'hostIPs', 'podIP', 'podIPs', 'startTime', 'containerStatuses'];
const OTHER_KEYS = ['reason', 'message', 'nominatedNodeName', 'initContainerStatuses'];

const maybeFrozen = <T extends object>(v: T, frozen: boolean): T => (frozen ? Object.freeze(v) : v);

const condition: fc.Arbitrary<PodCondition> = fc
  .record({
    type: fc.constantFrom('PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled', 'DisruptionTarget'),
    status: fc.constantFrom('True', 'False'),
    lastTransitionTime: fc.constantFrom('2025-01-01T00:00:00Z', T),
    frozen: fc.boolean(),
  })
  .map(({ frozen, ...c }) => maybeFrozen(c, frozen));

const ipList = fc
  .record({ ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '172.18.0.2'), frozen: fc.boolean(), extra: fc.boolean() })
  .map(({ ip, frozen, extra }) => maybeFrozen(extra ? [maybeFrozen({ ip }, frozen), { ip: '10.9.9.9' }] : [maybeFrozen({ ip }, frozen)], frozen));

const containerStatus: fc.Arbitrary<ContainerStatus> = fc
  .record({ name: fc.constantFrom('app', 'side'), ready: fc.boolean(), started: fc.boolean(), frozen: fc.boolean() })
  .map(({ frozen, ...c }) => maybeFrozen({ ...c, image: 'img', imageID: '', restartCount: 0, state: { running: { startedAt: T } } }, frozen));

/** A value for each status key. */
const values = fc.record({
  phase: fc.constantFrom('Pending', 'Running'),
  qosClass: fc.constantFrom('Burstable', 'BestEffort'),
  conditions: fc.array(condition, { maxLength: 6 }).chain((cs) => fc.boolean().map((f) => maybeFrozen(cs, f))),
  observedGeneration: fc.constantFrom(1, 2),
  hostIP: fc.constantFrom('172.18.0.2', '172.18.0.3'),
  hostIPs: ipList,
  podIP: fc.constantFrom('10.0.0.1', '10.0.0.2'),
  podIPs: ipList,
  startTime: fc.constantFrom('2025-01-01T00:00:00Z', T, undefined),
  containerStatuses: fc.array(containerStatus, { maxLength: 2 }).chain((cs) => fc.boolean().map((f) => maybeFrozen(cs, f))),
  reason: fc.constantFrom('Evicted', 'X'),
  message: fc.constantFrom('m'),
  nominatedNodeName: fc.constantFrom('n1'),
  initContainerStatuses: fc.constant([] as ContainerStatus[]),
});

/** current: undefined, exactly the running keys in their order (half the time), or another choice and order of keys. */
const current: fc.Arbitrary<PodStatus | undefined> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: fc.constant(RUNNING_KEYS) },
  { weight: 3, arbitrary: fc.shuffledSubarray([...RUNNING_KEYS, ...OTHER_KEYS]) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 10 }).map((n) => RUNNING_KEYS.slice(0, n)) },
  { weight: 1, arbitrary: fc.constantFrom([...RUNNING_KEYS, 'reason'], ['phase', 'qosClass', 'conditions', 'reason'], ['phase', 'conditions', 'qosClass'], ['qosClass', 'phase', 'conditions']) },
).chain((keys) =>
  keys === undefined
    ? fc.constant(undefined)
    : fc.tuple(values, fc.boolean()).map(([v, frozen]) => {
        const s: Record<string, unknown> = {};
        for (const k of keys) s[k] = (v as Record<string, unknown>)[k];
        return maybeFrozen(s, frozen) as PodStatus;
      }),
);

const anyView: fc.Arbitrary<KubeletPodView> = fc
  .record({
    phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed') as fc.Arbitrary<KubeletPodView['phase']>,
    hostIP: fc.constantFrom('172.18.0.2', '', undefined),
    podIP: fc.constantFrom('10.0.0.1', '10.0.0.2', '', undefined),
    startTime: fc.constantFrom(T, '', undefined),
    reason: fc.constantFrom(undefined, undefined, '', 'Evicted'),
    message: fc.constantFrom(undefined, undefined, '', 'm'),
    sandboxReady: fc.boolean(),
    init: fc.boolean(),
    containers: fc.array(containerStatus, { maxLength: 2 }).chain((cs) => fc.boolean().map((f) => maybeFrozen(cs, f))),
  })
  .map(({ init, ...v }) => {
    const out: KubeletPodView = { phase: v.phase, sandboxReady: v.sandboxReady, initContainers: init ? [{ name: 'init', image: 'img', imageID: '', ready: false, restartCount: 0 }] : [], containers: v.containers };
    if (v.hostIP !== undefined) out.hostIP = v.hostIP;
    if (v.podIP !== undefined) out.podIP = v.podIP;
    if (v.startTime !== undefined) out.startTime = v.startTime;
    if (v.reason !== undefined) out.reason = v.reason;
    if (v.message !== undefined) out.message = v.message;
    return out;
  });

/** A running pod's view (what most kubelet writes send), or any other. */
const view: fc.Arbitrary<KubeletPodView> = fc.oneof(
  anyView,
  anyView.map((v) => ({ phase: v.phase, sandboxReady: v.sandboxReady, hostIP: '172.18.0.2', podIP: v.podIP || '10.0.0.1', startTime: T, initContainers: [], containers: v.containers })),
);

function podOf(generation: number | undefined, status: PodStatus | undefined): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u', ...(generation !== undefined ? { generation } : {}) },
    spec: { containers: [{ name: 'app', image: 'img' }, { name: 'side', image: 'img' }] },
    ...(status !== undefined ? { status } : {}),
  };
}

describe('generateAPIPodStatus one-literal build', () => {
  it('gives the key-by-key build: same JSON and key order, frozen alike, the same shared parts', () => {
    let literalCases = 0;
    fc.assert(
      fc.property(current, view, fc.constantFrom(undefined, 1, 3), fc.oneof(fc.constant(true), fc.boolean()), (cur, v, generation, observed) => {
        const pod = podOf(generation, cur);
        const fast = generateAPIPodStatus(pod, v, cur, T, observed) as Record<string, unknown>;
        const plain = generateAPIPodStatus(pod, v, cur, T, observed, false) as Record<string, unknown>;
        const keys = cur === undefined ? [] : Object.keys(cur);
        if (cur !== undefined && keys.length >= 3 && keys.join() === RUNNING_KEYS.slice(0, keys.length).join() && observed && generation !== undefined && v.hostIP && v.podIP && v.startTime && !v.reason && !v.message && v.initContainers.length === 0) literalCases++;
        expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
        expect(Object.keys(fast)).toEqual(Object.keys(plain));
        expect(Object.isFrozen(fast)).toBe(Object.isFrozen(plain));
        const stored = (cur ?? {}) as Record<string, unknown>;
        for (const k of Object.keys(plain)) {
          expect(fast[k] === stored[k]).toBe(plain[k] === stored[k]);
          expect(fast[k] === v.containers).toBe(plain[k] === v.containers);
          if (typeof plain[k] === 'object' && plain[k] !== null) expect(Object.isFrozen(fast[k])).toBe(Object.isFrozen(plain[k]));
        }
      }),
      { numRuns: 1000 },
    );
    // The literal build was taken often enough to be tested.
    expect(literalCases).toBeGreaterThan(50);
  });
});
