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

  it('answers from the resources alone: specs that differ elsewhere share it, odd shapes are computed (fast-check)', () => {
    const other = fc.record({ image: fc.constantFrom('a', 'b:1'), ports: fc.constantFrom(undefined, [{ containerPort: 80 }]) }, { requiredKeys: [] });
    const full = fc.tuple(spec, fc.array(other, { minLength: 2, maxLength: 2 }), fc.constantFrom(undefined, 'node-1')).map(([s, extra, nodeName]) => {
      const out = structuredClone(s) as Record<string, unknown> & { containers: Record<string, unknown>[] };
      out.containers.forEach((c, i) => Object.assign(c, extra[i] ?? {}));
      if (nodeName !== undefined) out['nodeName'] = nodeName;
      return out;
    });
    // Few distinct resource lists, so consecutive pods often share some of them and differ in others.
    const few = fc.constantFrom<Record<string, unknown> | undefined>(undefined, { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } }, { requests: { cpu: '1' } });
    const mixed = fc.tuple(few, fc.option(few, { nil: undefined }), few, fc.boolean()).map(([c, i, p, withInit]) => {
      const out: Record<string, unknown> = { containers: [{ name: 'c', resources: c }] };
      if (withInit) out['initContainers'] = [{ name: 'i', resources: i }];
      if (p !== undefined) out['resources'] = p;
      return out;
    });
    const odd = fc.constantFrom<unknown>('ab', [null], [1], null, { containers: null }, { containers: [{ name: 'c' }], initContainers: 'x' });
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 2, arbitrary: full }, { weight: 3, arbitrary: mixed }, { weight: 1, arbitrary: odd.map((o) => (typeof o === 'object' && o !== null && !Array.isArray(o) ? o : { containers: o })) }), { minLength: 1, maxLength: 8 }), (specs) => {
        for (const s of specs) {
          let want: unknown;
          try {
            want = computePodQOS({ spec: structuredClone(s) } as Pod);
          } catch (e) {
            want = (e as Error).constructor;
          }
          let got: unknown;
          try {
            got = podQOS({ spec: structuredClone(s) } as Pod);
          } catch (e) {
            got = (e as Error).constructor;
          }
          expect(got).toBe(want);
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
