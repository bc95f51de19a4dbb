import { describe, expect, it } from 'vitest';
import { loadScenario, loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError, formatProblem } from '../../src/scenario/problems.ts';
import type { LoadedScenario } from '../../src/scenario/types.ts';

function files(map: Record<string, string>): (p: string) => string {
  return (p) => {
    const t = map[p];
    if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
    return t;
  };
}

function load(text: string, extra: Record<string, string> = {}): LoadedScenario {
  return loadScenarioFromText([{ file: 'dir/s.yaml', text }], { readFile: files(extra) });
}

function problems(text: string, extra: Record<string, string> = {}): string[] {
  try {
    load(text, extra);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected problems');
}

const SCENARIO = `apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata:
  name: demo
spec:
  seed: 42
  until: 10m
  startTime: "2025-06-01T12:00:00Z"
  config:
    kubelet:
      kubeReserved: {cpu: 100m, memory: 256Mi}
  nodes:
    - count: 5
      namePrefix: worker
      capacity: {cpu: "4", memory: 16Gi}
      labels:
        topology.kubernetes.io/zone: 'zone-{{ cycle "a" "b" "c" }}'
        rack: "r{{ index / 2 }}"
      taints:
        - {key: dedicated, value: "team-{{ index % 2 }}", effect: NoSchedule}
    - count: 1
      name: gpu-node
      capacity: {cpu: "8", memory: 32Gi, nvidia.com/gpu: "4"}
      allocatable: {cpu: "7", memory: 30Gi, nvidia.com/gpu: "4", pods: "50"}
      kubelet: {maxPods: 50}
  objects:
    - apiVersion: scheduling.k8s.io/v1
      kind: PriorityClass
      metadata: {name: high}
      value: 1000
  include:
    - pods.yaml
  timeline:
    - at: 1m
      cordon: worker-0
    - at: 2m
      drain: [worker-1, worker-2]
    - at: 3m
      nodeDown: {selector: "topology.kubernetes.io/zone=zone-a"}
    - at: 4m
      delete: {kind: Pod, name: web}
    - at: 5m
      apply:
        apiVersion: v1
        kind: Pod
        metadata: {name: late, namespace: shop}
        spec:
          priorityClassName: high
          containers: [{name: c, image: nginx}]
    - at: 6m
      patch: {kind: Node, name: worker-3, patch: {metadata: {labels: {x: "y"}}}}
  load:
    - {namespace: default, cpu: 250m}
  expect:
    - at: 30s
      kind: Pod
      name: web
      path: status.phase
      equals: Running
    - at: 7m
      kind: Node
      name: worker-0
      path: spec.unschedulable
      equals: true
    - at: 8m
      kind: Pod
      namespace: shop
      fieldSelector: status.phase=Running
      count: 1
`;

const PODS = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers: [{name: c, image: nginx, resources: {requests: {cpu: 500m}}}]
`;

describe('loading a Scenario', () => {
  const s = load(SCENARIO, { 'dir/pods.yaml': PODS });

  it('reads the header fields', () => {
    expect(s.name).toBe('demo');
    expect(s.seed).toBe(42);
    expect(s.until).toBe(600_000);
    expect(s.startTime).toBe('2025-06-01T12:00:00Z');
    expect(s.hasScenarioDocument).toBe(true);
    // spec.load is parsed into load models (src/load) for the kubelets; the raw entries stay for tools.
    expect(s.load).toEqual([{ namespace: 'default', cpu: '250m' }]);
    expect(s.config.load?.pods.map((p) => [p.namespace, p.models.cpu])).toEqual([['default', { type: 'constant', value: 0.25, clock: 'scenario' }]]);
    expect(s.config.kubelet).toEqual({ kubeReserved: { cpu: '100m', memory: '256Mi' } });
  });

  it('expands node groups with templates', () => {
    const nodes = s.objects.filter((o) => o.object.kind === 'Node').map((o) => o.object);
    expect(nodes.map((n) => n.metadata.name)).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'gpu-node']);
    expect(nodes.map((n) => n.metadata.labels?.['topology.kubernetes.io/zone'])).toEqual(['zone-a', 'zone-b', 'zone-c', 'zone-a', 'zone-b', undefined]);
    expect(nodes.map((n) => n.metadata.labels?.['rack'])).toEqual(['r0', 'r0', 'r1', 'r1', 'r2', undefined]);
    expect(nodes[1]!.metadata.labels?.['kubernetes.io/hostname']).toBe('worker-1');
    expect((nodes[3]!['spec'] as { taints: unknown }).taints).toEqual([{ key: 'dedicated', value: 'team-1', effect: 'NoSchedule' }]);
  });

  it('computes allocatable from capacity and the kubelet reservations', () => {
    const w = s.objects.find((o) => o.object.metadata.name === 'worker-0')!.object as unknown as { status: { capacity: Record<string, string>; allocatable: Record<string, string> } };
    expect(w.status.capacity).toEqual({ cpu: '4', memory: '16Gi', pods: '110' });
    // kube-reserved 100m/256Mi, default hard eviction memory.available<100Mi.
    expect(w.status.allocatable['cpu']).toBe('3900m');
    expect(w.status.allocatable['memory']).toBe(`${16 * 1024 - 256 - 100}Mi`);
    expect(w.status.allocatable['pods']).toBe('110');
  });

  it('keeps an explicit allocatable and the group kubelet override', () => {
    const g = s.objects.find((o) => o.object.metadata.name === 'gpu-node')!.object as unknown as { status: { capacity: Record<string, string>; allocatable: Record<string, string> }; metadata: { annotations: Record<string, string> } };
    expect(g.status.allocatable).toEqual({ cpu: '7', memory: '30Gi', 'nvidia.com/gpu': '4', pods: '50' });
    expect(g.status.capacity['pods']).toBe('50');
    expect(JSON.parse(g.metadata.annotations['ksim.dev/kubelet-config']!)).toEqual({ maxPods: 50 });
  });

  it('loads inline objects and includes, with namespaces defaulted', () => {
    const names = s.objects.filter((o) => o.object.kind !== 'Node').map((o) => `${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`);
    expect(names).toEqual(['PriorityClass//high', 'Namespace//shop', 'Pod/default/web']);
    const web = s.objects.find((o) => o.object.metadata.name === 'web')!;
    expect(web.origin.file).toBe('dir/pods.yaml');
    expect(web.origin.document).toBe(2);
  });

  it('parses the timeline', () => {
    expect(s.timeline.map((a) => [a.type, a.at])).toEqual([
      ['cordon', 60_000],
      ['drain', 120_000],
      ['nodeDown', 180_000],
      ['delete', 240_000],
      ['apply', 300_000],
      ['patch', 360_000],
    ]);
    expect(s.timeline[1]).toMatchObject({ nodes: { names: ['worker-1', 'worker-2'] } });
    expect(s.timeline[2]).toMatchObject({ nodes: { selector: 'topology.kubernetes.io/zone=zone-a' } });
    expect(s.timeline[3]).toMatchObject({ target: { kind: 'Pod', namespace: 'default', name: 'web' } });
  });

  it('parses expectations', () => {
    expect(s.expectations.map((e) => e.text)).toEqual([
      'Pod default/web status.phase equals "Running"',
      'Node worker-0 spec.unschedulable equals true',
      'count of Pod in namespace shop with status.phase=Running equals 1',
    ]);
  });
});

describe('plain manifests', () => {
  it('load without a Scenario document, with defaults', () => {
    const s = load(PODS);
    expect(s.hasScenarioDocument).toBe(false);
    expect(s.name).toBe('s');
    expect(s.seed).toBeUndefined();
    expect(s.until).toBeUndefined();
    expect(s.startTime).toBe('2025-01-01T00:00:00Z');
    expect(s.objects).toHaveLength(2);
  });

  it('skip unknown kinds with a warning', () => {
    const s = load(`${PODS}---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n`);
    expect(s.objects).toHaveLength(2);
    expect(s.warnings).toEqual(['ignoring unknown kind Widget (apiVersion example.com/v1) in dir/s.yaml, document 3']);
  });

  it('expand a v1 List', () => {
    const s = load(`apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Namespace, metadata: {name: a}}\n  - {apiVersion: v1, kind: Namespace, metadata: {name: b}}\n`);
    expect(s.objects.map((o) => o.object.metadata.name)).toEqual(['a', 'b']);
  });

  it('mix with a Scenario document in one file', () => {
    const s = load(`${PODS}---\napiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: mixed}\nspec:\n  nodes: [{count: 2, capacity: {cpu: "1", memory: 1Gi}}]\n`);
    expect(s.name).toBe('mixed');
    expect(s.objects.map((o) => o.object.metadata.name)).toEqual(['shop', 'web', 'node-0', 'node-1']);
  });

  it('ignore empty documents', () => {
    expect(load(`---\n---\n${PODS}---\n# only a comment\n`).objects).toHaveLength(2);
  });
});

describe('warnings', () => {
  it('a timeline action after until', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: w}\nspec:\n  until: 1m\n  nodes: [{count: 1, capacity: {cpu: "1", memory: 1Gi}}]\n  timeline:\n    - {at: 2m, cordon: node-0}\n`);
    expect(s.warnings).toEqual(['dir/s.yaml: spec.timeline[0] at 2m is after spec.until (1m0s) and will not run']);
  });

  it('a node selector that matches no node', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: w}\nspec:\n  nodes: [{count: 1, capacity: {cpu: "1", memory: 1Gi}}]\n  timeline:\n    - {at: 2m, nodeDown: {selector: zone=nowhere}}\n`);
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]).toContain('nodeDown selector "zone=nowhere" matches no node');
  });
});

describe('problems', () => {
  it('reports every problem, not just the first', () => {
    const ps = problems(`apiVersion: v1
kind: Pod
metadata: {name: a, namespace: nope}
spec:
  priorityClassName: missing
  containers: [{name: c, image: nginx}]
`);
    expect(ps).toEqual([
      'dir/s.yaml: document 1 (Pod nope/a), line 3, column 32: metadata.namespace: Not found: namespaces "nope" not found',
      'dir/s.yaml: document 1 (Pod nope/a), line 5, column 22: spec.priorityClassName: Not found: no PriorityClass with name missing was found',
    ]);
  });

  it('system PriorityClasses and namespaces need no object', () => {
    const s = load(`apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: kube-system}\nspec:\n  priorityClassName: system-node-critical\n  containers: [{name: c, image: nginx}]\n`);
    expect(s.objects).toHaveLength(1);
  });

  it('a namespace created by the timeline counts for later applies only', () => {
    const head = `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  timeline:\n`;
    const ns = `    - at: 1m\n      apply: {apiVersion: v1, kind: Namespace, metadata: {name: late}}\n`;
    const pod = (at: string): string => `    - at: ${at}\n      apply: {apiVersion: v1, kind: Pod, metadata: {name: p, namespace: late}, spec: {containers: [{name: c, image: x}]}}\n`;
    expect(load(head + ns + pod('2m')).timeline).toHaveLength(2);
    expect(problems(head + ns + pod('30s'))).toEqual([expect.stringContaining('metadata.namespace: Not found: namespaces "late" not found')]);
  });

  it('a delete of an object the timeline creates later is fine', () => {
    const s = load(`apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  timeline:
    - at: 2m
      delete: {kind: Namespace, name: later}
    - at: 1m
      apply: {apiVersion: v1, kind: Namespace, metadata: {name: later}}
`);
    expect(s.timeline).toHaveLength(2);
  });

  it('a Scenario document inside an include', () => {
    const ps = problems(`apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  include: [inner.yaml]\n`, {
      'dir/inner.yaml': `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: inner}\nspec: {}\n`,
    });
    expect(ps).toEqual(['dir/inner.yaml: document 1, line 1, column 1: an included file may not contain a Scenario document (included from dir/s.yaml, spec.include[0])']);
  });

  it('a scale of a kind without replicas', () => {
    const ps = problems(`apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n  timeline:\n    - {at: 1m, scale: {kind: Pod, name: x, replicas: 2}}\n`);
    expect(ps[0]).toContain('spec.timeline[0].scale.kind: Unsupported value: "Pod": supported values: "Deployment", "ReplicaSet", "ReplicationController", "StatefulSet"');
  });

  it('expectations: missing comparison, two comparisons, bad count selector', () => {
    const ps = problems(`apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  expect:
    - {at: 1m, kind: Pod, name: a, path: status.phase}
    - {at: 1m, kind: Pod, name: a, path: status.phase, equals: Running, exists: true}
    - {at: 1m, kind: Pod, selector: "app in (", count: 1}
    - {at: 1m, kind: Pod, name: a, path: status.phase, greaterThan: lots}
`);
    expect(ps).toHaveLength(4);
    expect(ps[0]).toContain('spec.expect[0]: Required value: one of equals, notEquals, greaterThan, lessThan, exists');
    expect(ps[1]).toContain('spec.expect[1].exists: Forbidden: only one comparison per expectation (also has equals)');
    expect(ps[2]).toContain('spec.expect[2].selector: Invalid value: "app in ("');
    expect(ps[3]).toContain('spec.expect[3].greaterThan: Invalid value: "lots": must be a number or a quantity');
  });

  it('a file that cannot be read', () => {
    try {
      loadScenario(['test/fixtures/does-not-exist.yaml']);
      throw new Error('expected a ScenarioError');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as ScenarioError).problems.map(formatProblem)).toEqual(['test/fixtures/does-not-exist.yaml: cannot read file: no such file or directory']);
    }
  });
});

describe('NUMA layouts of node groups', () => {
  const group = (numa: string): string =>
    `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: n}\nspec:\n  nodes:\n    - count: 1\n      capacity: {cpu: "8", memory: 16Gi}\n      numa: ${numa}\n`;

  it('the short form splits cpu and memory evenly into the annotation', () => {
    const node = load(group('{nodes: 2}')).objects[0]!.object;
    const layout = JSON.parse(node.metadata.annotations!['ksim.dev/numa-topology']!) as { nodes: Array<{ id: number; cpus: number[]; memory: string }> };
    expect(layout.nodes.map((n) => n.cpus)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(layout.nodes.map((n) => n.memory)).toEqual(['8Gi', '8Gi']);
  });

  it('a full layout is validated against the capacity', () => {
    const ps = problems(group('{nodes: [{id: 0, cpus: [0, 1], memory: 8Gi}]}'));
    expect(ps).toHaveLength(1);
    expect(ps[0]).toContain("spec.nodes[0].numa.nodes: Invalid value: 2: total number of CPUs must equal the node's cpu capacity (8)");
  });

  it('the short form rejects zero NUMA nodes', () => {
    expect(problems(group('{nodes: 0}'))[0]).toContain('spec.nodes[0].numa.nodes: Invalid value: 0: must be greater than or equal to 1');
  });
});
