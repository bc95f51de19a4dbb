// Pod resource math: k8s.io/component-helpers/resource PodRequests / PodLimits (v1.31),
// including the KEP-753 sidecar formula and pod overhead.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { containerRequests, podLimits, podRequests, resourceMapToList, type ResourceMap } from '../../src/api/resources.ts';
import { Quantity } from '../../src/api/quantity.ts';
import { FieldErrorList } from '../../src/api/errors.ts';

function ctr(name: string, requests?: Record<string, string>, limits?: Record<string, string>, restartPolicy?: string): Container {
  const c: Container = { name, image: 'busybox', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } };
  if (restartPolicy) (c as { restartPolicy?: string }).restartPolicy = restartPolicy;
  return c;
}

function pod(containers: Container[], initContainers: Container[] = [], overhead?: Record<string, string>): Pod {
  return { metadata: { name: 'p' }, spec: { containers, initContainers, ...(overhead ? { overhead } : {}) } };
}

function milli(m: ResourceMap, r: string): number | undefined {
  return m.get(r)?.milliValue();
}

describe('podRequests', () => {
  // Table of upstream cases (helpers_test.go TestPodResourceRequests and the KEP-753 examples).
  const cases: Array<{ name: string; pod: Pod; cpuMilli: number; memory?: string }> = [
    { name: 'sum of app containers', pod: pod([ctr('a', { cpu: '1' }), ctr('b', { cpu: '2' })]), cpuMilli: 3000 },
    { name: 'init container larger than the sum wins', pod: pod([ctr('a', { cpu: '1' }), ctr('b', { cpu: '2' })], [ctr('i', { cpu: '4' })]), cpuMilli: 4000 },
    { name: 'init container smaller than the sum loses', pod: pod([ctr('a', { cpu: '1' }), ctr('b', { cpu: '2' })], [ctr('i', { cpu: '2' })]), cpuMilli: 3000 },
    { name: 'sidecar adds to the running sum', pod: pod([ctr('a', { cpu: '2' })], [ctr('s', { cpu: '1' }, undefined, 'Always')]), cpuMilli: 3000 },
    {
      // init runs next to the sidecar started before it: 2 + 1 = 3 > 2 + 1 (steady) => 3
      name: 'regular init after a sidecar counts the sidecar',
      pod: pod([ctr('a', { cpu: '1' })], [ctr('s', { cpu: '1' }, undefined, 'Always'), ctr('i', { cpu: '3' })]),
      cpuMilli: 4000,
    },
    {
      // a regular init container BEFORE the sidecar does not count it: max(3, 1+1) = 3
      name: 'regular init before a sidecar does not count it',
      pod: pod([ctr('a', { cpu: '1' })], [ctr('i', { cpu: '3' }), ctr('s', { cpu: '1' }, undefined, 'Always')]),
      cpuMilli: 3000,
    },
    {
      // KEP-753 shape: init1 2, sidecar1 1, init2 4 (+1 = 5), sidecar2 2; steady 1+1+2 = 4 => 5
      name: 'mixed sidecars and init containers',
      pod: pod(
        [ctr('c', { cpu: '1' })],
        [ctr('init1', { cpu: '2' }), ctr('side1', { cpu: '1' }, undefined, 'Always'), ctr('init2', { cpu: '4' }), ctr('side2', { cpu: '2' }, undefined, 'Always')],
      ),
      cpuMilli: 5000,
    },
    { name: 'overhead is added', pod: pod([ctr('a', { cpu: '1', memory: '1Gi' })], [], { cpu: '250m', memory: '120Mi' }), cpuMilli: 1250, memory: '1144Mi' },
    { name: 'no containers with requests', pod: pod([ctr('a')]), cpuMilli: 0 },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const r = podRequests(tc.pod);
      expect(milli(r, 'cpu') ?? 0).toBe(tc.cpuMilli);
      if (tc.memory) expect(r.get('memory')!.cmp(Quantity.parse(tc.memory))).toBe(0);
    });
  }

  it('excludeOverhead leaves overhead out', () => {
    const p = pod([ctr('a', { cpu: '1' })], [], { cpu: '250m' });
    expect(milli(podRequests(p, { excludeOverhead: true }), 'cpu')).toBe(1000);
  });

  it('nonMissingContainerRequests fills only absent requests, an explicit zero stays zero', () => {
    const nonMissing: ResourceMap = new Map([
      ['cpu', Quantity.parse('100m')],
      ['memory', Quantity.parse('200Mi')],
    ]);
    const p = pod([ctr('a'), ctr('b', { cpu: '0', memory: '1Gi' })]);
    const r = podRequests(p, { nonMissingContainerRequests: nonMissing });
    expect(milli(r, 'cpu')).toBe(100);
    expect(r.get('memory')!.cmp(Quantity.parse('1224Mi'))).toBe(0);
  });

  it('extended resources are summed like any other', () => {
    const p = pod([ctr('a', { 'example.com/gpu': '1' }), ctr('b', { 'example.com/gpu': '2' })]);
    expect(podRequests(p).get('example.com/gpu')!.value()).toBe(3);
  });

  it('malformed quantities are reported with their path', () => {
    const p = pod([ctr('a', { cpu: 'abc' })]);
    expect(() => podRequests(p)).toThrow(FieldErrorList);
    expect(() => podRequests(p)).toThrow(/spec\.containers\[0\]\.resources\.requests\[cpu\]/);
  });

  it('resourceMapToList gives canonical, sorted strings', () => {
    const p = pod([ctr('a', { memory: '512Mi', cpu: '500m' }), ctr('b', { memory: '512Mi', cpu: '500m' })]);
    expect(resourceMapToList(podRequests(p))).toEqual({ cpu: '1', memory: '1Gi' });
  });

  it('containerRequests reads one container', () => {
    expect(milli(containerRequests(ctr('a', { cpu: '1500m' })), 'cpu')).toBe(1500);
  });

  // Invariant: the pod needs at least the steady-state sum and at least any init container's own request.
  it('property: requests dominate every container and the app-container sum', () => {
    const res = fc.record({ cpu: fc.integer({ min: 0, max: 8000 }), side: fc.boolean() });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8000 }), { minLength: 1, maxLength: 5 }), fc.array(res, { maxLength: 5 }), (apps, inits) => {
        const p = pod(
          apps.map((m, i) => ctr(`c${i}`, { cpu: `${m}m` })),
          inits.map((x, i) => ctr(`i${i}`, { cpu: `${x.cpu}m` }, undefined, x.side ? 'Always' : undefined)),
        );
        const total = milli(podRequests(p), 'cpu') ?? 0;
        const sidecarSum = inits.filter((x) => x.side).reduce((a, x) => a + x.cpu, 0);
        expect(total).toBeGreaterThanOrEqual(apps.reduce((a, b) => a + b, 0) + sidecarSum);
        for (const x of inits) expect(total).toBeGreaterThanOrEqual(x.cpu);
      }),
    );
  });
});

describe('podLimits', () => {
  it('sums and maxes like requests', () => {
    const p = pod([ctr('a', undefined, { cpu: '1' }), ctr('b', undefined, { cpu: '2' })], [ctr('i', undefined, { cpu: '4' })]);
    expect(milli(podLimits(p), 'cpu')).toBe(4000);
  });
  it('overhead is added only to limits that are set and non-zero', () => {
    const p = pod([ctr('a', undefined, { cpu: '1' })], [], { cpu: '250m', memory: '120Mi' });
    const l = podLimits(p);
    expect(milli(l, 'cpu')).toBe(1250);
    expect(l.has('memory')).toBe(false);
  });
  it('sidecar limits add to the running sum', () => {
    const p = pod([ctr('a', undefined, { memory: '1Gi' })], [ctr('s', undefined, { memory: '1Gi' }, 'Always')]);
    expect(podLimits(p).get('memory')!.cmp(Quantity.parse('2Gi'))).toBe(0);
  });
});
