// Cases from kube-scheduler v1.31 noderesources/balanced_allocation_test.go
// (TestNodeResourcesBalancedAllocation) and validation_pluginargs_test.go
// (TestValidateNodeResourcesBalancedAllocationArgs).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import { factory } from '../../../src/scheduler/plugins/NodeResourcesBalancedAllocation.ts';
import { FieldErrorList, formatFieldError } from '../../../src/api/errors.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import { FeatureGates } from '../../../src/api/featureGates.ts';
import { container, makeNode, makePod, nodeInfos, runScore } from './pluginTestUtil.ts';

/** upstream makeNode(name, milliCPU, memory, extendedResources) */
function node(name: string, milliCPU: number, memory: number, scalars: Record<string, string> = {}): Node {
  return makeNode(name, { allocatable: { cpu: `${milliCPU}m`, memory: String(memory), pods: '110', ...scalars } });
}
const pod = (nodeName: string | undefined, ...rs: Array<Record<string, string>>): Pod =>
  makePod({ ...(nodeName ? { nodeName } : {}), containers: rs.map((r) => container(r)) });

const cpuOnly = (n?: string) => pod(n, { cpu: '1000m', memory: '0' }, { cpu: '2000m', memory: '0' });
const cpuAndMemory = (n?: string) => pod(n, { cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000' });
const cpuAndMemoryAndGPU = (n?: string) => pod(n, { cpu: '1000m', memory: '2000' }, { cpu: '2000m', memory: '3000', 'nvidia.com/gpu': '3' });

const defaultSet = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const withGPU = [...defaultSet, { name: 'nvidia.com/gpu', weight: 1 }];
const gpu8 = { 'nvidia.com/gpu': '8' };

function scores(resources: unknown, p: Pod, nodes: Node[], pods: Pod[] = [], preScore = true): number[] {
  const plugin = factory({ resources }, fakeHandle({}));
  return (runScore(plugin, p, nodeInfos(nodes, pods), { preScore }) as Array<{ score: number }>).map((s) => s.score);
}

describe('NodeResourcesBalancedAllocation (TestNodeResourcesBalancedAllocation)', () => {
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    // node1: cpu 3000/4000 = .75, memory 5000/10000 = .5, std .125 => 87; node2: .5/.5 => 100
    expect(scores(defaultSet, cpuAndMemory(), [node('node1', 4000, 10000), node('node2', 6000, 10000)])).toEqual([87, 100]);
  });
  it('resources requested, pods scheduled with resources', () => {
    expect(scores(defaultSet, cpuAndMemory(), [node('node1', 10000, 20000), node('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')])).toEqual([82, 95]);
  });
  it('resources requested, pods scheduled with resources, differently sized nodes', () => {
    expect(scores(defaultSet, cpuAndMemory(), [node('node1', 10000, 20000), node('node2', 10000, 50000)], [cpuOnly('node1'), cpuAndMemory('node2')])).toEqual([82, 80]);
  });
  it('requested resources at node capacity', () => {
    expect(scores(defaultSet, cpuOnly(), [node('node1', 6000, 10000), node('node2', 6000, 10000)], [cpuOnly('node1'), cpuAndMemory('node2')])).toEqual([50, 75]);
  });
  it('include scalar resource on a node for balanced resource allocation', () => {
    const p = pod(undefined, { memory: '0', 'nvidia.com/gpu': '1' });
    expect(scores(withGPU, p, [node('node1', 3500, 40000, gpu8), node('node2', 3500, 40000, gpu8)], [cpuAndMemory('node2'), cpuAndMemoryAndGPU('node1')])).toEqual([70, 65]);
  });
  it('node without the scalar resource should skip the scalar resource', () => {
    expect(scores(withGPU, cpuAndMemory(), [node('node1', 3500, 40000, gpu8), node('node2', 3500, 40000)])).toEqual([63, 63]);
  });
  it('resources requested, pods scheduled with resources if PreScore not called', () => {
    expect(scores(defaultSet, cpuAndMemory(), [node('node1', 10000, 20000), node('node2', 10000, 20000)], [cpuOnly('node1'), cpuAndMemory('node2')], false)).toEqual([82, 95]);
  });
  it('uses plain requests, not the non-zero defaults: a best-effort pod on empty nodes scores 100 (v1.32, before the PreScore skip)', () => {
    const plugin = factory({ resources: defaultSet }, fakeHandle({ featureGates: FeatureGates.resolve({ emulatedVersion: '1.32' }) }));
    expect(runScore(plugin, pod(undefined, {}), nodeInfos([node('node1', 4000, 10000)]))).toEqual([{ name: 'node1', score: 100 }]);
  });
  it.each(['1.33', '1.35'])('v1.33+ (PR 130260): PreScore skips a pod that requests none of the scored resources (emulated %s)', (version) => {
    const plugin = factory({ resources: defaultSet }, fakeHandle({ featureGates: FeatureGates.resolve({ emulatedVersion: version }) }));
    expect(runScore(plugin, pod(undefined, {}), nodeInfos([node('node1', 4000, 10000)]))).toEqual({ skip: true });
    // Requesting only an unscored resource is still best-effort for this plugin; any scored request is not.
    expect(runScore(plugin, pod(undefined, { 'nvidia.com/gpu': '1' }), nodeInfos([node('node1', 4000, 10000, gpu8)]))).toEqual({ skip: true });
    expect(runScore(plugin, pod(undefined, { cpu: '1' }), nodeInfos([node('node1', 4000, 10000)]))).not.toEqual({ skip: true });
  });
  it('fractions above 1 are capped', () => {
    // cpu 8000/4000 capped to 1, memory 0 => std .5 => 50
    expect(scores(defaultSet, pod(undefined, { cpu: '8', memory: '0' }), [node('node1', 4000, 10000)])).toEqual([50]);
  });
  it('scores stay within [0, 100] (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cpu: fc.nat({ max: 9000 }), mem: fc.nat({ max: 9000 }), gpu: fc.nat({ max: 8 }) }), { minLength: 1, maxLength: 4 }),
        fc.record({ cpu: fc.nat({ max: 9000 }), mem: fc.nat({ max: 9000 }), gpu: fc.nat({ max: 9 }) }),
        (ns, p) => {
          const nodes = ns.map((x, i) => node(`n${i}`, x.cpu, x.mem, { 'nvidia.com/gpu': String(x.gpu) }));
          for (const s of scores(withGPU, pod(undefined, { cpu: `${p.cpu}m`, memory: String(p.mem), 'nvidia.com/gpu': String(p.gpu) }), nodes)) {
            expect(Number.isInteger(s)).toBe(true);
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(100);
          }
        },
      ),
    );
  });
});

describe('NodeResourcesBalancedAllocation args (ValidateNodeResourcesBalancedAllocationArgs)', () => {
  const errs = (args: unknown): string[] => {
    try {
      factory(args, fakeHandle({}));
      return [];
    } catch (e) {
      return (e as FieldErrorList).errors.map(formatFieldError);
    }
  };
  it('valid config', () => {
    expect(errs({ resources: [{ name: 'cpu', weight: 1 }, { name: 'memory', weight: 1 }] })).toEqual([]);
  });
  it('invalid config: weight must be 1', () => {
    expect(errs({ resources: [{ name: 'cpu', weight: 2 }, { name: 'memory', weight: 1 }] })).toEqual(['resources[0].weight: Invalid value: 2: must be 1']);
  });
  it('repeated resources', () => {
    expect(errs({ resources: [{ name: 'cpu', weight: 1 }, { name: 'cpu', weight: 1 }] })).toEqual(['resources[1].name: Duplicate value: "cpu"']);
  });
  it('defaults to cpu and memory when absent', () => {
    const p = factory(undefined, fakeHandle({})) as unknown as { args: unknown };
    expect(p.args).toEqual({ resources: defaultSet });
  });
  it('rejects args that are not an object', () => {
    expect(() => factory('x', fakeHandle({}))).toThrow(FieldErrorList);
  });
});
