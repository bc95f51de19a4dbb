/**
 * generateAPIPodStatus builds each kubelet-owned condition as one literal and
 * gives back the stored (frozen) condition, the stored condition list and the
 * stored single-address hostIPs/podIPs when the new ones would be equal to
 * them. The result must be the same JSON, key order included, as the plain
 * build (the reference below is the generator as it was before the reuse),
 * and reuse must happen exactly when the stored part is frozen and equal with
 * the same keys in the same order.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1';
import { generateAPIPodStatus, type KubeletPodView } from '../../src/kubelet/status.ts';
import { getPodQOS } from '../../src/api/qos.ts';
import { deepFreeze } from '../../src/sim/store.ts';

// ---- the reference: the plain build (every condition, list and address list new) ----

function cond(type: string, ok: boolean, time: string, reason?: string, message?: string): PodCondition {
  const c: PodCondition = { type, status: ok ? 'True' : 'False', lastTransitionTime: time };
  if (!ok && reason) c.reason = reason;
  if (!ok && message) c.message = message;
  return c;
}

function refInitialized(pod: Pod, view: KubeletPodView, time: string): PodCondition {
  const incomplete: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = view.initContainers.find((x) => x.name === c.name);
    const done = c.restartPolicy === 'Always' ? s?.started === true : s?.state?.terminated?.exitCode === 0;
    if (!done) incomplete.push(c.name);
  }
  if (incomplete.length === 0 || view.containers.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return cond('Initialized', true, time);
  return cond('Initialized', false, time, 'ContainersNotInitialized', `containers with incomplete status: [${incomplete.join(' ')}]`);
}

function refContainersReady(pod: Pod, view: KubeletPodView, time: string): PodCondition {
  if (view.phase === 'Succeeded') return cond('ContainersReady', false, time, 'PodCompleted');
  const names: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always' && !view.initContainers.find((x) => x.name === c.name)?.ready) names.push(c.name);
  for (const c of pod.spec?.containers ?? []) if (!view.containers.find((x) => x.name === c.name)?.ready) names.push(c.name);
  if (names.length === 0) return cond('ContainersReady', true, time);
  return cond('ContainersReady', false, time, 'ContainersNotReady', `containers with unready status: [${names.join(' ')}]`);
}

function refReady(pod: Pod, cr: PodCondition, current: readonly PodCondition[], time: string): PodCondition {
  if (cr.status !== 'True') return { ...cr, type: 'Ready' };
  const missing: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = current.find((x) => x.type === g.conditionType);
    if (!c) missing.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') missing.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (missing.length > 0) return cond('Ready', false, time, 'ReadinessGatesNotReady', missing.join(', '));
  return cond('Ready', true, time);
}

function finish(c: PodCondition, prev: PodCondition | undefined, time: string, gen: number | undefined): PodCondition {
  if (prev && prev.status === c.status) c.lastTransitionTime = prev.lastTransitionTime ?? time;
  if (gen !== undefined) (c as PodCondition & { observedGeneration?: number }).observedGeneration = gen;
  return c;
}

const OWNED = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

function reference(pod: Pod, view: KubeletPodView, current: PodStatus | undefined, time: string, observedGeneration: boolean): PodStatus {
  const old = current?.conditions ?? [];
  const first = (t: string) => old.find((c) => c.type === t);
  const others = old.filter((c) => !OWNED.has(c.type));
  const scheduled = first('PodScheduled') ?? cond('PodScheduled', true, time);
  const cr = refContainersReady(pod, view, time);
  const gen = observedGeneration ? pod.metadata?.generation : undefined;
  const conditions = [
    finish(cond('PodReadyToStartContainers', view.sandboxReady, time), first('PodReadyToStartContainers'), time, gen),
    finish(refInitialized(pod, view, time), first('Initialized'), time, gen),
    finish(refReady(pod, cr, old, time), first('Ready'), time, gen),
    finish(cr, first('ContainersReady'), time, gen),
    scheduled,
    ...others,
  ];
  const s: PodStatus = { ...current, phase: view.phase, conditions, qosClass: getPodQOS(pod) };
  if (observedGeneration && pod.metadata?.generation !== undefined) (s as { observedGeneration?: number }).observedGeneration = pod.metadata.generation;
  if (view.hostIP) {
    s.hostIP = view.hostIP;
    s.hostIPs = [{ ip: view.hostIP }];
  }
  if (view.podIP) {
    s.podIP = view.podIP;
    s.podIPs = [{ ip: view.podIP }];
  }
  if (view.startTime) s.startTime = current?.startTime ?? view.startTime;
  if (view.reason) s.reason = view.reason;
  if (view.message) s.message = view.message;
  if (view.initContainers.length > 0) s.initContainerStatuses = view.initContainers;
  s.containerStatuses = view.containers;
  return s;
}

// ---- generators ----

const T0 = '2025-01-01T00:00:00Z';
const T1 = '2025-01-01T00:00:10Z';
const T2 = '2025-01-01T00:00:20Z';

const state = fc.constantFrom<ContainerStatus['state']>({ running: { startedAt: T0 } }, { terminated: { exitCode: 0, reason: 'Completed', startedAt: T0, finishedAt: T1 } }, { terminated: { exitCode: 1, reason: 'Error', startedAt: T0, finishedAt: T1 } }, { waiting: { reason: 'ContainerCreating' } });
const status = (name: string) =>
  fc.record({ ready: fc.boolean(), started: fc.boolean(), state, last: fc.boolean() }).map(({ ready, started, state, last }): ContainerStatus => {
    const s: ContainerStatus = { name, image: 'x', imageID: '', ready, started, restartCount: 0, state };
    if (last) s.lastState = { terminated: { exitCode: 1, reason: 'Error', startedAt: T0, finishedAt: T0 } };
    return s;
  });

const podAndView = fc
  .record({
    init: fc.array(fc.constantFrom<'Always' | undefined>('Always', undefined), { maxLength: 2 }),
    apps: fc.integer({ min: 1, max: 2 }),
    gates: fc.subarray(['a.io/one', 'b.io/two']),
    generation: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
    phase: fc.constantFrom<KubeletPodView['phase']>('Pending', 'Running', 'Succeeded', 'Failed'),
    sandboxReady: fc.boolean(),
    hostIP: fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2'), { nil: undefined }),
    podIP: fc.option(fc.constantFrom('10.244.0.1', '10.244.0.2'), { nil: undefined }),
    reason: fc.option(fc.constantFrom('Evicted'), { nil: undefined }),
  })
  .chain((r) =>
    fc
      .record({
        initStatuses: fc.tuple(...r.init.map((_, i) => status(`init${i}`))),
        appStatuses: fc.tuple(...Array.from({ length: r.apps }, (_, i) => status(`app${i}`))),
      })
      .map(({ initStatuses, appStatuses }) => {
        const pod: Pod = {
          metadata: { name: 'p', namespace: 'default', uid: 'u', ...(r.generation !== undefined ? { generation: r.generation } : {}) },
          spec: {
            initContainers: r.init.map((p, i) => ({ name: `init${i}`, ...(p ? { restartPolicy: p } : {}) })),
            containers: Array.from({ length: r.apps }, (_, i) => ({ name: `app${i}` })),
            ...(r.gates.length > 0 ? { readinessGates: r.gates.map((conditionType) => ({ conditionType })) } : {}),
          },
        };
        const view: KubeletPodView = {
          phase: r.phase,
          sandboxReady: r.sandboxReady,
          hostIP: r.hostIP,
          podIP: r.podIP,
          startTime: T0,
          ...(r.reason ? { reason: r.reason, message: 'm' } : {}),
          initContainers: initStatuses,
          containers: appStatuses,
        };
        return { pod, view };
      }),
  );

/** How the stored status was made: by an earlier kubelet write (what reuse finds), then perhaps edited by someone else. */
const storedEdit = fc.constantFrom('none', 'reorder', 'extraKey', 'unfrozen', 'gateTrue', 'otherWriter', 'dropReady', 'addressExtraKey');

function storedFrom(pod: Pod, prevView: KubeletPodView, edit: string, observedGeneration: boolean): PodStatus {
  const s = reference(pod, prevView, { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: T0 }] }, T0, observedGeneration);
  let conditions = s.conditions!;
  switch (edit) {
    case 'reorder':
      // Same values, another key order (as another writer might store them).
      conditions = conditions.map((c) => Object.fromEntries(Object.entries(c).reverse()) as PodCondition);
      break;
    case 'extraKey':
      conditions = conditions.map((c) => ({ ...c, lastProbeTime: T0 }));
      break;
    case 'gateTrue':
      conditions = [...conditions, { type: 'a.io/one', status: 'True', lastTransitionTime: T0 }];
      break;
    case 'otherWriter':
      conditions = [...conditions, { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', lastTransitionTime: T0 }];
      break;
    case 'dropReady':
      conditions = conditions.filter((c) => c.type !== 'Ready');
      break;
  }
  const stored = { ...s, conditions };
  if (edit === 'addressExtraKey') {
    // Same addresses, each with a key the kubelet does not write.
    if (stored.hostIPs) stored.hostIPs = stored.hostIPs.map((a) => ({ ...a, note: 'x' }) as { ip: string });
    if (stored.podIPs) stored.podIPs = stored.podIPs.map((a) => ({ ...a, note: 'x' }) as { ip: string });
  }
  return edit === 'unfrozen' ? stored : deepFreeze(stored);
}

describe('generateAPIPodStatus reuse', () => {
  it('gives the plain build, key order included, over stored statuses (fast-check)', () => {
    fc.assert(
      fc.property(podAndView, podAndView, storedEdit, fc.boolean(), ({ pod, view: prevView }, { view }, edit, og) => {
        const current = storedFrom(pod, prevView, edit, og);
        const got = generateAPIPodStatus(pod, view, current, T2, og);
        expect(JSON.stringify(got)).toBe(JSON.stringify(reference(pod, view, current, T2, og)));
        // What it newly shares (the kubelet's own four conditions, the list, the address lists) is frozen stored parts only.
        // (PodScheduled and others' conditions are passed on as stored, frozen or not, as always.)
        const stored = new Set<unknown>([current.conditions, current.hostIPs, current.podIPs, ...(current.conditions ?? [])]);
        // (Address lists the view does not set are the stored ones, spread over, as always.)
        for (const part of [got.conditions, view.hostIP ? got.hostIPs : undefined, view.podIP ? got.podIPs : undefined, ...(got.conditions ?? []).slice(0, 4)]) {
          if (part !== undefined && stored.has(part)) expect(Object.isFrozen(part)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("uses the view's own frozen address lists only for its addresses, giving the plain build and the same freezing (fast-check)", () => {
    const made = fc.option(fc.constantFrom('10.0.0.1', '10.0.0.2', '10.244.0.1', '10.244.0.2'), { nil: undefined });
    fc.assert(
      fc.property(podAndView, podAndView, storedEdit, fc.boolean(), made, made, ({ pod, view: prevView }, { view }, edit, og, hostMade, podMade) => {
        const current = storedFrom(pod, prevView, edit, og);
        const withLists: KubeletPodView = {
          ...view,
          ...(hostMade ? { hostIPs: Object.freeze([Object.freeze({ ip: hostMade })]) } : {}),
          ...(podMade ? { podIPs: Object.freeze([Object.freeze({ ip: podMade })]) } : {}),
        };
        const got = generateAPIPodStatus(pod, withLists, current, T2, og);
        const plain = generateAPIPodStatus(pod, view, current, T2, og);
        expect(JSON.stringify(got)).toBe(JSON.stringify(reference(pod, view, current, T2, og)));
        expect(JSON.stringify(got)).toBe(JSON.stringify(plain));
        expect(Object.isFrozen(got)).toBe(Object.isFrozen(plain));
        // A made list is used only for the address it holds.
        if (got.hostIPs === withLists.hostIPs && got.hostIPs !== undefined) expect(got.hostIPs[0]!.ip).toBe(view.hostIP);
        if (got.podIPs === withLists.podIPs && got.podIPs !== undefined) expect(got.podIPs[0]!.ip).toBe(view.podIP);
      }),
      { numRuns: 1000 },
    );
  });

  it('shares the stored conditions, list and address lists when nothing changed; a change makes new ones', () => {
    const pod: Pod = { metadata: { name: 'p', namespace: 'default', uid: 'u', generation: 1 }, spec: { containers: [{ name: 'app' }] } };
    const running: ContainerStatus = { name: 'app', image: 'x', imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: T0 } } };
    const view: KubeletPodView = { phase: 'Running', sandboxReady: true, hostIP: '10.0.0.1', podIP: '10.244.0.1', startTime: T0, initContainers: [], containers: [running] };
    const stored = deepFreeze(generateAPIPodStatus(pod, view, { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: T0 }] }, T1));
    const again = generateAPIPodStatus(pod, view, stored, T2);
    expect(again.conditions).toBe(stored.conditions);
    expect(again.hostIPs).toBe(stored.hostIPs);
    expect(again.podIPs).toBe(stored.podIPs);
    // Succeeded: Initialized and PodScheduled stay the stored ones, the others are new, and so is the list.
    const done = generateAPIPodStatus(pod, { ...view, phase: 'Succeeded', sandboxReady: false, containers: [{ ...running, ready: false }] }, stored, T2);
    expect(done.conditions).not.toBe(stored.conditions);
    expect(done.conditions!.map((c) => stored.conditions!.includes(c))).toEqual([false, true, false, false, true]);
    expect(done.conditions![0]).toEqual({ type: 'PodReadyToStartContainers', status: 'False', lastTransitionTime: T2, observedGeneration: 1 });
    // A new generation: every kubelet condition new (observedGeneration moves), PodScheduled kept.
    const bumped = generateAPIPodStatus({ ...pod, metadata: { ...pod.metadata, generation: 2 } }, view, stored, T2);
    expect(bumped.conditions!.map((c) => stored.conditions!.includes(c))).toEqual([false, false, false, false, true]);
    expect(bumped.conditions![1]).toEqual({ type: 'Initialized', status: 'True', lastTransitionTime: T1, observedGeneration: 2 });
    // Another address: a new list.
    expect(generateAPIPodStatus(pod, { ...view, podIP: '10.244.0.2' }, stored, T2).podIPs).toEqual([{ ip: '10.244.0.2' }]);
  });
});
