// PodInfo's requests are kept per frozen containers list (framework/podInfo.ts): pods that
// share the list but differ in what else the requests come from must not share figures.
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o as Record<string, unknown>)) deepFreeze(v);
  }
  return o;
}

const containers = deepFreeze([{ name: 'c', image: 'x', resources: { requests: { cpu: '100m', memory: '64Mi' } }, ports: [{ containerPort: 80, hostPort: 8080 }] }]);
const pod = (spec: Record<string, unknown>): Pod => deepFreeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' }, spec: { containers, ...spec } }) as Pod;

describe('PodInfo figures by spec', () => {
  it('pods sharing a containers list get the same figures, and differ with other init containers, overhead or pod-level resources', () => {
    const plain = newPodInfo(pod({}));
    expect(plain.requests.milliCPU).toBe(100);
    expect(newPodInfo(pod({ nodeName: 'n1' })).requests).toBe(plain.requests);
    const withInit = newPodInfo(pod({ initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '1' } } }] }));
    expect(withInit.requests.milliCPU).toBe(1000);
    const withOverhead = newPodInfo(pod({ overhead: { cpu: '50m' } }));
    expect(withOverhead.requests.milliCPU).toBe(150);
    const podLevel = newPodInfo(pod({ resources: { requests: { cpu: '2' } } }));
    expect(podLevel.requests.milliCPU).toBe(2000);
    // And back: the plain spec is not served another pod's figures.
    expect(newPodInfo(pod({})).requests.milliCPU).toBe(100);
    expect(newPodInfo(pod({})).hostPorts).toEqual([{ containerPort: 80, hostPort: 8080 }]);
  });

  it('an unfrozen spec is computed each time', () => {
    const spec = { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] };
    const p = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'd' }, spec } as Pod;
    expect(newPodInfo(p).requests.milliCPU).toBe(100);
    spec.containers[0]!.resources.requests.cpu = '300m';
    expect(newPodInfo(p).requests.milliCPU).toBe(300);
  });
});
