/**
 * The Pod strategy's QoS class is remembered for the last spec seen (the pods
 * of one template come in runs): it must be exactly ComputePodQOS of each
 * pod's own spec, whatever came before.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { podQOS } from '../../src/admission/podStrategy.ts';
import { computePodQOS } from '../../src/api/qos.ts';

const amount = fc.constantFrom<unknown>(undefined, '0', '100m', '1', '200Mi', '1Gi', NaN, null);
const list = fc.record({ cpu: amount, memory: amount }, { requiredKeys: [] });
const resources = fc.record({ requests: list, limits: list }, { requiredKeys: [] });
const container = fc.record({ name: fc.constant('c'), resources }, { requiredKeys: ['name'] });
const spec = fc.record(
  {
    containers: fc.array(container, { minLength: 1, maxLength: 2 }),
    initContainers: fc.array(container, { maxLength: 1 }),
    resources,
  },
  { requiredKeys: ['containers'] },
);

describe('PodStrategy QoS class', () => {
  it('equals ComputePodQOS of each spec, in runs of equal and of different specs (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(spec, fc.integer({ min: 1, max: 3 })), { minLength: 1, maxLength: 6 }), (runs) => {
        for (const [s, times] of runs) {
          for (let i = 0; i < times; i++) {
            const pod = { spec: structuredClone(s) } as Pod;
            expect(podQOS(pod)).toBe(computePodQOS({ spec: structuredClone(s) } as Pod));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('tells apart specs that JSON writes the same', () => {
    const guaranteed = { containers: [{ name: 'c', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } } }] };
    expect(podQOS({ spec: guaranteed } as Pod)).toBe('Guaranteed');
    const undefinedLimits = { containers: [{ name: 'c', resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi', x: undefined } } }] };
    expect(podQOS({ spec: undefinedLimits } as unknown as Pod)).toBe(computePodQOS({ spec: undefinedLimits } as unknown as Pod));
    expect(podQOS({ spec: { containers: [{ name: 'c' }] } } as Pod)).toBe('BestEffort');
  });
});
