/**
 * generateAPIPodStatus gives again the last kubelet-owned condition it built
 * of a type when the next one would have the same values (pods that start or
 * finish in the same second share one frozen condition). Over generated
 * interleavings of status writes for several pods - generations, phases,
 * readiness and times repeating across pods - each result must be the plain
 * build's (no sharing): the same JSON with keys in the same order, frozen
 * exactly when it is, every condition frozen, and what it shares between
 * pods equal to what it replaces.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ContainerStatus, Pod, PodStatus } from 'kubernetes-types/core/v1';
import { generateAPIPodStatus, type KubeletPodView } from '../../src/kubelet/status.ts';
import { deepFreeze } from '../../src/sim/store.ts';

const TIMES = ['2025-01-01T00:00:00Z', '2025-01-01T00:00:01Z', '2025-01-01T00:00:02Z'];
const PODS = 3;

function pod(i: number, generation: number): Pod {
  return {
    metadata: { name: `p${i}`, namespace: 'default', uid: `u${i}`, generation },
    spec: { containers: [{ name: 'app' }, { name: 'side' }] },
    status: { qosClass: 'BestEffort' },
  };
}

function status(name: string, ready: boolean): ContainerStatus {
  return Object.freeze({ name, image: 'img', imageID: '', ready, started: ready, restartCount: 0, state: Object.freeze({ running: Object.freeze({ startedAt: TIMES[0]! }) }) });
}

/** One status write: which pod, at which generation and time, with what the kubelet sees. */
const write = fc.record({
  pod: fc.integer({ min: 0, max: PODS - 1 }),
  generation: fc.constantFrom(1, 2),
  time: fc.constantFrom(...TIMES),
  phase: fc.constantFrom<KubeletPodView['phase']>('Pending', 'Running', 'Succeeded', 'Failed'),
  sandboxReady: fc.boolean(),
  appReady: fc.boolean(),
  sideReady: fc.boolean(),
  observed: fc.boolean(),
});

type Write = typeof write extends fc.Arbitrary<infer W> ? W : never;

function view(w: Write): KubeletPodView {
  return {
    phase: w.phase,
    sandboxReady: w.sandboxReady,
    hostIP: '172.18.0.2',
    podIP: '10.244.0.1',
    startTime: TIMES[0],
    initContainers: [],
    containers: Object.freeze([status('app', w.appReady), status('side', w.sideReady)]) as ContainerStatus[],
  };
}

/** Every write in turn, each over what the previous write of that pod stored (deep-frozen, as the store keeps it). */
function run(writes: readonly Write[], share: boolean): PodStatus[] {
  const stored: (PodStatus | undefined)[] = new Array<PodStatus | undefined>(PODS).fill(undefined);
  const out: PodStatus[] = [];
  for (const w of writes) {
    const p = pod(w.pod, w.generation);
    const s = generateAPIPodStatus(p, view(w), stored[w.pod] ?? { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: TIMES[0]! }] }, w.time, w.observed, true, share);
    out.push(s);
    stored[w.pod] = deepFreeze(s);
  }
  return out;
}

describe('generateAPIPodStatus condition sharing', () => {
  it('gives the unshared build, key order and freezing included, over interleaved writes (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 12 }), (writes) => {
        // Unshared first, shared after: any sharing left from earlier calls must not show either.
        const plain = run(writes, false);
        const shared = run(writes, true);
        for (let i = 0; i < writes.length; i++) {
          expect(JSON.stringify(shared[i])).toBe(JSON.stringify(plain[i]));
          expect(Object.isFrozen(shared[i])).toBe(Object.isFrozen(plain[i]));
          for (const c of shared[i]!.conditions ?? []) expect(Object.isFrozen(c)).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('shares the conditions of two pods written with the same values, not those of a later second', () => {
    const w: Write = { pod: 0, generation: 1, time: TIMES[1]!, phase: 'Running', sandboxReady: true, appReady: true, sideReady: true, observed: true };
    const [a, b, c] = run([w, { ...w, pod: 1 }, { ...w, pod: 2, time: TIMES[2]! }], true);
    expect(b!.conditions!.slice(0, 4).map((x, i) => x === a!.conditions![i])).toEqual([true, true, true, true]);
    expect(c!.conditions!.slice(0, 4).some((x, i) => x === a!.conditions![i])).toBe(false);
  });
});
