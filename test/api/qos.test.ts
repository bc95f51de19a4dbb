// QoS classes: pkg/apis/core/v1/helper/qos GetPodQOS / ComputePodQOS (v1.31), cases after qos_test.go.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import { computePodQOS, getPodQOS, type QOSClass } from '../../src/api/qos.ts';

type RL = Record<string, string>;
const c = (requests?: RL, limits?: RL): Container => ({ name: 'c', resources: { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) } });
const pod = (containers: Container[], initContainers: Container[] = []): Pod => ({ spec: { containers, initContainers } });

describe('getPodQOS', () => {
  const g = { cpu: '100m', memory: '100Mi' };
  const cases: Array<[string, Pod, QOSClass]> = [
    ['no resources: BestEffort', pod([c(), c()]), 'BestEffort'],
    ['explicit zero requests and limits: BestEffort', pod([c({ cpu: '0', memory: '0' }, { cpu: '0', memory: '0' })]), 'BestEffort'],
    ['only extended resources: BestEffort (only cpu and memory count)', pod([c({ 'nvidia.com/gpu': '1' }, { 'nvidia.com/gpu': '1' })]), 'BestEffort'],
    ['requests == limits for cpu and memory: Guaranteed', pod([c(g, g), c(g, g)]), 'Guaranteed'],
    ['Guaranteed with extended resources too', pod([c({ ...g, 'nvidia.com/gpu': '2' }, { ...g, 'nvidia.com/gpu': '2' })]), 'Guaranteed'],
    ['limits only, requests not defaulted: Burstable', pod([c(undefined, g)]), 'Burstable'],
    ['one guaranteed, one best-effort container: Burstable', pod([c(g, g), c()]), 'Burstable'],
    ['cpu limit only: Burstable', pod([c({ cpu: '100m' }, { cpu: '100m' })]), 'Burstable'],
    ['requests below limits: Burstable', pod([c({ cpu: '50m', memory: '100Mi' }, g)]), 'Burstable'],
    ['best-effort init container with guaranteed app: Burstable', pod([c(g, g)], [c()]), 'Burstable'],
    ['guaranteed init and app containers: Guaranteed', pod([c(g, g)], [c(g, g)]), 'Guaranteed'],
    ['memory request only: Burstable', pod([c({ memory: '1Gi' })]), 'Burstable'],
  ];
  for (const [name, p, want] of cases) it(name, () => expect(getPodQOS(p)).toBe(want));

  it('status.qosClass wins when set (QoS never changes for a running pod)', () => {
    const p: Pod = { ...pod([c()]), status: { qosClass: 'Guaranteed' } };
    expect(getPodQOS(p)).toBe('Guaranteed');
    expect(computePodQOS(p)).toBe('BestEffort');
  });

  const milli = fc.integer({ min: 1, max: 4000 });
  it('property: requests == limits for cpu and memory in every container is Guaranteed', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(milli, milli), { minLength: 1, maxLength: 4 }), (xs) => {
        const cs = xs.map(([cpu, mem]) => {
          const r = { cpu: `${cpu}m`, memory: `${mem}Mi` };
          return c(r, { ...r });
        });
        expect(getPodQOS(pod(cs))).toBe('Guaranteed');
      }),
    );
  });
  it('property: BestEffort exactly when no container has a positive cpu/memory value', () => {
    const val = fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined });
    fc.assert(
      fc.property(fc.array(fc.tuple(val, val, val, val), { minLength: 1, maxLength: 4 }), (xs) => {
        const rl = (cpu?: number, mem?: number): RL | undefined => {
          const o: RL = {};
          if (cpu !== undefined) o['cpu'] = String(cpu);
          if (mem !== undefined) o['memory'] = String(mem);
          return Object.keys(o).length ? o : undefined;
        };
        const cs = xs.map(([a, b, d, e]) => c(rl(a, b), rl(d, e)));
        const anyPositive = xs.some((t) => t.some((v) => v !== undefined && v > 0));
        expect(getPodQOS(pod(cs)) === 'BestEffort').toBe(!anyPositive);
      }),
    );
  });
});
