// LimitRanger's Pod limits read PodRequests/PodLimits: with pod-level resources
// (PodLevelResources) the pod-level values, not the containers' sum.
import { describe, expect, it } from 'vitest';
import type { LimitRange, Pod } from 'kubernetes-types/core/v1.js';
import { podValidateLimit } from '../../src/admission/limitRanger.ts';

const lr: LimitRange = { metadata: { name: 'lr' }, spec: { limits: [{ type: 'Pod', max: { cpu: '1' } }] } };
const pod = (podLevel?: Record<string, string>): Pod => ({
  metadata: { name: 'p' },
  spec: {
    ...(podLevel ? { resources: { limits: podLevel, requests: podLevel } } : {}),
    containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '300m' }, requests: { cpu: '300m' } } }],
  } as Pod['spec'],
});

describe('LimitRanger Pod limits with pod-level resources', () => {
  it('the containers alone are within the Pod maximum', () => {
    expect(podValidateLimit(lr, pod())).toEqual([]);
  });
  it('a pod-level limit above it is refused, whatever the containers ask', () => {
    expect(podValidateLimit(lr, pod({ cpu: '2' }))).toEqual(['maximum cpu usage per Pod is 1, but limit is 2']);
  });
});
