// Cases from kube-scheduler v1.31 noderesources/fit_test.go (TestEnoughRequests,
// TestNotEnoughRequests, TestStorageRequests, TestFitScore),
// least_allocated_test.go (TestLeastAllocatedScoringStrategy),
// most_allocated_test.go (TestMostAllocatedScoringStrategy) and
// requested_to_capacity_ratio_test.go (TestRequestedToCapacityRatioScoringStrategy,
// TestBrokenLinearFunction, TestResourceBinPackingSingleExtended,
// TestResourceBinPackingMultipleExtended).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import {
  factory,
  isSchedulableAfterNodeChange,
  isSchedulableAfterPodChange,
  NodeResourcesFit,
} from '../../../src/scheduler/plugins/NodeResourcesFit.ts';
import { buildBrokenLinearFunction } from '../../../src/scheduler/plugins/noderesources/scorers.ts';
import { Code } from '../../../src/scheduler/framework/types.ts';
import { FieldErrorList, formatFieldError } from '../../../src/api/errors.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import { FeatureGates } from '../../../src/api/featureGates.ts';
import type { Stored } from '../../../src/sim/types.ts';
import { container, makeNode, makePod, newPodInfo, nodeInfo, nodeInfos, runFilter, runScore } from './pluginTestUtil.ts';

const extendedA = 'example.com/aaa';
const extendedB = 'example.com/bbb';
const kubernetesIOA = 'kubernetes.io/something';
const kubernetesIOB = 'subdomain.kubernetes.io/something';
const hugePageA = 'hugepages-2Mi';

interface R {
  cpu?: number;
  mem?: number;
  eph?: number;
  scalars?: Record<string, number>;
}

/** upstream newResourcePod's per-container ResourceList. */
function rl(r: R): Record<string, string> {
  const out: Record<string, string> = {
    cpu: `${r.cpu ?? 0}m`,
    memory: String(r.mem ?? 0),
    pods: '0',
    'ephemeral-storage': String(r.eph ?? 0),
  };
  for (const [k, v] of Object.entries(r.scalars ?? {})) out[k] = String(v);
  return out;
}
const resourcePod = (...rs: R[]): Pod => makePod({ containers: rs.map((r) => container(rl(r))) });
const withInit = (p: Pod, ...rs: R[]): Pod => ({ ...p, spec: { ...p.spec!, initContainers: rs.map((r) => container(rl(r))) } });
const withOverhead = (p: Pod, overhead: Record<string, string>): Pod => ({ ...p, spec: { ...p.spec!, overhead } });

/** makeAllocatableResources(milliCPU, memory, pods, extendedA, storage, hugePageA) */
function allocNode(cpu: number, mem: number, pods: number, extA: number, storage: number, huge: number): Node {
  return makeNode('node', {
    allocatable: {
      cpu: `${cpu}m`,
      memory: String(mem),
      pods: String(pods),
      [extendedA]: String(extA),
      'ephemeral-storage': String(storage),
      [hugePageA]: String(huge),
    },
  });
}

const defaultPlugin = factory(undefined, fakeHandle({}));
/** Before and after v1.34's change of the status code (PR 131345). */
const VERSIONS = ['1.33', '1.35'];
function shortageCode(version: string, beyondAllocatable: boolean): Code {
  return beyondAllocatable && version >= '1.34' ? Code.UnschedulableAndUnresolvable : Code.Unschedulable;
}
const ins = (r: string) => `Insufficient ${r}`;

describe('NodeResourcesFit filter (TestEnoughRequests)', () => {
  // beyondAllocatable: a request exceeds the node's whole allocatable (v1.34+: UnschedulableAndUnresolvable).
  const cases: Array<{ name: string; pod: Pod; existing: Pod; args?: unknown; reasons?: string[]; beyondAllocatable?: true }> = [
    { name: 'no resources requested always fits', pod: makePod(), existing: resourcePod({ cpu: 10, mem: 20 }) },
    { name: 'too many resources fails', pod: resourcePod({ cpu: 1, mem: 1 }), existing: resourcePod({ cpu: 10, mem: 20 }), reasons: [ins('cpu'), ins('memory')] },
    {
      name: 'too many resources fails due to init container cpu',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 3, mem: 1 }),
      existing: resourcePod({ cpu: 8, mem: 19 }),
      reasons: [ins('cpu')],
    },
    {
      name: 'too many resources fails due to highest init container cpu',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 3, mem: 1 }, { cpu: 2, mem: 1 }),
      existing: resourcePod({ cpu: 8, mem: 19 }),
      reasons: [ins('cpu')],
    },
    {
      name: 'too many resources fails due to init container memory',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 3 }),
      existing: resourcePod({ cpu: 9, mem: 19 }),
      reasons: [ins('memory')],
    },
    {
      name: 'too many resources fails due to highest init container memory',
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 3 }, { cpu: 1, mem: 2 }),
      existing: resourcePod({ cpu: 9, mem: 19 }),
      reasons: [ins('memory')],
    },
    {
      name: "init container fits because it's the max, not sum, of containers and init containers",
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 1 }),
      existing: resourcePod({ cpu: 9, mem: 19 }),
    },
    {
      name: "multiple init containers fit because it's the max, not sum, of containers and init containers",
      pod: withInit(resourcePod({ cpu: 1, mem: 1 }), { cpu: 1, mem: 1 }, { cpu: 1, mem: 1 }),
      existing: resourcePod({ cpu: 9, mem: 19 }),
    },
    { name: 'both resources fit', pod: resourcePod({ cpu: 1, mem: 1 }), existing: resourcePod({ cpu: 5, mem: 5 }) },
    { name: 'one resource memory fits', pod: resourcePod({ cpu: 2, mem: 1 }), existing: resourcePod({ cpu: 9, mem: 5 }), reasons: [ins('cpu')] },
    { name: 'one resource cpu fits', pod: resourcePod({ cpu: 1, mem: 2 }), existing: resourcePod({ cpu: 5, mem: 19 }), reasons: [ins('memory')] },
    { name: 'equal edge case', pod: resourcePod({ cpu: 5, mem: 1 }), existing: resourcePod({ cpu: 5, mem: 19 }) },
    { name: 'equal edge case for init container', pod: withInit(resourcePod({ cpu: 4, mem: 1 }), { cpu: 5, mem: 1 }), existing: resourcePod({ cpu: 5, mem: 19 }) },
    { name: 'extended resource fits', pod: resourcePod({ scalars: { [extendedA]: 1 } }), existing: resourcePod({}) },
    { name: 'extended resource fits for init container', pod: withInit(resourcePod({}), { scalars: { [extendedA]: 1 } }), existing: resourcePod({}) },
    {
      name: 'extended resource capacity enforced',
      beyondAllocatable: true,
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [extendedA]: 10 } }),
      existing: resourcePod({ scalars: { [extendedA]: 0 } }),
      reasons: [ins(extendedA)],
    },
    {
      name: 'extended resource capacity enforced for init container',
      beyondAllocatable: true,
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalars: { [extendedA]: 10 } }),
      existing: resourcePod({ scalars: { [extendedA]: 0 } }),
      reasons: [ins(extendedA)],
    },
    {
      name: 'extended resource allocatable enforced',
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [extendedA]: 1 } }),
      existing: resourcePod({ scalars: { [extendedA]: 5 } }),
      reasons: [ins(extendedA)],
    },
    {
      name: 'extended resource allocatable enforced for multiple containers',
      beyondAllocatable: true,
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [extendedA]: 3 } }, { cpu: 1, mem: 1, scalars: { [extendedA]: 3 } }),
      existing: resourcePod({ scalars: { [extendedA]: 2 } }),
      reasons: [ins(extendedA)],
    },
    {
      name: 'extended resource allocatable admits multiple init containers',
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalars: { [extendedA]: 3 } }, { cpu: 1, mem: 1, scalars: { [extendedA]: 3 } }),
      existing: resourcePod({ scalars: { [extendedA]: 2 } }),
    },
    {
      name: 'extended resource allocatable enforced for multiple init containers',
      beyondAllocatable: true,
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalars: { [extendedA]: 6 } }, { cpu: 1, mem: 1, scalars: { [extendedA]: 3 } }),
      existing: resourcePod({ scalars: { [extendedA]: 2 } }),
      reasons: [ins(extendedA)],
    },
    {
      name: 'extended resource allocatable enforced for unknown resource',
      beyondAllocatable: true,
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [extendedB]: 1 } }),
      existing: resourcePod({}),
      reasons: [ins(extendedB)],
    },
    {
      name: 'extended resource allocatable enforced for unknown resource for init container',
      beyondAllocatable: true,
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalars: { [extendedB]: 1 } }),
      existing: resourcePod({}),
      reasons: [ins(extendedB)],
    },
    {
      name: 'kubernetes.io resource capacity enforced',
      beyondAllocatable: true,
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [kubernetesIOA]: 10 } }),
      existing: resourcePod({}),
      reasons: [ins(kubernetesIOA)],
    },
    {
      name: 'kubernetes.io resource capacity enforced for init container',
      beyondAllocatable: true,
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalars: { [kubernetesIOB]: 10 } }),
      existing: resourcePod({}),
      reasons: [ins(kubernetesIOB)],
    },
    {
      name: 'hugepages resource capacity enforced',
      beyondAllocatable: true,
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [hugePageA]: 10 } }),
      existing: resourcePod({ scalars: { [hugePageA]: 0 } }),
      reasons: [ins(hugePageA)],
    },
    {
      name: 'hugepages resource capacity enforced for init container',
      beyondAllocatable: true,
      pod: withInit(resourcePod({}), { cpu: 1, mem: 1, scalars: { [hugePageA]: 10 } }),
      existing: resourcePod({ scalars: { [hugePageA]: 0 } }),
      reasons: [ins(hugePageA)],
    },
    {
      name: 'hugepages resource allocatable enforced for multiple containers',
      beyondAllocatable: true,
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [hugePageA]: 3 } }, { cpu: 1, mem: 1, scalars: { [hugePageA]: 3 } }),
      existing: resourcePod({ scalars: { [hugePageA]: 2 } }),
      reasons: [ins(hugePageA)],
    },
    {
      name: 'skip checking ignored extended resource',
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [extendedB]: 1 } }),
      existing: resourcePod({}),
      args: { ignoredResources: ['example.com/bbb'] },
    },
    {
      name: 'resources + pod overhead fits',
      pod: withOverhead(resourcePod({ cpu: 1, mem: 1 }), { cpu: '3m', memory: '13' }),
      existing: resourcePod({ cpu: 5, mem: 5 }),
    },
    {
      name: 'requests + overhead does not fit for memory',
      pod: withOverhead(resourcePod({ cpu: 1, mem: 1 }), { cpu: '1m', memory: '15' }),
      existing: resourcePod({ cpu: 5, mem: 5 }),
      reasons: [ins('memory')],
    },
    {
      name: 'skip checking ignored extended resource via resource groups',
      beyondAllocatable: true,
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [extendedB]: 1, [kubernetesIOA]: 1 } }),
      existing: resourcePod({}),
      args: { ignoredResourceGroups: ['example.com'] },
      reasons: [ins(kubernetesIOA)],
    },
    {
      name: 'skip checking extended resource request with quantity zero via resource groups',
      pod: resourcePod({ cpu: 1, mem: 1, scalars: { [extendedA]: 0 } }),
      existing: resourcePod({ scalars: { [extendedA]: 6 } }),
    },
  ];
  for (const version of VERSIONS) {
    for (const c of cases) {
      it(`${c.name} (emulated ${version})`, () => {
        const plugin = factory(c.args, fakeHandle({ featureGates: FeatureGates.resolve({ emulatedVersion: version }) }));
        const ni = nodeInfo(allocNode(10, 20, 32, 5, 20, 5), [c.existing]);
        const v = runFilter(plugin, c.pod, ni);
        expect(v).toEqual(c.reasons ? { code: shortageCode(version, c.beyondAllocatable === true), reasons: c.reasons } : { code: Code.Success, reasons: [] });
      });
    }
  }

  it('reports InsufficientResource details (too many resources fails)', () => {
    const ni = nodeInfo(allocNode(10, 20, 32, 5, 20, 5), [resourcePod({ cpu: 10, mem: 20 })]);
    const p = defaultPlugin as NodeResourcesFit;
    expect(p.insufficientResources(newPodInfo(resourcePod({ cpu: 1, mem: 1 })), ni)).toEqual([
      { resourceName: 'cpu', reason: ins('cpu'), requested: 1, used: 10, capacity: 10 },
      { resourceName: 'memory', reason: ins('memory'), requested: 1, used: 20, capacity: 20 },
    ]);
  });
});

describe('NodeResourcesFit filter (TestNotEnoughRequests: pods limit)', () => {
  const cases: Array<[string, Pod, Pod]> = [
    ["even without specified resources, predicate fails when there's no space for additional pod", makePod(), resourcePod({ cpu: 10, mem: 20 })],
    ["even if both resources fit, predicate fails when there's no space for additional pod", resourcePod({ cpu: 1, mem: 1 }), resourcePod({ cpu: 5, mem: 5 })],
    ["even for equal edge case, predicate fails when there's no space for additional pod", resourcePod({ cpu: 5, mem: 1 }), resourcePod({ cpu: 5, mem: 19 })],
    [
      "even for equal edge case, predicate fails when there's no space for additional pod due to init container",
      withInit(resourcePod({ cpu: 5, mem: 1 }), { cpu: 5, mem: 1 }),
      resourcePod({ cpu: 5, mem: 19 }),
    ],
  ];
  for (const [name, pod, existing] of cases) {
    it(name, () => {
      const ni = nodeInfo(allocNode(10, 20, 1, 0, 0, 0), [existing]);
      expect(runFilter(defaultPlugin, pod, ni)).toEqual({ code: Code.Unschedulable, reasons: ['Too many pods'] });
    });
  }
  it.each(VERSIONS)('all reasons are kept, pods first (emulated %s; the ephemeral-storage request exceeds allocatable 0)', (version) => {
    const ni = nodeInfo(allocNode(10, 20, 1, 0, 0, 0), [resourcePod({ cpu: 10, mem: 20 })]);
    const plugin = factory(undefined, fakeHandle({ featureGates: FeatureGates.resolve({ emulatedVersion: version }) }));
    expect(runFilter(plugin, resourcePod({ cpu: 1, mem: 1, eph: 1 }), ni)).toEqual({
      code: shortageCode(version, true),
      reasons: ['Too many pods', ins('cpu'), ins('memory'), ins('ephemeral-storage')],
    });
  });
});

describe('NodeResourcesFit filter (TestStorageRequests)', () => {
  it.each(
    VERSIONS.flatMap((version) =>
      [
        ['due to container scratch disk', resourcePod({ cpu: 1, mem: 1 }), resourcePod({ cpu: 10, mem: 10 }), [ins('cpu')], false],
        ['pod fit', resourcePod({ cpu: 1, mem: 1 }), resourcePod({ cpu: 2, mem: 10 }), null, false],
        ['storage ephemeral local storage request exceeds allocatable', resourcePod({ eph: 25 }), resourcePod({ cpu: 2, mem: 2 }), [ins('ephemeral-storage')], true],
        ['ephemeral local storage is sufficient', resourcePod({ eph: 10 }), resourcePod({ cpu: 2, mem: 2 }), null, false],
      ].map((row) => [...row, version] as [string, Pod, Pod, string[] | null, boolean, string]),
    ),
  )('%s (emulated %5$s)', (_n, pod, existing, reasons, beyond, version) => {
    const ni = nodeInfo(allocNode(10, 20, 32, 5, 20, 5), [existing]);
    const plugin = factory(undefined, fakeHandle({ featureGates: FeatureGates.resolve({ emulatedVersion: version }) }));
    expect(runFilter(plugin, pod, ni)).toEqual(reasons ? { code: shortageCode(version, beyond), reasons } : { code: Code.Success, reasons: [] });
  });
});

describe('NodeResourcesFit filter property', () => {
  it('passes iff one more pod fits and requested + pod <= allocatable for every requested resource', () => {
    const amount = fc.nat({ max: 50 });
    fc.assert(
      fc.property(
        fc.record({ cpu: amount, mem: amount, eph: amount, ext: amount }),
        fc.record({ cpu: amount, mem: amount, eph: amount, ext: amount }),
        fc.record({ cpu: amount, mem: amount, eph: amount, ext: amount, pods: fc.integer({ min: 1, max: 3 }) }),
        fc.integer({ min: 0, max: 3 }),
        (podReq, used, alloc, existingCount) => {
          const existing: Pod[] = [];
          for (let i = 0; i < existingCount; i++) {
            // The first existing pod carries the whole usage.
            existing.push(i === 0 ? resourcePod({ cpu: used.cpu, mem: used.mem, eph: used.eph, scalars: { [extendedA]: used.ext } }) : makePod());
          }
          const node = allocNode(alloc.cpu, alloc.mem, alloc.pods, alloc.ext, alloc.eph, 0);
          const ni = nodeInfo(node, existing);
          const pod = resourcePod({ cpu: podReq.cpu, mem: podReq.mem, eph: podReq.eph, scalars: { [extendedA]: podReq.ext } });
          const u = existingCount > 0 ? used : { cpu: 0, mem: 0, eph: 0, ext: 0 };
          const ok = (k: 'cpu' | 'mem' | 'eph' | 'ext') => podReq[k] === 0 || u[k] + podReq[k] <= alloc[k];
          const expectFit = existingCount + 1 <= alloc.pods && ok('cpu') && ok('mem') && ok('eph') && ok('ext');
          const v = runFilter(defaultPlugin, pod, ni);
          expect(v.code === Code.Success).toBe(expectFit);
          // v1.34+: unresolvable exactly when some requested resource exceeds the whole allocatable.
          const beyond = (['cpu', 'mem', 'eph', 'ext'] as const).some((k) => podReq[k] > alloc[k]);
          if (!expectFit) expect(v.code).toBe(beyond ? Code.UnschedulableAndUnresolvable : Code.Unschedulable);
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---- scoring ----

/** st.MakeNode().Capacity(...): allocatable = capacity. cpu given in cores as upstream's tests do. */
function scoreNode(name: string, res: Record<string, string>): Node {
  return makeNode(name, { allocatable: res });
}
const req = (...rs: Array<Record<string, string>>): Pod => makePod({ containers: rs.map((r) => container(r)) });
const onNode = (p: Pod, node: string): Pod => ({ ...p, spec: { ...p.spec!, nodeName: node } });
const defaultResources = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];
const extendedRes = 'vendor.io/extended';
const extendedResourceSet = [...defaultResources, { name: extendedRes, weight: 1 }];

function fitScores(strategy: unknown, pod: Pod, nodes: Node[], existing: Pod[] = []): number[] {
  const plugin = factory({ scoringStrategy: strategy }, fakeHandle({}));
  return (runScore(plugin, pod, nodeInfos(nodes, existing)) as Array<{ score: number }>).map((s) => s.score);
}

describe('NodeResourcesFit LeastAllocated (TestLeastAllocatedScoringStrategy)', () => {
  const la = (resources: unknown) => ({ type: 'LeastAllocated', resources });
  const n = (name: string, cpu: string, mem: string, extra: Record<string, string> = {}) => scoreNode(name, { cpu, memory: mem, ...extra });
  const pod3000 = () => req({ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' });
  it('nothing scheduled, nothing requested', () => {
    expect(fitScores(la(defaultResources), makePod(), [n('node1', '4000', '10000'), n('node2', '4000', '10000')])).toEqual([100, 100]);
  });
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    expect(fitScores(la(defaultResources), pod3000(), [n('node1', '4000', '10000'), n('node2', '6000', '10000')])).toEqual([37, 50]);
  });
  it('no resources requested, pods scheduled', () => {
    const ex = [onNode(makePod(), 'node1'), onNode(makePod(), 'node1'), onNode(makePod(), 'node2'), onNode(makePod(), 'node2')];
    expect(fitScores(la(defaultResources), makePod(), [n('node1', '4000', '10000'), n('node2', '4000', '10000')], ex)).toEqual([100, 100]);
  });
  it('no resources requested, pods scheduled with resources', () => {
    const ex = [
      onNode(req({ cpu: '3000', memory: '0' }), 'node1'),
      onNode(req({ cpu: '3000', memory: '0' }), 'node1'),
      onNode(req({ cpu: '3000', memory: '0' }), 'node2'),
      onNode(req({ cpu: '3000', memory: '5000' }), 'node2'),
    ];
    expect(fitScores(la(defaultResources), makePod(), [n('node1', '10000', '20000'), n('node2', '10000', '20000')], ex)).toEqual([70, 57]);
  });
  it('resources requested, pods scheduled with resources', () => {
    const ex = [onNode(req({ cpu: '3000', memory: '0' }), 'node1'), onNode(req({ cpu: '3000', memory: '5000' }), 'node2')];
    expect(fitScores(la(defaultResources), pod3000(), [n('node1', '10000', '20000'), n('node2', '10000', '20000')], ex)).toEqual([57, 45]);
  });
  it('resources requested, pods scheduled with resources, differently sized nodes', () => {
    const ex = [onNode(req({ cpu: '3000', memory: '0' }), 'node1'), onNode(req({ cpu: '3000', memory: '5000' }), 'node2')];
    expect(fitScores(la(defaultResources), pod3000(), [n('node1', '10000', '20000'), n('node2', '10000', '50000')], ex)).toEqual([57, 60]);
  });
  it('requested resources exceed node capacity', () => {
    const ex = [onNode(req({ cpu: '3000', memory: '0' }), 'node1'), onNode(req({ cpu: '3000', memory: '5000' }), 'node2')];
    expect(fitScores(la(defaultResources), req({ cpu: '3000', memory: '0' }), [n('node1', '4000', '10000'), n('node2', '4000', '10000')], ex)).toEqual([50, 25]);
  });
  it('zero node resources, pods scheduled with resources', () => {
    const ex = [onNode(req({ cpu: '3000', memory: '0' }), 'node1'), onNode(req({ cpu: '3000', memory: '5000' }), 'node2')];
    expect(fitScores(la(defaultResources), makePod(), [makeNode('node1'), makeNode('node2')], ex)).toEqual([0, 0]);
  });
  it('nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes', () => {
    const res = [
      { name: 'memory', weight: 2 },
      { name: 'cpu', weight: 1 },
    ];
    expect(fitScores(la(res), pod3000(), [n('node1', '4000', '10000'), n('node2', '6000', '10000')])).toEqual([41, 50]);
  });
  it('bypass extended resource if the pod does not request', () => {
    expect(fitScores(la(extendedResourceSet), pod3000(), [n('node1', '6000', '10000'), n('node2', '6000', '10000', { [extendedRes]: '4' })])).toEqual([50, 50]);
  });
  it('honor extended resource if the pod requests', () => {
    const pod = req({ cpu: '3000', memory: '5000', [extendedRes]: '2' });
    expect(fitScores(la(extendedResourceSet), pod, [n('node1', '6000', '10000', { [extendedRes]: '4' }), n('node2', '6000', '10000', { [extendedRes]: '10' })])).toEqual([50, 60]);
  });
  it("if the node doesn't have a resource", () => {
    const res = [{ name: extendedRes, weight: 2 }, ...defaultResources];
    expect(fitScores(la(res), req({ cpu: '3000', memory: '4000' }), [n('node1', '6000', '10000'), n('node2', '6000', '10000', { [extendedRes]: '4' })])).toEqual([55, 55]);
  });
  it('uses the non-zero defaults (100m cpu, 200Mi memory) for containers without requests', () => {
    // pod: one container with no requests => 100m / 209715200 bytes.
    const pod = makePod({ containers: [container()] });
    const node = scoreNode('node1', { cpu: '1', memory: String(1024 * 1024 * 1024) });
    // cpu: (1000-100)*100/1000 = 90; memory: (1073741824-209715200)*100/1073741824 = 80; (90+80)/2 = 85
    expect(fitScores(la(defaultResources), pod, [node])).toEqual([85]);
  });
  it.each([
    ['resource with negative weight', [{ name: 'memory', weight: -1 }, { name: 'cpu', weight: 1 }], 'scoringStrategy.resources[0].weight: Invalid value: -1: resource weight of memory not in valid range [1, 100]'],
    ['resource weight larger than MaxNodeScore', [{ name: 'memory', weight: 1 }, { name: 'cpu', weight: 101 }], 'scoringStrategy.resources[1].weight: Invalid value: 101: resource weight of cpu not in valid range [1, 100]'],
  ])('%s is rejected', (_n, resources, msg) => {
    expect(() => factory({ scoringStrategy: la(resources) }, fakeHandle({}))).toThrow(FieldErrorList);
    try {
      factory({ scoringStrategy: la(resources) }, fakeHandle({}));
    } catch (e) {
      expect((e as FieldErrorList).errors.map(formatFieldError)).toEqual([msg]);
    }
  });
  it('resource with zero weight defaults to 1 (v1 defaulting)', () => {
    const res = [
      { name: 'memory', weight: 1 },
      { name: 'cpu', weight: 0 },
    ];
    expect(fitScores(la(res), pod3000(), [n('node1', '4000', '10000'), n('node2', '6000', '10000')])).toEqual([37, 50]);
  });
});

describe('NodeResourcesFit MostAllocated (TestMostAllocatedScoringStrategy)', () => {
  const ma = (resources: unknown) => ({ type: 'MostAllocated', resources });
  const n = (name: string, cpu: string, mem: string, extra: Record<string, string> = {}) => scoreNode(name, { cpu, memory: mem, ...extra });
  const pod3000 = () => req({ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' });
  it('nothing scheduled, nothing requested', () => {
    expect(fitScores(ma(defaultResources), makePod(), [n('node1', '4000', '10000'), n('node2', '4000', '10000')])).toEqual([0, 0]);
  });
  it('nothing scheduled, resources requested, differently sized nodes', () => {
    // node1: cpu 3000*100/4000 = 75, memory 5000*100/10000 = 50 => 62; node2: 50, 50 => 50
    expect(fitScores(ma(defaultResources), pod3000(), [n('node1', '4000', '10000'), n('node2', '6000', '10000')])).toEqual([62, 50]);
  });
  it('no resources requested, pods scheduled with resources', () => {
    const ex = [
      onNode(req({ cpu: '3000', memory: '0' }), 'node1'),
      onNode(req({ cpu: '3000', memory: '0' }), 'node1'),
      onNode(req({ cpu: '3000', memory: '0' }), 'node2'),
      onNode(req({ cpu: '3000', memory: '5000' }), 'node2'),
    ];
    // node1: 6000/10000 = 60, 0 => 30; node2: 60, 25 => 42
    expect(fitScores(ma(defaultResources), makePod(), [n('node1', '10000', '20000'), n('node2', '10000', '20000')], ex)).toEqual([30, 42]);
  });
  it('resources requested, pods scheduled with resources', () => {
    const ex = [onNode(req({ cpu: '3000', memory: '0' }), 'node1'), onNode(req({ cpu: '3000', memory: '5000' }), 'node2')];
    // node1: 60, 25 => 42; node2: 60, 50 => 55
    expect(fitScores(ma(defaultResources), pod3000(), [n('node1', '10000', '20000'), n('node2', '10000', '20000')], ex)).toEqual([42, 55]);
  });
  it('requested resources exceed node capacity: capped at capacity', () => {
    const ex = [onNode(req({ cpu: '3000', memory: '0' }), 'node1'), onNode(req({ cpu: '3000', memory: '5000' }), 'node2')];
    // node1: cpu 6000 > 4000 => 100, memory 0 => 0 => 50; node2: 100, 50 => 75
    expect(fitScores(ma(defaultResources), req({ cpu: '3000', memory: '0' }), [n('node1', '4000', '10000'), n('node2', '4000', '10000')], ex)).toEqual([50, 75]);
  });
  it('nothing scheduled, resources requested with different weight on CPU and memory, differently sized nodes', () => {
    const res = [
      { name: 'memory', weight: 2 },
      { name: 'cpu', weight: 1 },
    ];
    // node1: (50*2 + 75) / 3 = 58; node2: (50*2 + 50) / 3 = 50
    expect(fitScores(ma(res), pod3000(), [n('node1', '4000', '10000'), n('node2', '6000', '10000')])).toEqual([58, 50]);
  });
  it('honor extended resource if the pod requests', () => {
    const pod = req({ cpu: '3000', memory: '5000', [extendedRes]: '2' });
    // node1: (50 + 50 + 50) / 3 = 50; node2: (50 + 50 + 20) / 3 = 40
    expect(fitScores(ma(extendedResourceSet), pod, [n('node1', '6000', '10000', { [extendedRes]: '4' }), n('node2', '6000', '10000', { [extendedRes]: '10' })])).toEqual([50, 40]);
  });
});

describe('NodeResourcesFit RequestedToCapacityRatio', () => {
  const shape = [
    { utilization: 0, score: 10 },
    { utilization: 100, score: 0 },
  ];
  const rtcr = (resources: unknown, s: unknown = shape) => ({ type: 'RequestedToCapacityRatio', resources, requestedToCapacityRatio: { shape: s } });
  const n = (name: string, cpu: string, mem: string) => scoreNode(name, { cpu, memory: mem });
  it('nothing scheduled, nothing requested (default - least requested nodes have priority)', () => {
    const ex = [onNode(makePod(), 'node1'), onNode(makePod(), 'node1')];
    expect(fitScores(rtcr(defaultResources), makePod(), [n('node1', '4000', '10000'), n('node2', '4000', '10000')], ex)).toEqual([100, 100]);
  });
  it('nothing scheduled, resources requested, differently sized nodes (default - least requested nodes have priority)', () => {
    const pod = req({ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' });
    // node1: cpu 75% => 25, memory 50% => 50; round((25 + 50) / 2) = 38
    expect(fitScores(rtcr(defaultResources), pod, [n('node1', '4000', '10000'), n('node2', '6000', '10000')])).toEqual([38, 50]);
  });
  it('no resources requested, pods scheduled with resources (default - least requested nodes have priority)', () => {
    const ex = [onNode(req({ cpu: '3000', memory: '5000' }), 'node1'), onNode(req({ cpu: '3000', memory: '5000' }), 'node2')];
    expect(fitScores(rtcr(defaultResources), makePod(), [n('node1', '4000', '10000'), n('node2', '6000', '10000')], ex)).toEqual([38, 50]);
  });
  it('default shape when requestedToCapacityRatio is omitted (SetDefaults_NodeResourcesFitArgs)', () => {
    const pod = req({ cpu: '1000', memory: '2000' }, { cpu: '2000', memory: '3000' });
    const strategy = { type: 'RequestedToCapacityRatio', resources: defaultResources };
    expect(fitScores(strategy, pod, [n('node1', '4000', '10000'), n('node2', '6000', '10000')])).toEqual([38, 50]);
  });

  const binPacking = (resources: unknown) => rtcr(resources, [
    { utilization: 0, score: 0 },
    { utilization: 100, score: 1 },
  ]);
  const extNode = (name: string, ext: Record<string, string>) => scoreNode(name, { cpu: '4000', memory: String(10000 * 1024 * 1024), ...ext });
  describe('TestResourceBinPackingSingleExtended', () => {
    const res = [{ name: 'intel.com/foo', weight: 1 }];
    const nodes = () => [extNode('node1', { 'intel.com/foo': '8' }), extNode('node2', { 'intel.com/foo': '4' })];
    it('nothing scheduled, nothing requested', () => {
      expect(fitScores(binPacking(res), makePod(), nodes())).toEqual([0, 0]);
    });
    it('resources requested, pods scheduled with less resources', () => {
      expect(fitScores(binPacking(res), req({ 'intel.com/foo': '2' }), nodes(), [makePod()])).toEqual([2, 5]);
    });
    it('resources requested, pods scheduled with resources, on node with existing pod running', () => {
      expect(fitScores(binPacking(res), req({ 'intel.com/foo': '2' }), nodes(), [onNode(req({ 'intel.com/foo': '2' }), 'node2')])).toEqual([2, 10]);
    });
    it('resources requested, pods scheduled with more resources', () => {
      expect(fitScores(binPacking(res), req({ 'intel.com/foo': '4' }), nodes(), [makePod()])).toEqual([5, 10]);
    });
  });
  describe('TestResourceBinPackingMultipleExtended', () => {
    const res = [
      { name: 'intel.com/foo', weight: 3 },
      { name: 'intel.com/bar', weight: 5 },
    ];
    const nodes = () => [extNode('node1', { 'intel.com/foo': '8', 'intel.com/bar': '4' }), extNode('node2', { 'intel.com/foo': '4', 'intel.com/bar': '8' })];
    it('nothing scheduled, nothing requested', () => {
      expect(fitScores(binPacking(res), makePod(), nodes())).toEqual([0, 0]);
    });
    it('resources requested, pods scheduled with less resources', () => {
      // node1: foo 25% => 2, bar 50% => 5: round((2*3 + 5*5) / 8) = 4; node2: foo 5, bar 2: round((15 + 10) / 8) = 3
      expect(fitScores(binPacking(res), req({ 'intel.com/foo': '2', 'intel.com/bar': '2' }), nodes(), [makePod()])).toEqual([4, 3]);
    });
    it('resources requested, pods scheduled with more resources', () => {
      // node1: foo 4/8 => 5, bar 2/4 => 5 => 5; node2: foo 4/4 => 10, bar 2/8 => 2: round((30 + 10) / 8) = 5
      expect(fitScores(binPacking(res), req({ 'intel.com/foo': '4', 'intel.com/bar': '2' }), nodes(), [makePod()])).toEqual([5, 5]);
    });
  });

  it.each([
    ['empty shape', [], 'scoringStrategy.shape: Required value: at least one point must be specified'],
    [
      'unsorted utilization',
      [
        { utilization: 50, score: 1 },
        { utilization: 10, score: 2 },
      ],
      'scoringStrategy.shape[1].utilization: Invalid value: 10: utilization values must be sorted in increasing order',
    ],
    ['score above 10', [{ utilization: 10, score: 11 }], 'scoringStrategy.shape[0].score: Invalid value: 11: not in valid range [0, 10]'],
    ['utilization above 100', [{ utilization: 101, score: 1 }], 'scoringStrategy.shape[0].utilization: Invalid value: 101: not in valid range [0, 100]'],
  ])('rejects %s', (_n, s, msg) => {
    try {
      factory({ scoringStrategy: rtcr(defaultResources, s) }, fakeHandle({}));
      expect.unreachable('factory should throw');
    } catch (e) {
      expect((e as FieldErrorList).errors.map(formatFieldError)).toEqual([msg]);
    }
  });
});

describe('BuildBrokenLinearFunction (TestBrokenLinearFunction)', () => {
  const cases: Array<{ points: Array<{ utilization: number; score: number }>; assertions: Array<[number, number]> }> = [
    {
      points: [
        { utilization: 10, score: 1 },
        { utilization: 90, score: 9 },
      ],
      assertions: [[-10, 1], [0, 1], [9, 1], [10, 1], [15, 1], [19, 1], [20, 2], [89, 8], [90, 9], [99, 9], [100, 9], [110, 9]],
    },
    {
      points: [
        { utilization: 0, score: 2 },
        { utilization: 40, score: 10 },
        { utilization: 100, score: 0 },
      ],
      assertions: [[-10, 2], [0, 2], [20, 6], [30, 8], [40, 10], [70, 5], [100, 0], [110, 0]],
    },
    {
      points: [
        { utilization: 0, score: 2 },
        { utilization: 40, score: 2 },
        { utilization: 100, score: 2 },
      ],
      assertions: [[-10, 2], [0, 2], [20, 2], [30, 2], [40, 2], [70, 2], [100, 2], [110, 2]],
    },
  ];
  cases.forEach((c, i) => {
    it(`case_${i}`, () => {
      const f = buildBrokenLinearFunction(c.points);
      for (const [p, want] of c.assertions) expect(f(p)).toBe(want);
    });
  });
});

describe('NodeResourcesFit scores are within [0, 100] for every strategy (property)', () => {
  it('holds for random nodes and pods', () => {
    const strategies = [
      { type: 'LeastAllocated' },
      { type: 'MostAllocated' },
      { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 50, score: 10 }, { utilization: 100, score: 3 }] } },
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...strategies),
        fc.array(fc.record({ cpu: fc.nat({ max: 8000 }), mem: fc.nat({ max: 8000 }), usedCpu: fc.nat({ max: 10000 }), usedMem: fc.nat({ max: 10000 }) }), { minLength: 1, maxLength: 4 }),
        fc.record({ cpu: fc.nat({ max: 5000 }), mem: fc.nat({ max: 5000 }) }),
        (strategy, nodes, pod) => {
          const ns = nodes.map((x, i) => scoreNode(`n${i}`, { cpu: `${x.cpu}m`, memory: String(x.mem), pods: '110' }));
          const ex = nodes.map((x, i) => onNode(req({ cpu: `${x.usedCpu}m`, memory: String(x.usedMem) }), `n${i}`));
          for (const s of fitScores(strategy, req({ cpu: `${pod.cpu}m`, memory: String(pod.mem) }), ns, ex)) {
            expect(Number.isInteger(s)).toBe(true);
            expect(s).toBeGreaterThanOrEqual(0);
            expect(s).toBeLessThanOrEqual(100);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('NodeResourcesFit args', () => {
  const fmt = (f: () => unknown): string[] => {
    try {
      f();
      return [];
    } catch (e) {
      return (e as FieldErrorList).errors.map(formatFieldError);
    }
  };
  it('defaults to LeastAllocated over cpu and memory', () => {
    expect((factory(undefined, fakeHandle({})) as NodeResourcesFit).args).toEqual({
      ignoredResources: [],
      ignoredResourceGroups: [],
      scoringStrategy: { type: 'LeastAllocated', resources: defaultResources },
    });
  });
  it('rejects an unknown strategy type', () => {
    expect(fmt(() => factory({ scoringStrategy: { type: 'Foo' } }, fakeHandle({})))).toEqual([
      'scoringStrategy.type: Unsupported value: "Foo": supported values: "LeastAllocated", "MostAllocated", "RequestedToCapacityRatio"',
    ]);
  });
  it("rejects a resource group with '/'", () => {
    expect(fmt(() => factory({ ignoredResourceGroups: ['example.com/aaa'] }, fakeHandle({})))[0]).toBe(
      "ignoredResourceGroups[0]: Invalid value: \"example.com/aaa\": resource group name can't contain '/'",
    );
  });
  it('rejects unknown fields', () => {
    expect(fmt(() => factory({ ignoredResource: ['x'] }, fakeHandle({})))).toEqual(['ignoredResource: Unknown field']);
  });
});

describe('NodeResourcesFit events and queueing hints', () => {
  const pod = req({ cpu: '2' }) as unknown as Stored;
  it('registers Pod delete and Node add/allocatable/taint/label updates', () => {
    const ev = (defaultPlugin as NodeResourcesFit).eventsToRegister().map((e) => e.event);
    expect(ev).toEqual([
      { resource: 'Pod', actionType: 2 },
      { resource: 'Node', actionType: 1 | 4 | 16 | 8 },
    ]);
  });
  it('a deleted unscheduled pod cannot free resources', () => {
    expect(isSchedulableAfterPodChange(pod, makePod() as unknown as Stored, undefined)).toBe('QueueSkip');
    expect(isSchedulableAfterPodChange(pod, onNode(makePod(), 'n1') as unknown as Stored, undefined)).toBe('Queue');
  });
  it('a node event queues only if the pod would fit the node', () => {
    const big = scoreNode('n', { cpu: '4', memory: '1Gi', pods: '10' }) as unknown as Stored;
    const small = scoreNode('n', { cpu: '1', memory: '1Gi', pods: '10' }) as unknown as Stored;
    expect(isSchedulableAfterNodeChange(pod, undefined, big)).toBe('Queue');
    expect(isSchedulableAfterNodeChange(pod, big, small)).toBe('QueueSkip');
  });
});
