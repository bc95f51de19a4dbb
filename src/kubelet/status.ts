/**
 * The pod status the kubelet reports, following generateAPIPodStatus
 * (pkg/kubelet/kubelet_pods.go) and pkg/kubelet/status (generate.go,
 * status_manager.go mergePodStatus):
 *
 *  - the kubelet owns PodReadyToStartContainers, Initialized, Ready,
 *    ContainersReady and PodScheduled; every other condition (DisruptionTarget,
 *    readiness-gate conditions, ...) belongs to someone else and is kept as it
 *    stands in the API server, after the kubelet's;
 *  - Initialized=False `ContainersNotInitialized` `containers with incomplete
 *    status: [init]`; ContainersReady/Ready=False `ContainersNotReady`
 *    `containers with unready status: [app]`, or `PodCompleted` once the pod
 *    Succeeded; Ready also waits for readinessGates
 *    (`ReadinessGatesNotReady`);
 *  - a condition keeps its lastTransitionTime while its status is unchanged.
 */
import type { ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { getPodQOS } from '../api/qos.ts';

export const KUBELET_CONDITIONS: ReadonlySet<string> = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/** The kubelet's view of a pod, from which its API status is generated. */
export interface KubeletPodView {
  phase: PodPhase;
  /** Pod-level reason and message (Evicted, a rejection). */
  reason?: string;
  message?: string;
  hostIP?: string;
  podIP?: string;
  /**
   * Frozen [{ ip: hostIP }] and [{ ip: podIP }] lists the kubelet made once (per node, per pod address) for
   * the status to hold when the stored list is not already that: pods then share them (as they share other
   * frozen parts) instead of each first write making two lists of one frozen address each. A list for
   * another address is not used.
   */
  hostIPs?: readonly { ip: string }[];
  podIPs?: readonly { ip: string }[];
  startTime?: string;
  sandboxReady: boolean;
  initContainers: ContainerStatus[];
  containers: ContainerStatus[];
}

/**
 * A kubelet-owned condition before its transition time and generation are
 * known: True, or False with a reason and message (each only when non-empty,
 * as the kubelet sets them).
 */
interface Verdict {
  ok: boolean;
  reason?: string;
  message?: string;
}

const True: Verdict = Object.freeze({ ok: true });
const False: Verdict = Object.freeze({ ok: false });
const PodCompleted: Verdict = Object.freeze({ ok: false, reason: 'PodCompleted' });

function cond(type: string, ok: boolean, time: string): PodCondition {
  return { type, status: ok ? 'True' : 'False', lastTransitionTime: time };
}

function isRestartable(pod: Pod, name: string): boolean {
  return pod.spec?.initContainers?.find((c) => c.name === name)?.restartPolicy === 'Always';
}

/** GeneratePodInitializedCondition. */
function initialized(pod: Pod, view: KubeletPodView): Verdict {
  const init = pod.spec?.initContainers;
  if (init === undefined || init.length === 0) return True;
  const incomplete: string[] = [];
  for (const c of init) {
    const s = view.initContainers.find((x) => x.name === c.name);
    const done = c.restartPolicy === 'Always' ? s?.started === true : s?.state?.terminated?.exitCode === 0;
    if (!done) incomplete.push(c.name);
  }
  // A pod that ran its containers stays Initialized even after they exit.
  if (incomplete.length === 0 || view.containers.some((s) => s.state?.running || s.state?.terminated || s.lastState?.terminated)) return True;
  return { ok: false, reason: 'ContainersNotInitialized', message: `containers with incomplete status: [${incomplete.join(' ')}]` };
}

function unready(pod: Pod, view: KubeletPodView): string[] | undefined {
  let names: string[] | undefined;
  // Lists read where they are (no empty array made for a pod without init containers: a status write each).
  const init = pod.spec?.initContainers;
  if (init !== undefined) {
    for (const c of init) {
      if (c.restartPolicy !== 'Always') continue;
      if (!view.initContainers.find((x) => x.name === c.name)?.ready) (names ??= []).push(c.name);
    }
  }
  const containers = pod.spec?.containers;
  if (containers === undefined) return names;
  for (const c of containers) {
    if (!view.containers.find((x) => x.name === c.name)?.ready) (names ??= []).push(c.name);
  }
  return names;
}

/** GenerateContainersReadyCondition. */
function containersReady(pod: Pod, view: KubeletPodView): Verdict {
  if (view.phase === 'Succeeded') return PodCompleted;
  const names = unready(pod, view);
  if (names === undefined) return True;
  return { ok: false, reason: 'ContainersNotReady', message: `containers with unready status: [${names.join(' ')}]` };
}

/** GeneratePodReadyCondition: ContainersReady plus every readiness gate's condition True. */
function ready(pod: Pod, containers: Verdict, current: readonly PodCondition[]): Verdict {
  if (!containers.ok) return containers;
  const gates = pod.spec?.readinessGates;
  if (gates === undefined || gates.length === 0) return True;
  const missing: string[] = [];
  for (const g of gates) {
    const c = current.find((x) => x.type === g.conditionType);
    if (!c) missing.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') missing.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (missing.length > 0) return { ok: false, reason: 'ReadinessGatesNotReady', message: missing.join(', ') };
  return True;
}

const NoConditions: readonly PodCondition[] = Object.freeze([]);

type Condition = PodCondition & { observedGeneration?: number };

/** The keys of a kubelet-owned condition, in the order it is built; index: reason 1, message 2, observedGeneration 4. */
const CONDITION_KEYS: readonly (readonly string[])[] = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => [
  'type',
  'status',
  'lastTransitionTime',
  ...(m & 1 ? ['reason'] : []),
  ...(m & 2 ? ['message'] : []),
  ...(m & 4 ? ['observedGeneration'] : []),
]);

/**
 * The last condition condition() built for each kubelet-owned type and status, at slot * 2 + (True ? 1 : 0) (slots:
 * PodReadyToStartContainers 0, Initialized 1, Ready 2, ContainersReady 3). Pods that start or finish in the same
 * second at the same generation get equal conditions, so the next one of that type and status with the same values
 * is that same frozen object: the store keeps it as it is, and pods share it as they share other frozen parts
 * (perf: ~3 new conditions per status write, two writes per pod). One per status, as a pod's start (True) and
 * another's end (False) alternate; no table to grow or to look up.
 */
const lastBuilt: (Condition | undefined)[] = new Array<Condition | undefined>(8).fill(undefined);

/**
 * A kubelet-owned condition: it keeps its lastTransitionTime while its status
 * is unchanged, and observedGeneration comes last. Built as one literal of its
 * final shape (a property added afterwards cost a map transition and a
 * property store per condition). When the stored condition is this very one -
 * frozen, the same values under the same keys in the same order, nothing else
 * - it is given back, so the store shares it rather than copying and freezing
 * an equal one.
 */
function condition(type: string, slot: number, v: Verdict, prev: Condition | undefined, time: string, gen: number | undefined, share: boolean): PodCondition {
  const status = v.ok ? 'True' : 'False';
  const reason = v.ok || !v.reason ? undefined : v.reason;
  const message = v.ok || !v.message ? undefined : v.message;
  const ltt = prev !== undefined && prev.status === status ? (prev.lastTransitionTime ?? time) : time;
  if (prev !== undefined && Object.isFrozen(prev) && prev.type === type && prev.status === status && prev.lastTransitionTime === ltt && prev.reason === reason && prev.message === message && prev.observedGeneration === gen) {
    const keys = CONDITION_KEYS[(reason !== undefined ? 1 : 0) | (message !== undefined ? 2 : 0) | (gen !== undefined ? 4 : 0)]!;
    let i = 0;
    let same = true;
    for (const k in prev) {
      if (keys[i] !== k) {
        same = false;
        break;
      }
      i++;
    }
    if (same && i === keys.length) return prev;
  }
  // Built by the literal below from values under the same keys (a key is there exactly when its value is defined),
  // so the same values give the same object, key order included.
  const at = slot * 2 + (v.ok ? 1 : 0);
  const last = share ? lastBuilt[at] : undefined;
  if (last !== undefined && last.type === type && last.status === status && last.lastTransitionTime === ltt && last.reason === reason && last.message === message && last.observedGeneration === gen) return last;
  // Frozen (it holds only scalars, so this is a deep freeze): the store keeps it as it is instead of copying it.
  let c: Condition;
  if (gen === undefined) {
    if (reason === undefined) c = message === undefined ? { type, status, lastTransitionTime: ltt } : { type, status, lastTransitionTime: ltt, message };
    else c = message === undefined ? { type, status, lastTransitionTime: ltt, reason } : { type, status, lastTransitionTime: ltt, reason, message };
  } else if (reason === undefined) c = message === undefined ? { type, status, lastTransitionTime: ltt, observedGeneration: gen } : { type, status, lastTransitionTime: ltt, message, observedGeneration: gen };
  else c = message === undefined ? { type, status, lastTransitionTime: ltt, reason, observedGeneration: gen } : { type, status, lastTransitionTime: ltt, reason, message, observedGeneration: gen };
  Object.freeze(c);
  if (share) lastBuilt[at] = c;
  return c;
}

/**
 * The stored single-address list when it is exactly [{ ip }] and frozen (shared by the store), else `made` (the
 * view's frozen list) when it is for `ip`, else a new one: the same frozen [{ ip }] in each case.
 */
function ipList(current: readonly { ip: string }[] | undefined, ip: string, made: readonly { ip: string }[] | undefined): { ip: string }[] {
  if (current !== undefined && current.length === 1 && Object.isFrozen(current)) {
    const only = current[0]!;
    if (only.ip === ip) {
      let n = 0;
      for (const _ in only) n++;
      if (n === 1) return current as { ip: string }[];
    }
  }
  if (made !== undefined && made[0]!.ip === ip) return made as { ip: string }[];
  return addressList(ip) as { ip: string }[];
}

/** A status address list of one address, [{ ip }], frozen (the store keeps it as it is, and statuses may share it). */
export function addressList(ip: string): readonly { ip: string }[] {
  return Object.freeze([Object.freeze({ ip })]);
}

/**
 * The keys of a running pod's status once the kubelet has written it, in the order the build below lays
 * them out: the scheduler's PodScheduled write leaves the first three (phase, qosClass, conditions), and
 * the kubelet's first write appends the rest in this order.
 */
const RUNNING_STATUS_KEYS: readonly string[] = ['phase', 'qosClass', 'conditions', 'observedGeneration', 'hostIP', 'hostIPs', 'podIP', 'podIPs', 'startTime', 'containerStatuses'];

/**
 * Whether `current`'s keys are RUNNING_STATUS_KEYS or a prefix of it holding at least the first three, in
 * that order and nothing else (no array built). With those three in place, the key-by-key build appends
 * the missing ones in this same order.
 */
function hasRunningStatusKeys(current: PodStatus): boolean {
  let i = 0;
  for (const k in current) {
    if (RUNNING_STATUS_KEYS[i] !== k) return false;
    i++;
  }
  return i >= 3;
}

/**
 * The status to write, given what the API server holds now (`current`, so
 * conditions other writers set since the kubelet last looked are kept).
 */
export function generateAPIPodStatus(
  pod: Pod,
  view: KubeletPodView,
  current: PodStatus | undefined,
  time: string,
  /** PodObservedGenerationTracking (beta, on since v1.34): record the generation the kubelet acted on. */
  observedGeneration = true,
  /** The one-literal build of the usual running status (false: always the key-by-key build, for tests that compare the two). */
  literal = true,
  /** Give again the last condition built of a type when the values are the same (false: a new one each time, for tests that compare the two). */
  share = true,
): PodStatus {
  const old = current?.conditions ?? NoConditions;
  // One pass over what the API server holds: the first of each kubelet-owned type (as find would pick) and,
  // in order, every condition someone else owns (a find per type and a filter allocated and walked it six times).
  let prevSandbox: PodCondition | undefined;
  let prevInitialized: PodCondition | undefined;
  let prevReady: PodCondition | undefined;
  let prevContainersReady: PodCondition | undefined;
  let prevScheduled: PodCondition | undefined;
  let others: PodCondition[] | undefined;
  for (let i = 0; i < old.length; i++) {
    const c = old[i]!;
    switch (c.type) {
      case 'PodReadyToStartContainers':
        prevSandbox ??= c;
        break;
      case 'Initialized':
        prevInitialized ??= c;
        break;
      case 'Ready':
        prevReady ??= c;
        break;
      case 'ContainersReady':
        prevContainersReady ??= c;
        break;
      case 'PodScheduled':
        prevScheduled ??= c;
        break;
      default:
        (others ??= []).push(c);
    }
  }
  const scheduled = prevScheduled ?? Object.freeze(cond('PodScheduled', true, time));
  const gen = observedGeneration ? pod.metadata?.generation : undefined;
  const cr = containersReady(pod, view);
  const c0 = condition('PodReadyToStartContainers', 0, view.sandboxReady ? True : False, prevSandbox, time, gen, share);
  const c1 = condition('Initialized', 1, initialized(pod, view), prevInitialized, time, gen, share);
  const c2 = condition('Ready', 2, ready(pod, cr, old), prevReady, time, gen, share);
  const c3 = condition('ContainersReady', 3, cr, prevContainersReady, time, gen, share);
  // Every condition the one stored at its place (a write that changes no condition): the stored list itself.
  let conditions: PodCondition[];
  const n = 5 + (others?.length ?? 0);
  if (old.length === n && Object.isFrozen(old) && old[0] === c0 && old[1] === c1 && old[2] === c2 && old[3] === c3 && old[4] === scheduled && sameTail(old, others)) conditions = old as PodCondition[];
  else if (others === undefined) {
    // Only the kubelet's own (each frozen above, or PodScheduled as stored): frozen as well when all of them are,
    // so that the store keeps the list as it is. (Others' conditions are left to the store's copy.)
    conditions = [c0, c1, c2, c3, scheduled];
    if (Object.isFrozen(scheduled)) Object.freeze(conditions);
  } else {
    conditions = [c0, c1, c2, c3, scheduled];
    for (let i = 0; i < others.length; i++) conditions.push(others[i]!);
  }
  let s: PodStatus;
  if (
    literal &&
    gen !== undefined &&
    view.hostIP &&
    view.podIP &&
    view.startTime &&
    !view.reason &&
    !view.message &&
    view.initContainers.length === 0 &&
    current !== undefined &&
    hasRunningStatusKeys(current)
  ) {
    // The usual write over the usual status: the key-by-key build below would set every one of current's keys
    // in place and append the missing ones of RUNNING_STATUS_KEYS in its order, so its result is this literal,
    // key for key (one object of its final shape, not ten keyed stores into an object whose shape varies from
    // call to call).
    s = {
      phase: view.phase,
      qosClass: getPodQOS(pod),
      conditions,
      observedGeneration: gen,
      hostIP: view.hostIP,
      hostIPs: ipList(current.hostIPs as readonly { ip: string }[] | undefined, view.hostIP, view.hostIPs),
      podIP: view.podIP,
      podIPs: ipList(current.podIPs as readonly { ip: string }[] | undefined, view.podIP, view.podIPs),
      startTime: current.startTime ?? view.startTime,
      containerStatuses: view.containers,
    } as PodStatus;
    // Its object parts are these four, and ipList's lists are always frozen: the rule below without a walk over
    // its ten keys (statusLiteral.property.test.ts checks it is frozen exactly when the key-by-key build is).
    return Object.isFrozen(conditions) && Object.isFrozen(view.containers) ? Object.freeze(s) : s;
  } else s = keyByKey(pod, view, current, conditions, observedGeneration);
  // Frozen when every part is (the stored status's, and what the kubelet froze): the store then keeps it without a copy.
  for (const k in s) {
    const v = (s as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) return s;
  }
  return Object.freeze(s);
}

/** The status as current's fields with the kubelet's set over them, key by key. */
function keyByKey(pod: Pod, view: KubeletPodView, current: PodStatus | undefined, conditions: PodCondition[], observedGeneration: boolean): PodStatus {
  // current's fields, then the kubelet's over them: the keys in the order a spread gives, but built as the
  // store lays out its own copy (a spread of the frozen status was kept less compactly), so that it can be
  // handed over frozen (below) and kept as it is.
  const s: PodStatus = {};
  if (current !== undefined) for (const k in current) (s as Record<string, unknown>)[k] = (current as Record<string, unknown>)[k];
  s.phase = view.phase;
  s.conditions = conditions;
  s.qosClass = getPodQOS(pod);
  if (observedGeneration && pod.metadata?.generation !== undefined) (s as { observedGeneration?: number }).observedGeneration = pod.metadata.generation;
  if (view.hostIP) {
    s.hostIP = view.hostIP;
    s.hostIPs = ipList(current?.hostIPs as readonly { ip: string }[] | undefined, view.hostIP, view.hostIPs);
  }
  if (view.podIP) {
    s.podIP = view.podIP;
    s.podIPs = ipList(current?.podIPs as readonly { ip: string }[] | undefined, view.podIP, view.podIPs);
  }
  if (view.startTime) s.startTime = current?.startTime ?? view.startTime;
  if (view.reason) s.reason = view.reason;
  if (view.message) s.message = view.message;
  if (view.initContainers.length > 0) s.initContainerStatuses = view.initContainers;
  s.containerStatuses = view.containers;
  return s;
}

/** Whether the conditions after the kubelet's five are `others`, element for element. */
function sameTail(old: readonly PodCondition[], others: readonly PodCondition[] | undefined): boolean {
  if (others === undefined) return true;
  for (let i = 0; i < others.length; i++) if (old[5 + i] !== others[i]) return false;
  return true;
}

export { isRestartable };
