/**
 * LimitRanger: upstream's PodLimitFunc success/error tables
 * (plugin/pkg/admission/limitranger/admission_test.go, ported as data:
 * validPod(name, containers, requests, limits) against
 * createLimitRange(type, min, max, default, defaultRequest, maxLimitRequestRatio)),
 * defaulting with the annotation, and the admission messages word for word.
 */
import { describe, expect, it } from 'vitest';
import type { LimitRange, Pod } from 'kubernetes-types/core/v1';
import { podMutateLimit, podValidateLimit, pvcValidateLimit } from '../../src/admission/limitRanger.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';

type RL = Record<string, string>;
/** getResourceList(cpu, memory): empty strings are left out. */
const rl = (cpu: string, mem: string): RL => ({ ...(cpu ? { cpu } : {}), ...(mem ? { memory: mem } : {}) });

function validPod(name: string, containers: number, requests: RL, limits: RL): Pod {
  return {
    metadata: { name, namespace: 'test' },
    spec: { containers: Array.from({ length: containers }, (_, i) => ({ name: `foo-${i}`, image: 'foo:V1', resources: { requests: { ...requests }, limits: { ...limits } } })) },
  };
}

function limitRange(type: string, min: RL, max: RL, def: RL, defReq: RL, ratio: RL): LimitRange {
  return { metadata: { name: 'abc', namespace: 'test' }, spec: { limits: [{ type, min, max, default: def, defaultRequest: defReq, maxLimitRequestRatio: ratio }] } };
}
const E: RL = {};

// [name, containers, requests, limits, type, min, max, maxLimitRequestRatio]
type Row = [string, number, RL, RL, string, RL, RL, RL];
const successCases: Row[] = [
  ['ctr-min-cpu-request', 1, rl('100m', ''), E, 'Container', rl('50m', ''), E, E],
  ['ctr-min-cpu-request-limit', 1, rl('100m', ''), rl('200m', ''), 'Container', rl('50m', ''), E, E],
  ['ctr-min-memory-request', 1, rl('', '60Mi'), E, 'Container', rl('', '50Mi'), E, E],
  ['ctr-min-memory-request-limit', 1, rl('', '60Mi'), rl('', '100Mi'), 'Container', rl('', '50Mi'), E, E],
  ['ctr-max-cpu-request-limit', 1, rl('500m', ''), rl('1', ''), 'Container', E, rl('2', ''), E],
  ['ctr-max-cpu-limit', 1, E, rl('1', ''), 'Container', E, rl('2', ''), E],
  ['ctr-max-mem-request-limit', 1, rl('', '250Mi'), rl('', '500Mi'), 'Container', E, rl('', '1Gi'), E],
  ['ctr-max-cpu-ratio', 1, rl('500m', ''), rl('750m', ''), 'Container', E, E, rl('1.5', '')],
  ['ctr-max-mem-limit', 1, E, rl('', '500Mi'), 'Container', E, rl('', '1Gi'), E],
  ['pod-min-cpu-request', 2, rl('75m', ''), E, 'Pod', rl('100m', ''), E, E],
  ['pod-min-cpu-request-limit', 2, rl('75m', ''), rl('200m', ''), 'Pod', rl('100m', ''), E, E],
  ['pod-min-memory-request', 2, rl('', '60Mi'), E, 'Pod', rl('', '100Mi'), E, E],
  ['pod-min-memory-request-limit', 2, rl('', '60Mi'), rl('', '100Mi'), 'Pod', rl('', '100Mi'), E, E],
  ['pod-max-cpu-request-limit', 2, rl('500m', ''), rl('1', ''), 'Pod', E, rl('2', ''), E],
  ['pod-max-cpu-limit', 2, E, rl('1', ''), 'Pod', E, rl('2', ''), E],
  ['pod-max-mem-request-limit', 2, rl('', '250Mi'), rl('', '500Mi'), 'Pod', E, rl('', '1Gi'), E],
  ['pod-max-mem-limit', 2, E, rl('', '500Mi'), 'Pod', E, rl('', '1Gi'), E],
  ['pod-max-mem-ratio', 3, rl('', '300Mi'), rl('', '450Mi'), 'Pod', E, rl('', '2Gi'), rl('', '1.5')],
];
// [..., the message ksim gives]
const errorCases: Array<[...Row, string]> = [
  ['ctr-min-cpu-request', 1, rl('40m', ''), E, 'Container', rl('50m', ''), E, E, 'minimum cpu usage per Container is 50m, but request is 40m'],
  ['ctr-min-cpu-request-limit', 1, rl('40m', ''), rl('200m', ''), 'Container', rl('50m', ''), E, E, 'minimum cpu usage per Container is 50m, but request is 40m'],
  ['ctr-min-cpu-no-request-limit', 1, E, E, 'Container', rl('50m', ''), E, E, 'minimum cpu usage per Container is 50m.  No request is specified'],
  ['ctr-min-memory-request', 1, rl('', '40Mi'), E, 'Container', rl('', '50Mi'), E, E, 'minimum memory usage per Container is 50Mi, but request is 40Mi'],
  ['ctr-min-memory-request-limit', 1, rl('', '40Mi'), rl('', '100Mi'), 'Container', rl('', '50Mi'), E, E, 'minimum memory usage per Container is 50Mi, but request is 40Mi'],
  ['ctr-min-memory-no-request-limit', 1, E, E, 'Container', rl('', '50Mi'), E, E, 'minimum memory usage per Container is 50Mi.  No request is specified'],
  ['ctr-max-cpu-request-limit', 1, rl('500m', ''), rl('2500m', ''), 'Container', E, rl('2', ''), E, 'maximum cpu usage per Container is 2, but limit is 2500m'],
  ['ctr-max-cpu-limit', 1, E, rl('2500m', ''), 'Container', E, rl('2', ''), E, 'maximum cpu usage per Container is 2, but limit is 2500m'],
  ['ctr-max-cpu-no-request-limit', 1, E, E, 'Container', E, rl('2', ''), E, 'maximum cpu usage per Container is 2.  No limit is specified'],
  ['ctr-max-cpu-ratio', 1, rl('1250m', ''), rl('2500m', ''), 'Container', E, E, rl('1', ''), 'cpu max limit to request ratio per Container is 1, but provided ratio is 2.000000'],
  ['ctr-max-mem-request-limit', 1, rl('', '250Mi'), rl('', '2Gi'), 'Container', E, rl('', '1Gi'), E, 'maximum memory usage per Container is 1Gi, but limit is 2Gi'],
  ['ctr-max-mem-limit', 1, E, rl('', '2Gi'), 'Container', E, rl('', '1Gi'), E, 'maximum memory usage per Container is 1Gi, but limit is 2Gi'],
  ['ctr-max-mem-no-request-limit', 1, E, E, 'Container', E, rl('', '1Gi'), E, 'maximum memory usage per Container is 1Gi.  No limit is specified'],
  ['pod-min-cpu-request', 1, rl('75m', ''), E, 'Pod', rl('100m', ''), E, E, 'minimum cpu usage per Pod is 100m, but request is 75m'],
  ['pod-min-cpu-request-limit', 1, rl('75m', ''), rl('200m', ''), 'Pod', rl('100m', ''), E, E, 'minimum cpu usage per Pod is 100m, but request is 75m'],
  ['pod-min-memory-request', 1, rl('', '60Mi'), E, 'Pod', rl('', '100Mi'), E, E, 'minimum memory usage per Pod is 100Mi, but request is 60Mi'],
  ['pod-min-memory-request-limit', 1, rl('', '60Mi'), rl('', '100Mi'), 'Pod', rl('', '100Mi'), E, E, 'minimum memory usage per Pod is 100Mi, but request is 60Mi'],
  ['pod-max-cpu-request-limit', 3, rl('500m', ''), rl('1', ''), 'Pod', E, rl('2', ''), E, 'maximum cpu usage per Pod is 2, but limit is 3'],
  ['pod-max-cpu-limit', 3, E, rl('1', ''), 'Pod', E, rl('2', ''), E, 'maximum cpu usage per Pod is 2, but limit is 3'],
  ['pod-max-mem-request-limit', 3, rl('', '250Mi'), rl('', '500Mi'), 'Pod', E, rl('', '1Gi'), E, 'maximum memory usage per Pod is 1Gi, but limit is 1500Mi'],
  ['pod-max-mem-limit', 3, E, rl('', '500Mi'), 'Pod', E, rl('', '1Gi'), E, 'maximum memory usage per Pod is 1Gi, but limit is 1500Mi'],
  ['pod-max-mem-ratio', 3, rl('', '250Mi'), rl('', '500Mi'), 'Pod', E, rl('', '2Gi'), rl('', '1.5'), 'memory max limit to request ratio per Pod is 1500m, but provided ratio is 2.000000'],
];

describe('PodLimitFunc tables (upstream admission_test.go)', () => {
  it.each(successCases)('%s is allowed', (name, n, req, lim, type, min, max, ratio) => {
    expect(podValidateLimit(limitRange(type, min, max, E, E, ratio), validPod(name, n, req, lim))).toEqual([]);
  });
  it.each(errorCases)('%s is refused', (name, n, req, lim, type, min, max, ratio, message) => {
    expect(podValidateLimit(limitRange(type, min, max, E, E, ratio), validPod(name, n, req, lim))).toEqual([message]);
  });

  it('TestPodLimitFuncApplyDefault: default limits 75m/10Mi, requests 50m/5Mi, and the annotation', () => {
    const lr = limitRange('Container', E, E, rl('75m', '10Mi'), rl('50m', '5Mi'), E);
    const pod = validPod('foo', 1, E, E);
    podMutateLimit(lr, pod);
    expect(pod.spec!.containers[0]!.resources).toEqual({ limits: { cpu: '75m', memory: '10Mi' }, requests: { cpu: '50m', memory: '5Mi' } });
    expect(pod.metadata!.annotations).toEqual({ 'kubernetes.io/limit-ranger': 'LimitRanger plugin set: cpu, memory request for container foo-0; cpu, memory limit for container foo-0' });
    expect(podValidateLimit(lr, pod)).toEqual([]);
  });

  it('defaults only what a container does not state, init containers included', () => {
    const lr = limitRange('Container', E, E, rl('500m', '512Mi'), rl('250m', '256Mi'), E);
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        initContainers: [{ name: 'setup', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }],
        containers: [{ name: 'app', resources: { limits: { memory: '1Gi' }, requests: { memory: '1Gi' } } }],
      },
    };
    podMutateLimit(lr, pod);
    expect(pod.spec!.containers[0]!.resources).toEqual({ limits: { memory: '1Gi', cpu: '500m' }, requests: { memory: '1Gi', cpu: '250m' } });
    expect(pod.metadata!.annotations!['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu request for container app; cpu limit for container app');
  });

  it('PersistentVolumeClaim storage min and max against the request', () => {
    const lr: LimitRange = { spec: { limits: [{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }] } };
    const claim = (storage?: string) => ({ spec: { resources: storage ? { requests: { storage } } : {} } });
    expect(pvcValidateLimit(lr, claim('5Gi'))).toEqual([]);
    expect(pvcValidateLimit(lr, claim('500Mi'))).toEqual(['minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi']);
    expect(pvcValidateLimit(lr, claim('20Gi'))).toEqual(['maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi']);
    expect(pvcValidateLimit(lr, claim())).toEqual([
      'minimum storage usage per PersistentVolumeClaim is 1Gi.  No request is specified',
      'maximum storage usage per PersistentVolumeClaim is 10Gi.  No request is specified',
    ]);
  });
});

describe('LimitRanger admission in the API server', () => {
  function sim(...objs: KObject[]): Simulation {
    const s = Simulation.create({ seed: 1 });
    startComponents(s, {});
    s.apply(objs);
    return s;
  }
  const lrObj = (limits: unknown[]): KObject => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: 'default' }, spec: { limits } });
  const podObj = (name: string, resources: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx', resources }] } });

  it('refuses with Forbidden and upstream wording', () => {
    const s = sim(lrObj([{ type: 'Container', max: { memory: '1Gi' }, maxLimitRequestRatio: { cpu: '2' } }, { type: 'Pod', min: { cpu: '200m' } }]));
    expect(() => s.apply(podObj('big', { limits: { memory: '1536Mi', cpu: '1' }, requests: { cpu: '500m' } }))).toThrow('pods "big" is forbidden: maximum memory usage per Container is 1Gi, but limit is 1536Mi');
    expect(() => s.apply(podObj('small', { limits: { memory: '1Gi', cpu: '100m' }, requests: { cpu: '100m' } }))).toThrow('pods "small" is forbidden: minimum cpu usage per Pod is 200m, but request is 100m');
    expect(() => s.apply(podObj('ratio', { limits: { memory: '1Gi', cpu: '2' }, requests: { cpu: '500m' } }))).toThrow(
      'pods "ratio" is forbidden: cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000',
    );
    // Several violations of one LimitRange are aggregated.
    expect(() => s.apply(podObj('both', { limits: { memory: '2Gi', cpu: '150m' }, requests: { cpu: '50m' } }))).toThrow(
      'pods "both" is forbidden: [maximum memory usage per Container is 1Gi, but limit is 2Gi, cpu max limit to request ratio per Container is 2, but provided ratio is 3.000000, minimum cpu usage per Pod is 200m, but request is 50m]',
    );
  });

  it('defaults on create (max becomes the default limit, the default limit the default request), and only on create', () => {
    const s = sim(lrObj([{ type: 'Container', max: { memory: '1Gi' }, default: { cpu: '500m' } }]));
    const [p] = s.apply(podObj('web', {}));
    expect((p!['spec'] as Pod['spec'])!.containers[0]!.resources).toEqual({ limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } });
    expect(p!.metadata.annotations?.['kubernetes.io/limit-ranger']).toBe('LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app');
    // A status write (subresource) is not limited or defaulted.
    s.store.patch('Pod', 'default', 'web', (d) => void ((d as { status?: unknown }).status = { phase: 'Pending' }), { subresource: 'status' });
  });

  it('a request defaulted from the limit by Pod defaulting is what the limits see', () => {
    const s = sim(lrObj([{ type: 'Container', min: { cpu: '200m' } }]));
    const [p] = s.apply(podObj('lim', { limits: { cpu: '300m' } }));
    expect((p!['spec'] as Pod['spec'])!.containers[0]!.resources!.requests).toEqual({ cpu: '300m' });
  });

  it('claims are limited on create', () => {
    const s = sim(lrObj([{ type: 'PersistentVolumeClaim', max: { storage: '10Gi' } }]));
    const pvc: KObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } } };
    expect(() => s.apply(pvc)).toThrow('persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi');
  });
});
