/**
 * Decision equivalence of the scheduler's hot-path shortcuts: on generated
 * small clusters (varied requests and extended resources, pod limits,
 * taints and tolerations, node affinity, inter-pod (anti-)affinity, topology
 * spread, node images, priorities with preemption, and each NodeResourcesFit
 * scoring strategy), a scheduler built with `fastPath: false` (the
 * straightforward evaluation) and the default, optimised one must write the
 * same bindings (pod -> node, in the same order at the same virtual times)
 * and the same FailedScheduling / Preempted events, word for word.
 *
 * Only the API server and the scheduler run (no kubelets): bound pods stay
 * Pending, which is all the scheduler's decisions depend on.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Pod, PodSpec, Toleration } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { assertSameDecisions, recordBindings, schedulerEvents } from './fastPathEquivalence.ts';
import type { KObject } from '../../src/sim/types.ts';

type PodObj = Pod & KObject;
const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const GPU = 'example.com/gpu';
const IMAGES = ['registry.k8s.io/pause:3.10', 'docker.io/library/nginx:1.27', 'quay.io/prometheus/prometheus:v2.53.0'];
const RUNS = 200;

const nodeArb = fc.record({
  cpuMilli: fc.integer({ min: 500, max: 8000 }),
  memMi: fc.integer({ min: 256, max: 16384 }),
  maxPods: fc.integer({ min: 2, max: 110 }),
  gpus: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 })),
  /** -1: no zone label (spreading by zone then skips or rejects the node). */
  zone: fc.integer({ min: -1, max: 2 }),
  /** Rarely, no hostname label (hostname spreading then skips the node). */
  hostless: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  ssd: fc.boolean(),
  taint: fc.constantFrom('none', 'none', 'NoSchedule', 'PreferNoSchedule'),
  unschedulable: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  /** Bit i: the node has IMAGES[i] (size grows with i). */
  images: fc.integer({ min: 0, max: 7 }),
});
type NodeGen = typeof nodeArb extends fc.Arbitrary<infer T> ? T : never;

const podArb = fc.record({
  // Zero requests are common so that the scorers' non-zero defaults (100m / 200Mi) matter.
  cpuMilli: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
  memMi: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4096 })),
  gpus: fc.integer({ min: 0, max: 3 }).map((n) => (n === 3 ? 1 : 0)),
  /** Containers: one, or two (requests split), or one plus an init container larger than both. */
  shape: fc.constantFrom('one', 'two', 'init'),
  image: fc.integer({ min: 0, max: 2 }),
  app: fc.constantFrom('a', 'b'),
  tolerate: fc.boolean(),
  nodeAffinity: fc.constantFrom('none', 'none', 'requiredSsd', 'preferredSsd'),
  podAffinity: fc.constantFrom('none', 'none', 'antiHost', 'affinityZone', 'preferredAntiHost'),
  spread: fc.constantFrom('none', 'none', 'zoneDoNotSchedule', 'hostScheduleAnyway', 'zoneScheduleAnyway'),
  high: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  /** Arrives in the first wave (t=0) or the second (after the first settles). */
  late: fc.boolean(),
});
type PodGen = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

const strategyArb = fc.constantFrom('default', 'MostAllocated', 'RequestedToCapacityRatio', 'LeastAllocatedWeighted');

function schedulerConfig(strategy: string): unknown {
  if (strategy === 'default') return undefined;
  const resources =
    strategy === 'LeastAllocatedWeighted'
      ? [
          { name: 'cpu', weight: 3 },
          { name: 'memory', weight: 1 },
          { name: GPU, weight: 2 },
        ]
      : [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 1 },
        ];
  const scoringStrategy =
    strategy === 'RequestedToCapacityRatio'
      ? { type: strategy, resources, requestedToCapacityRatio: { shape: [{ utilization: 0, score: 0 }, { utilization: 100, score: 10 }] } }
      : { type: strategy === 'LeastAllocatedWeighted' ? 'LeastAllocated' : strategy, resources };
  return {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [{ schedulerName: 'default-scheduler', pluginConfig: [{ name: 'NodeResourcesFit', args: { scoringStrategy } }] }],
  };
}

function nodeObject(n: NodeGen, i: number): KObject {
  const name = `node-${i}`;
  const res: Record<string, string> = { cpu: `${n.cpuMilli}m`, memory: `${n.memMi}Mi`, pods: String(n.maxPods) };
  if (n.gpus > 0) res[GPU] = String(n.gpus);
  const images = IMAGES.flatMap((img, b) => ((n.images >> b) & 1 ? [{ names: [img], sizeBytes: (b + 1) * 300 * 1024 * 1024 }] : []));
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { ...(n.hostless ? {} : { [HOST]: name }), ...(n.zone >= 0 ? { [ZONE]: `zone-${n.zone}` } : {}), disk: n.ssd ? 'ssd' : 'hdd' } },
    spec: {
      ...(n.unschedulable ? { unschedulable: true } : {}),
      ...(n.taint !== 'none' ? { taints: [{ key: 'dedicated', value: 'x', effect: n.taint }] } : {}),
    },
    status: { capacity: res, allocatable: res, ...(images.length > 0 ? { images } : {}) },
  };
}

function requests(cpuMilli: number, memMi: number, gpus: number): Record<string, string> {
  const r: Record<string, string> = {};
  if (cpuMilli > 0) r['cpu'] = `${cpuMilli}m`;
  if (memMi > 0) r['memory'] = `${memMi}Mi`;
  if (gpus > 0) r[GPU] = String(gpus);
  return r;
}

function podSpec(p: PodGen): PodSpec {
  const image = IMAGES[p.image]!;
  const limits = (r: Record<string, string>) => (r[GPU] ? { limits: { [GPU]: r[GPU] } } : {});
  const one = requests(p.cpuMilli, p.memMi, p.gpus);
  const spec: PodSpec = { containers: [{ name: 'c', image, resources: { requests: one, ...limits(one) } }] };
  if (p.shape === 'two') {
    const half = requests(Math.floor(p.cpuMilli / 2), Math.floor(p.memMi / 2), 0);
    spec.containers = [
      { name: 'c', image, resources: { requests: one, ...limits(one) } },
      { name: 'd', image: IMAGES[(p.image + 1) % IMAGES.length]!, resources: { requests: half } },
    ];
  } else if (p.shape === 'init') {
    spec.initContainers = [{ name: 'i', image, resources: { requests: requests(p.cpuMilli + 250, p.memMi + 128, 0) } }];
  }
  if (p.tolerate) spec.tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'x' } satisfies Toleration];
  const ssd = { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] };
  const term = (topologyKey: string) => ({ labelSelector: { matchLabels: { app: p.app } }, topologyKey });
  spec.affinity = {
    ...(p.nodeAffinity === 'requiredSsd' ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [ssd] } } } : {}),
    ...(p.nodeAffinity === 'preferredSsd' ? { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: ssd }] } } : {}),
    ...(p.podAffinity === 'antiHost' ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(HOST)] } } : {}),
    ...(p.podAffinity === 'affinityZone' ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term(ZONE)] } } : {}),
    ...(p.podAffinity === 'preferredAntiHost' ? { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term(HOST) }] } } : {}),
  };
  if (p.spread === 'zoneDoNotSchedule') spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: p.app } } }];
  if (p.spread === 'hostScheduleAnyway') spec.topologySpreadConstraints = [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: p.app } } }];
  if (p.spread === 'zoneScheduleAnyway') spec.topologySpreadConstraints = [{ maxSkew: 2, topologyKey: ZONE, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: p.app } } }];
  if (p.high) spec.priorityClassName = 'high';
  spec.terminationGracePeriodSeconds = 0;
  return spec;
}

interface Decisions {
  /** "t=<ms> <pod> -> <node>" per binding, in write order. */
  bindings: string[];
  /** "<reason> <pod>: <message>" of the scheduler's events, in order. */
  events: string[];
}

/** An API server and a scheduler over the nodes, recording every binding as it is written. */
function cluster(nodes: NodeGen[], strategy: string, seed: number, fastPath: boolean): { sim: Simulation; bindings: string[] } {
  const sim = Simulation.create({ seed });
  startApiServer(sim);
  sim.use(createScheduler({ config: schedulerConfig(strategy), fastPath }));
  sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
  // A Service selecting app=a gives those pods (when they have no constraints of their
  // own) PodTopologySpread's system-default hostname and zone spreading.
  sim.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc-a', namespace: 'default' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } });
  nodes.forEach((n, i) => sim.apply(nodeObject(n, i)));
  const bindings = recordBindings(sim);
  return { sim, bindings };
}

/** The scheduler's events (Scheduled, FailedScheduling, Preempted), word for word, in order. */

function run(nodes: NodeGen[], pods: PodGen[], strategy: string, seed: number, fastPath: boolean): Decisions {
  const { sim, bindings } = cluster(nodes, strategy, seed, fastPath);
  const create = (p: PodGen, i: number) =>
    sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'default', labels: { app: p.app } }, spec: podSpec(p) } as PodObj);
  pods.forEach((p, i) => {
    if (!p.late) create(p, i);
  });
  sim.runUntil(sim.now + 2_000);
  pods.forEach((p, i) => {
    if (p.late) create(p, i);
  });
  sim.runUntil(sim.now + 120_000);
  return { bindings, events: schedulerEvents(sim) };
}

describe('scheduler fast path decides as the straightforward evaluation', () => {
  it(`same bindings and FailedScheduling messages on generated clusters (${RUNS} runs)`, () => {
    const references = assertSameDecisions(
      [fc.array(nodeArb, { minLength: 1, maxLength: 12 }), fc.array(podArb, { minLength: 1, maxLength: 30 }), strategyArb, fc.integer({ min: 1, max: 1_000_000 })],
      (fastPath, nodes, pods, strategy, seed) => run(nodes, pods, strategy, seed, fastPath),
      RUNS,
    );
    const bound = references.reduce((n, r) => n + r.bindings.length, 0);
    const failed = references.reduce((n, r) => n + r.events.filter((e) => e.startsWith('FailedScheduling')).length, 0);
    // The generated clusters exercise both outcomes, so equal lists are not trivially empty.
    expect(bound).toBeGreaterThan(RUNS);
    expect(failed).toBeGreaterThan(RUNS / 10);
  });
});

/**
 * The per-node memos (framework/nodeMemo.ts, PodTopologySpread's hostname
 * columns, the cache's change journal) pay off when many pods share a shape
 * and only a few nodes change between cycles: here pods are drawn from two
 * or three shapes, and between waves nodes are relabelled and tainted and
 * bound pods deleted, so memoised verdicts and scores must be dropped; bound
 * pods get status writes, which must not. Node status writes either change
 * allocatable (a resize: the node-local memos must drop the node) or only a
 * heartbeat condition (they keep it: NodeInfo.localGeneration).
 */
type NodeChange = { node: number; kind: 'relabel' | 'taint' | 'untaint' | 'deletePod' | 'relabelPod' | 'resize' | 'heartbeat'; pod: number };
const changeArb: fc.Arbitrary<NodeChange> = fc.record({
  node: fc.integer({ min: 0, max: 11 }),
  kind: fc.constantFrom('relabel', 'taint', 'untaint', 'deletePod', 'relabelPod', 'resize', 'heartbeat'),
  pod: fc.integer({ min: 0, max: 59 }),
});

function runWaves(nodes: NodeGen[], shapes: PodGen[], picks: number[], changes: NodeChange[][], strategy: string, seed: number, fastPath: boolean): Decisions {
  const { sim, bindings } = cluster(nodes, strategy, seed, fastPath);
  let next = 0;
  const perWave = Math.ceil(picks.length / (changes.length + 1));
  for (let w = 0; w <= changes.length; w++) {
    for (let k = 0; k < perWave && next < picks.length; k++, next++) {
      const p = shapes[picks[next]! % shapes.length]!;
      sim.apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${next}`, namespace: 'default', labels: { app: p.app } }, spec: podSpec(p) } as PodObj);
    }
    sim.runUntil(sim.now + 2_000);
    // Kubelet-like status writes on bound pods: the scheduler cache sees updates that change nothing it schedules by.
    for (const p of sim.store.list<PodObj>('Pod')) {
      if (!p.spec?.nodeName || p.status?.phase === 'Running') continue;
      sim.store.update({ ...p, status: { ...p.status, phase: 'Running', startTime: sim.timestamp() } } as PodObj, { subresource: 'status' });
    }
    for (const c of changes[w] ?? []) {
      const name = `node-${c.node % nodes.length}`;
      if (c.kind === 'deletePod') {
        if (sim.store.get('Pod', 'default', `p${c.pod}`)) sim.store.delete('Pod', 'default', `p${c.pod}`, { gracePeriodSeconds: 0 });
        continue;
      }
      if (c.kind === 'relabelPod') {
        // A bound pod changes app label: spreading and (anti-)affinity counts must follow.
        const p = sim.store.get<PodObj>('Pod', 'default', `p${c.pod}`);
        if (p) sim.store.patch<PodObj>('Pod', 'default', `p${c.pod}`, (d) => void (d.metadata.labels = { app: p.metadata.labels?.['app'] === 'a' ? 'b' : 'a' }));
        continue;
      }
      if (c.kind === 'resize' || c.kind === 'heartbeat') {
        const n = sim.store.get<KObject & { status?: Record<string, unknown> }>('Node', '', name);
        if (!n) continue;
        const status = { ...n.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: sim.timestamp() }] } as Record<string, unknown>;
        if (c.kind === 'resize') {
          // Half the CPU, or back to the generated figure: Filter verdicts and scores both move.
          const alloc = n.status?.['allocatable'] as Record<string, string>;
          const cpu = nodes[c.node % nodes.length]!.cpuMilli;
          const next = { ...alloc, cpu: alloc['cpu'] === `${cpu}m` ? `${Math.floor(cpu / 2)}m` : `${cpu}m` };
          // Allocatable alone (capacity kept), as a change of reserved resources would.
          status['allocatable'] = next;
        }
        sim.store.update({ ...n, status } as KObject, { subresource: 'status' });
        continue;
      }
      sim.store.patch<KObject>('Node', '', name, (d) => {
        const spec = ((d['spec'] as Record<string, unknown> | undefined) ?? (d['spec'] = {})) as { taints?: Array<{ key: string; value: string; effect: string }> };
        if (c.kind === 'relabel') d.metadata.labels = { ...d.metadata.labels, disk: d.metadata.labels?.['disk'] === 'ssd' ? 'hdd' : 'ssd' };
        else if (c.kind === 'taint') spec.taints = [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }];
        else delete spec.taints;
      });
    }
  }
  sim.runUntil(sim.now + 60_000);
  return { bindings, events: schedulerEvents(sim) };
}

describe('scheduler fast path with repeated pod shapes and changing nodes', () => {
  it(`same bindings and messages as the straightforward evaluation (${RUNS} runs)`, () => {
    const references = assertSameDecisions(
      [
        fc.array(nodeArb, { minLength: 2, maxLength: 12 }),
        fc.array(podArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 5, maxLength: 60 }),
        fc.array(fc.array(changeArb, { maxLength: 4 }), { maxLength: 3 }),
        strategyArb,
        fc.integer({ min: 1, max: 1_000_000 }),
      ],
      (fastPath, nodes, shapes, picks, changes, strategy, seed) => runWaves(nodes, shapes, picks, changes, strategy, seed, fastPath),
      RUNS,
    );
    const bound = references.reduce((n, r) => n + r.bindings.length, 0);
    expect(bound).toBeGreaterThan(RUNS * 3);
  });
});

/**
 * Uniform clusters, where nodes tie: two node sizes, no images (ImageLocality
 * scores nothing), some nodes with a PreferNoSchedule taint (TaintToleration's
 * NormalizeScore then rescales), pods of one or two shapes without affinity or
 * spreading: the cluster the churn bench schedules on, where most nodes tie
 * and selectHost's tie-break draws decide. The memos and the fused node-local
 * Score pass must leave the same totals in the same node order, so that the
 * draws fall on the same nodes.
 */
const uniformNodeArb: fc.Arbitrary<NodeGen> = fc
  .record({ big: fc.boolean(), taint: fc.constantFrom('none', 'none', 'none', 'PreferNoSchedule'), zone: fc.integer({ min: 0, max: 2 }) })
  .map(({ big, taint, zone }) => ({ cpuMilli: big ? 8000 : 4000, memMi: big ? 16384 : 8192, maxPods: 110, gpus: 0, zone, hostless: false, ssd: false, taint, unschedulable: false, images: 0 }));
const uniformPodArb: fc.Arbitrary<PodGen> = podArb.map((p) => ({ ...p, gpus: 0, nodeAffinity: 'none', podAffinity: 'none', spread: 'none', high: false, app: 'b' }));

describe('scheduler fast path on uniform clusters (ties)', () => {
  it(`same bindings and messages as the straightforward evaluation (${RUNS} runs)`, () => {
    const references = assertSameDecisions(
      [fc.array(uniformNodeArb, { minLength: 2, maxLength: 12 }), fc.array(uniformPodArb, { minLength: 1, maxLength: 2 }), fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 5, maxLength: 40 }), strategyArb, fc.integer({ min: 1, max: 1_000_000 })],
      (fastPath, nodes, shapes, picks, strategy, seed) => runWaves(nodes, shapes, picks, [], strategy, seed, fastPath),
      RUNS,
    );
    const bound = references.reduce((n, r) => n + r.bindings.length, 0);
    expect(bound).toBeGreaterThan(RUNS * 3);
  });
});
