// The kubelet's own admission of bound pods: GeneralPredicates (pkg/kubelet/lifecycle/predicate.go)
// and the Topology Manager with the CPU, memory and device managers, end to end through the kubelet.
import { describe, expect, it, vi } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';
import { NUMA_TOPOLOGY_ANNOTATION, type NumaLayout } from '../../src/api/numa.ts';
import { predicateAdmit } from '../../src/kubelet/lifecycle/predicate.ts';
import { NodeAdmission } from '../../src/kubelet/admission.ts';

const releaseImpl = NodeAdmission.prototype.release;

interface NodeOpts {
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  numa?: NumaLayout;
  kubelet?: Record<string, unknown>;
}

function node(name: string, o: NodeOpts = {}): KObject {
  const annotations: Record<string, string> = {};
  if (o.numa) annotations[NUMA_TOPOLOGY_ANNOTATION] = JSON.stringify(o.numa);
  if (o.kubelet) annotations['ksim.dev/kubelet-config'] = JSON.stringify(o.kubelet);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: o.labels ?? {}, annotations },
    spec: o.taints ? { taints: o.taints } : {},
    status: { capacity: o.capacity ?? { cpu: '2', memory: '4Gi', pods: '110' } },
  };
}

function pod(name: string, nodeName: string, spec: Record<string, unknown> = {}, resources?: Record<string, string>): KObject {
  const res = resources ? { requests: resources, limits: resources } : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27', ...(res ? { resources: res } : {}) }], ...spec },
  };
}

function sim(cfg: Record<string, unknown> = {}): Simulation {
  const s = Simulation.create({ seed: 5 });
  startComponents(s, { kubelet: cfg });
  return s;
}

const get = (s: Simulation, name: string) => s.get('Pod', 'default', name) as (Pod & KObject) | undefined;
const warnings = (s: Simulation, name: string) => s.events().filter((e) => e.involvedObject.name === name && e.type === 'Warning').map((e) => `${e.reason}: ${e.message}`);

describe('kubelet admission: GeneralPredicates', () => {
  it('OutOfcpu: Failed with "Pod was rejected: ..." and a Warning event of that reason', () => {
    const s = sim();
    s.apply(node('n1'));
    s.apply(pod('big', 'n1', {}, { cpu: '4' }));
    s.runUntil(5000);
    const p = get(s, 'big')!;
    expect(p.status?.phase).toBe('Failed');
    expect(p.status?.reason).toBe('OutOfcpu');
    expect(p.status?.message).toBe("Pod was rejected: Node didn't have enough resource: cpu, requested: 4000, used: 0, capacity: 2000");
    expect(warnings(s, 'big')).toEqual(["OutOfcpu: Node didn't have enough resource: cpu, requested: 4000, used: 0, capacity: 2000"]);
  });

  it('counts the requests of admitted pods (used) and releases them when a pod finishes', () => {
    const s = sim();
    s.apply(node('n1'));
    s.apply({ ...pod('a', 'n1', { restartPolicy: 'Never' }, { cpu: '1500m' }), metadata: { name: 'a', namespace: 'default', annotations: { 'ksim.dev/run-duration': '10s' } } });
    s.runUntil(3000);
    s.apply(pod('b', 'n1', {}, { cpu: '1' }));
    s.runUntil(6000);
    expect(get(s, 'b')?.status?.message).toBe("Pod was rejected: Node didn't have enough resource: cpu, requested: 1000, used: 1500, capacity: 2000");
    s.runUntil(30_000);
    expect(get(s, 'a')?.status?.phase).toBe('Succeeded');
    s.apply(pod('c', 'n1', {}, { cpu: '1' }));
    s.runUntil(40_000);
    expect(get(s, 'c')?.status?.phase).toBe('Running');
  });

  it('releases a pod once the kubelet sees it terminal or gone, whoever made it so, and only once', () => {
    const released: string[] = [];
    const spy = vi.spyOn(NodeAdmission.prototype, 'release').mockImplementation(function (this: NodeAdmission, uid: string) {
      released.push(uid);
      return releaseImpl.call(this, uid);
    });
    try {
      const s = sim();
      s.apply(node('n1'));
      // Finishes by itself (the kubelet's own terminal write), then is deleted: one release.
      s.apply({ ...pod('a', 'n1', { restartPolicy: 'Never' }, { cpu: '1500m' }), metadata: { name: 'a', namespace: 'default', annotations: { 'ksim.dev/run-duration': '5s' } } });
      s.runUntil(10_000);
      const a = get(s, 'a')!;
      expect(a.status?.phase).toBe('Succeeded');
      s.store.delete('Pod', 'default', 'a', { gracePeriodSeconds: 0 });
      s.runUntil(12_000);
      expect(released.filter((u) => u === a.metadata.uid)).toEqual([a.metadata.uid]);
      // Made Failed by another writer while running: released when the kubelet sees it, so the cpu is free again.
      s.apply(pod('b', 'n1', {}, { cpu: '1500m' }));
      s.runUntil(20_000);
      const b = get(s, 'b')!;
      expect(b.status?.phase).toBe('Running');
      s.store.patch<Pod & KObject>('Pod', 'default', 'b', (d) => void (d.status!.phase = 'Failed'), { subresource: 'status', actor: 'test' });
      s.runUntil(21_000);
      expect(released.filter((u) => u === b.metadata.uid)).toEqual([b.metadata.uid]);
      s.apply(pod('c', 'n1', {}, { cpu: '1500m' }));
      s.runUntil(30_000);
      expect(get(s, 'c')?.status?.phase).toBe('Running');
      // Force-deleted by someone else while running: released at its deletion.
      const c = get(s, 'c')!;
      s.store.delete('Pod', 'default', 'c', { gracePeriodSeconds: 0 });
      s.runUntil(31_000);
      expect(released.filter((u) => u === c.metadata.uid)).toEqual([c.metadata.uid]);
      s.apply(pod('d', 'n1', {}, { cpu: '1500m' }));
      s.runUntil(40_000);
      expect(get(s, 'd')?.status?.phase).toBe('Running');
    } finally {
      spy.mockRestore();
    }
  });

  it('OutOfpods from maxPods (allocatable pods), per node group configuration', () => {
    const s = sim();
    s.apply(node('n1', { capacity: { cpu: '2', memory: '4Gi' }, kubelet: { maxPods: 1 } }));
    s.apply(pod('p1', 'n1'));
    s.runUntil(100);
    s.apply(pod('p2', 'n1'));
    s.runUntil(5000);
    expect(get(s, 'p1')?.status?.phase).toBe('Running');
    expect((s.get('Node', '', 'n1') as KObject & { status: { allocatable: Record<string, string> } }).status.allocatable['pods']).toBe('1');
    expect(get(s, 'p2')?.status?.reason).toBe('OutOfpods');
    expect(get(s, 'p2')?.status?.message).toBe("Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: 1, capacity: 1");
  });

  it('NodeAffinity and OutOf<extended>; NoSchedule taints do not matter to the kubelet', () => {
    const s = sim();
    s.apply(node('n1', { labels: { disk: 'hdd' }, taints: [{ key: 'x', effect: 'NoSchedule' }], capacity: { cpu: '2', memory: '4Gi', 'example.com/foo': '1' } }));
    s.apply(pod('sel', 'n1', { nodeSelector: { disk: 'ssd' } }));
    s.apply(pod('ok', 'n1'));
    s.apply(pod('ext', 'n1', {}, { 'example.com/foo': '2' }));
    s.runUntil(5000);
    expect([get(s, 'sel')?.status?.reason, get(s, 'sel')?.status?.message]).toEqual(['NodeAffinity', "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"]);
    expect(get(s, 'ok')?.status?.phase).toBe('Running');
    expect(get(s, 'ext')?.status?.message).toBe("Pod was rejected: Node didn't have enough resource: example.com/foo, requested: 2, used: 0, capacity: 1");
    expect(get(s, 'ext')?.status?.reason).toBe('OutOfexample.com/foo');
  });

  it('predicateAdmit: untolerated NoExecute taint, host ports, the first failure wins', () => {
    const n = { metadata: { name: 'n1', labels: {} }, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] }, status: { allocatable: { cpu: '1', memory: '1Gi', pods: '10' } } };
    const usage = { pods: 0, requested: new Map<string, number>(), hostPorts: [{ protocol: 'TCP', hostIP: '0.0.0.0', port: 80 }] };
    const p = (spec: Record<string, unknown>) => ({ metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }], ...spec } }) as Pod;
    expect(predicateAdmit(p({}), n, usage).message).toBe("Predicate TaintToleration failed: node(s) had taints that the pod didn't tolerate");
    const tol = [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' }];
    expect(predicateAdmit(p({ tolerations: tol }), n, usage).admit).toBe(true);
    expect(predicateAdmit(p({ tolerations: [{ operator: 'Exists' }] }), n, usage).admit).toBe(true);
    const withPort = p({ tolerations: tol, containers: [{ name: 'c', ports: [{ containerPort: 8080, hostPort: 80 }] }] });
    expect(predicateAdmit(withPort, n, usage)).toEqual({ admit: false, reason: 'NodePorts', message: "Predicate NodePorts failed: node(s) didn't have free ports for the requested pod ports" });
    // Resources come first, then node affinity, as AdmissionCheck collects them.
    const both = p({ tolerations: tol, nodeSelector: { a: 'b' }, containers: [{ name: 'c', resources: { requests: { cpu: '2' } } }] });
    expect(predicateAdmit(both, n, usage).reason).toBe('OutOfcpu');
    expect(predicateAdmit(p({ tolerations: tol, os: { name: 'windows' } }), n, usage).reason).toBe('PodOSNotSupported');
  });
});

// Two NUMA nodes, each 4 CPUs (2 cores x 2 threads), 4Gi, one GPU.
const gpuLayout: NumaLayout = {
  threadsPerCore: 2,
  nodes: [
    { id: 0, cpus: [0, 1, 2, 3], memory: '4Gi', devices: { 'nvidia.com/gpu': 1 } },
    { id: 1, cpus: [4, 5, 6, 7], memory: '4Gi', devices: { 'nvidia.com/gpu': 1 } },
  ],
};
const gpuNode = (kubelet: Record<string, unknown>) => node('gpu-0', { capacity: { cpu: '8', memory: '8Gi', 'nvidia.com/gpu': '2', pods: '110' }, numa: gpuLayout, kubelet });
const assignment = (s: Simulation, name: string) => JSON.parse(get(s, name)?.metadata.annotations?.['ksim.dev/resource-assignment'] ?? 'null');

describe('kubelet admission: Topology Manager and resource managers', () => {
  const cfg = { cpuManagerPolicy: 'static', reservedSystemCPUs: '0', topologyManagerPolicy: 'single-numa-node' };

  it('single-numa-node rejects a pod whose GPUs span two NUMA nodes: TopologyAffinityError', () => {
    const s = sim();
    s.apply(gpuNode(cfg));
    s.apply(pod('two-gpus', 'gpu-0', {}, { cpu: '2', memory: '1Gi', 'nvidia.com/gpu': '2' }));
    s.runUntil(5000);
    const p = get(s, 'two-gpus')!;
    expect([p.status?.phase, p.status?.reason, p.status?.message]).toEqual(['Failed', 'TopologyAffinityError', 'Pod was rejected: Resources cannot be allocated with Topology locality']);
    expect(warnings(s, 'two-gpus')).toEqual(['TopologyAffinityError: Resources cannot be allocated with Topology locality']);
  });

  it('admits an aligned pod: exclusive CPUs and the GPU on one NUMA node, visible in the annotation', () => {
    const s = sim();
    s.apply(gpuNode(cfg));
    s.apply(pod('one-gpu', 'gpu-0', {}, { cpu: '2', memory: '1Gi', 'nvidia.com/gpu': '1' }));
    s.apply(pod('one-gpu-b', 'gpu-0', {}, { cpu: '2', memory: '1Gi', 'nvidia.com/gpu': '1' }));
    s.runUntil(5000);
    expect(get(s, 'one-gpu')?.status?.phase).toBe('Running');
    const a = assignment(s, 'one-gpu');
    // CPU 0 is reserved, so NUMA node 0 has 3 free CPUs: the whole core {2,3} is taken.
    expect(a.containers.app).toEqual({ devices: { 'nvidia.com/gpu': { ids: ['nvidia.com/gpu-0'], numaNodes: [0] } }, exclusive: true, cpuset: '2-3', numaNodes: [0] });
    const b = assignment(s, 'one-gpu-b');
    expect(b.containers.app.numaNodes).toEqual([1]);
    expect(b.containers.app.cpuset).toBe('4-5');
  });

  it('restricted rejects when only a non-preferred (wider than necessary) hint fits; best-effort admits it', () => {
    for (const [policy, phase] of [['restricted', 'Failed'], ['best-effort', 'Running']] as const) {
      const s = sim();
      s.apply(gpuNode({ ...cfg, topologyManagerPolicy: policy }));
      s.apply(pod('a', 'gpu-0', {}, { cpu: '2', memory: '1Gi' }));
      s.apply(pod('b', 'gpu-0', {}, { cpu: '2', memory: '1Gi' }));
      s.runUntil(3000);
      // NUMA 0 has CPU 1 free (0 is reserved), NUMA 1 has 6-7: three CPUs fit only across both nodes.
      s.apply(pod('c', 'gpu-0', {}, { cpu: '3', memory: '1Gi' }));
      s.runUntil(6000);
      expect(get(s, 'c')?.status?.phase).toBe(phase);
      if (phase === 'Failed') expect(get(s, 'c')?.status?.reason).toBe('TopologyAffinityError');
      else expect(assignment(s, 'c').containers.app).toMatchObject({ cpuset: '1,6-7', numaNodes: [0, 1] });
    }
  });

  it('full-pcpus-only: an odd CPU count on an SMT node is SMTAlignmentError', () => {
    const s = sim();
    s.apply(gpuNode({ ...cfg, topologyManagerPolicy: 'none', cpuManagerPolicyOptions: { 'full-pcpus-only': 'true' } }));
    s.apply(pod('odd', 'gpu-0', {}, { cpu: '3', memory: '1Gi' }));
    s.runUntil(5000);
    expect([get(s, 'odd')?.status?.reason, get(s, 'odd')?.status?.message]).toEqual(['SMTAlignmentError', 'Pod was rejected: SMT Alignment Error: requested 3 cpus not multiple cpus per core = 2']);
  });

  it('a Burstable pod and a fractional request stay in the shared pool', () => {
    const s = sim();
    s.apply(gpuNode(cfg));
    s.apply(pod('frac', 'gpu-0', {}, { cpu: '1500m', memory: '1Gi' }));
    s.runUntil(5000);
    expect(assignment(s, 'frac').containers.app).toEqual({ exclusive: false, cpuset: '0-7' });
  });

  it('max-allowable-numa-nodes: more NUMA nodes than allowed (default 8) is an admission error; a value below 8 stops the kubelet', () => {
    const nine: NumaLayout = { nodes: Array.from({ length: 9 }, (_, i) => ({ id: i, cpus: [i], memory: '1Gi' })) };
    const s = sim();
    s.apply(node('big', { capacity: { cpu: '9', memory: '9Gi' }, numa: nine, kubelet: { topologyManagerPolicy: 'best-effort' } }));
    s.apply(node('big2', { capacity: { cpu: '9', memory: '9Gi' }, numa: nine, kubelet: { topologyManagerPolicy: 'best-effort', topologyManagerPolicyOptions: { 'max-allowable-numa-nodes': '9' } } }));
    s.apply(gpuNode({ ...cfg, topologyManagerPolicyOptions: { 'max-allowable-numa-nodes': '1' } }));
    s.apply(pod('p', 'big', {}, { cpu: '1', memory: '1Gi' }));
    s.apply(pod('q', 'big2', {}, { cpu: '1', memory: '1Gi' }));
    s.apply(pod('r', 'gpu-0', {}, { cpu: '1', memory: '1Gi' }));
    s.runUntil(5000);
    expect([get(s, 'p')?.status?.reason, get(s, 'p')?.status?.message]).toEqual(['UnexpectedAdmissionError', 'Pod was rejected: unsupported on machines with more than 8 NUMA Nodes']);
    expect(get(s, 'q')?.status?.phase).toBe('Running');
    expect(get(s, 'r')?.status?.message).toBe('Pod was rejected: the minimum value of "max-allowable-numa-nodes" should not be less than 8');
  });

  it('the Memory Manager (Static) places memory on the hint\'s NUMA node and rejects what no NUMA node can hold under single-numa-node', () => {
    const s = sim();
    s.apply(gpuNode({ ...cfg, memoryManagerPolicy: 'Static', reservedMemory: [{ numaNode: 0, limits: { memory: '1Gi' } }] }));
    s.apply(pod('m', 'gpu-0', {}, { cpu: '2', memory: '2Gi' }));
    s.apply(pod('huge', 'gpu-0', {}, { cpu: '2', memory: '5Gi' }));
    s.runUntil(5000);
    expect(assignment(s, 'm').containers.app.memory).toEqual([{ type: 'memory', size: '2Gi', numaNodes: [0] }]);
    expect(get(s, 'huge')?.status?.reason).toBe('TopologyAffinityError');
  });
});

describe('kubelet registration: per-node configuration', () => {
  it('registerWithTaints puts the taints on the Node; reservedSystemCPUs lowers allocatable cpu by the CPU count', () => {
    const s = sim({ registerWithTaints: [{ key: 'example.com/init', effect: 'NoSchedule' }] });
    s.apply(node('n1', { capacity: { cpu: '8', memory: '8Gi' }, kubelet: { reservedSystemCPUs: '0-1' }, taints: [{ key: 'a', effect: 'NoExecute' }] }));
    const n = s.get('Node', '', 'n1') as KObject & { spec: { taints: unknown[] }; status: { allocatable: Record<string, string> } };
    expect(n.spec.taints).toEqual([{ key: 'a', effect: 'NoExecute' }, { key: 'example.com/init', effect: 'NoSchedule' }]);
    expect(n.status.allocatable['cpu']).toBe('6');
  });
});

describe('the TopologyAffinityError storm of a ReplicaSet', () => {
  it('a rejected pod is replaced at once, bound to the same node and rejected again', () => {
    const s = sim();
    s.apply(gpuNode({ cpuManagerPolicy: 'static', reservedSystemCPUs: '0', topologyManagerPolicy: 'single-numa-node' }));
    const r = { cpu: '2', memory: '1Gi', 'nvidia.com/gpu': '2' };
    s.apply({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'trainer', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 't' } }, template: { metadata: { labels: { app: 't' } }, spec: { containers: [{ name: 'c', image: 'x:1', resources: { requests: r, limits: r } }] } } },
    });
    s.runUntil(500);
    const pods = s.list('Pod') as Array<Pod & KObject>;
    const failed = pods.filter((p) => p.status?.phase === 'Failed');
    expect(failed.length).toBeGreaterThan(5);
    expect(new Set(failed.map((p) => `${p.spec?.nodeName} ${p.status?.reason}`))).toEqual(new Set(['gpu-0 TopologyAffinityError']));
    expect(pods.filter((p) => p.status?.phase !== 'Failed').length).toBe(1);
  });
});

describe('the node kubelet configuration is the group one deep-merged over the cluster one', () => {
  it('kubeReserved cpu from the cluster and memory from the group both count (static CPU Manager reserves one CPU)', () => {
    const s = sim({ kubeReserved: { cpu: '1' }, cpuManagerPolicy: 'static' });
    s.apply(node('n1', { capacity: { cpu: '4', memory: '4Gi' }, numa: { nodes: [{ id: 0, cpus: [0, 1, 2, 3], memory: '4Gi' }] }, kubelet: { kubeReserved: { memory: '1Gi' } } }));
    s.apply(pod('g', 'n1', {}, { cpu: '2', memory: '1Gi' }));
    s.runUntil(5000);
    const n = s.get('Node', '', 'n1') as KObject & { status: { allocatable: Record<string, string> } };
    expect([n.status.allocatable['cpu'], n.status.allocatable['memory']]).toEqual(['3', '2972Mi']);
    expect(get(s, 'g')?.status?.phase).toBe('Running');
    expect(assignment(s, 'g').containers.app.cpuset).toBe('1-2');
  });
});

describe('CPU Manager policy option maturity', () => {
  it('an alpha option needs CPUManagerPolicyAlphaOptions; strict-cpu-reservation keeps reserved CPUs out of the shared pool', () => {
    const s = sim();
    s.apply(gpuNode({ cpuManagerPolicy: 'static', reservedSystemCPUs: '0', cpuManagerPolicyOptions: { 'align-by-socket': 'true' } }));
    s.apply(node('strict', { capacity: { cpu: '4', memory: '4Gi' }, numa: { nodes: [{ id: 0, cpus: [0, 1, 2, 3], memory: '4Gi' }] }, kubelet: { cpuManagerPolicy: 'static', reservedSystemCPUs: '0', cpuManagerPolicyOptions: { 'strict-cpu-reservation': 'true' } } }));
    s.apply(pod('a', 'gpu-0', {}, { cpu: '1', memory: '1Gi' }));
    s.apply(pod('b', 'strict', {}, { cpu: '500m', memory: '1Gi' }));
    s.runUntil(5000);
    expect(get(s, 'a')?.status?.message).toBe('Pod was rejected: CPU Manager Policy Alpha-level Options not enabled, but option "align-by-socket" provided');
    expect(assignment(s, 'b').containers.app.cpuset).toBe('1-3');
  });
});

describe('resource allocation runs before the predicates, as upstream registers it', () => {
  it('too many exclusive CPUs is the CPU Manager\'s UnexpectedAdmissionError, not OutOfcpu', () => {
    const s = sim();
    s.apply(gpuNode({ cpuManagerPolicy: 'static', reservedSystemCPUs: '0' }));
    s.apply(pod('greedy', 'gpu-0', {}, { cpu: '8', memory: '1Gi' }));
    s.runUntil(5000);
    expect([get(s, 'greedy')?.status?.reason, get(s, 'greedy')?.status?.message]).toEqual([
      'UnexpectedAdmissionError',
      'Pod was rejected: Allocate failed due to not enough cpus available to satisfy request: requested=8, available=7, which is unexpected',
    ]);
  });
});
