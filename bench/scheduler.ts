/**
 * Scheduler throughput, in the shape of kube-scheduler's scheduler_perf
 * (test/integration/scheduler_perf/config/performance-config.yaml and its
 * templates): nodes like node-default.yaml (4 CPU, 32Gi, 110 pods), init
 * pods, then measured pods; the figure is measured pods bound per wall
 * second. Each workload builds a fresh Simulation with startComponents
 * (default scheduler timing: cycles take no virtual time, binding 1 ms),
 * creates the nodes and the init pods and runs until those are bound, then
 * creates the measured pods and runs until every one is bound.
 *
 * One line per workload, `name: value unit (details)`:
 *   scheduler.<Workload>: <N> pods/s (heap <M> MiB; upstream threshold <T> pods/s; ratio <R>x)
 * Upstream thresholds are the ones sig-scheduling's perf dashboard alerts
 * on for the 5000-node variants; "none" where there is none.
 *
 *   npm run bench -- scheduler            all workloads
 *   npx tsx bench/scheduler.ts Basic      workloads whose name contains "Basic"
 * Wall time is measured with performance.now(), which only bench/ may use.
 */
import type { Pod, PodSpec } from 'kubernetes-types/core/v1';
import { Simulation } from '../src/sim/simulation.ts';
import { startComponents } from '../src/components.ts';
import type { KObject } from '../src/sim/types.ts';

const ZONE = 'topology.kubernetes.io/zone';

interface Workload {
  name: string;
  nodes: number;
  /** Zone label values assigned round-robin (labelNodePrepareStrategy); none = no zone label. */
  zones?: string[];
  namespaces?: string[];
  init: { count: number; namespace: string; spec: (i: number) => PodSpec; labels?: Record<string, string> };
  measure: { count: number; namespace: string; spec: (i: number) => PodSpec; labels?: Record<string, string> };
  priorityClasses?: Array<{ name: string; value: number }>;
  /** Upstream's threshold (pods/s) or undefined. */
  threshold?: number;
}

/** pod-default.yaml: pause container, 100m CPU, 500Mi memory. */
function defaultSpec(): PodSpec {
  return {
    containers: [
      {
        name: 'pause',
        image: 'registry.k8s.io/pause:3.10',
        ports: [{ containerPort: 80 }],
        resources: { requests: { cpu: '100m', memory: '500Mi' }, limits: { cpu: '100m', memory: '500Mi' } },
      },
    ],
  };
}

function withAffinity(spec: PodSpec, affinity: PodSpec['affinity']): PodSpec {
  return { ...spec, affinity };
}

const podAntiAffinity = (): PodSpec =>
  withAffinity(defaultSpec(), {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-1', 'sched-0'] },
      ],
    },
  });

const podAffinity = (): PodSpec =>
  withAffinity(defaultSpec(), {
    podAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { foo: '' } }, topologyKey: ZONE, namespaces: ['sched-1', 'sched-0'] },
      ],
    },
  });

const preferredPodAffinity = (): PodSpec =>
  withAffinity(defaultSpec(), {
    podAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 1, podAffinityTerm: { labelSelector: { matchLabels: { foo: '' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-1', 'sched-0'] } },
      ],
    },
  });

const nodeAffinity = (): PodSpec =>
  withAffinity(defaultSpec(), {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['zone1', 'zone2'] }] }],
      },
    },
  });

const topologySpreading = (): PodSpec => ({
  ...defaultSpec(),
  topologySpreadConstraints: [{ maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }],
});

/** pod-low-priority.yaml / pod-high-priority.yaml: 900m low-priority pods preempted by 3-CPU high-priority ones. */
const lowPriority = (): PodSpec => ({
  priorityClassName: 'low',
  terminationGracePeriodSeconds: 0,
  containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '900m', memory: '500Mi' } } }],
});
const highPriority = (): PodSpec => ({
  priorityClassName: 'high',
  containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '3000m', memory: '500Mi' } } }],
});

export const workloads: Workload[] = [
  {
    name: 'SchedulingBasic',
    nodes: 5000,
    init: { count: 1000, namespace: 'default', spec: defaultSpec },
    measure: { count: 10000, namespace: 'default', spec: defaultSpec },
    threshold: 680,
  },
  {
    name: 'SchedulingPodAntiAffinity',
    nodes: 5000,
    namespaces: ['sched-0', 'sched-1'],
    init: { count: 1000, namespace: 'sched-0', spec: podAntiAffinity, labels: { color: 'green' } },
    measure: { count: 1000, namespace: 'sched-1', spec: podAntiAffinity, labels: { color: 'green' } },
    threshold: 60,
  },
  {
    name: 'TopologySpreading',
    nodes: 5000,
    zones: ['moon-1', 'moon-2', 'moon-3'],
    init: { count: 5000, namespace: 'default', spec: defaultSpec },
    measure: { count: 2000, namespace: 'default', spec: topologySpreading, labels: { color: 'blue' } },
    threshold: 460,
  },
  {
    name: 'SchedulingPodAffinity',
    nodes: 5000,
    zones: ['zone1'],
    namespaces: ['sched-0', 'sched-1'],
    init: { count: 5000, namespace: 'sched-0', spec: podAffinity, labels: { foo: '' } },
    measure: { count: 1000, namespace: 'sched-1', spec: podAffinity, labels: { foo: '' } },
    threshold: 35,
  },
  {
    name: 'SchedulingPreferredPodAffinity',
    nodes: 5000,
    namespaces: ['sched-0', 'sched-1'],
    init: { count: 5000, namespace: 'sched-0', spec: preferredPodAffinity, labels: { foo: '' } },
    measure: { count: 1000, namespace: 'sched-1', spec: preferredPodAffinity, labels: { foo: '' } },
  },
  {
    name: 'SchedulingNodeAffinity',
    nodes: 5000,
    zones: ['zone1'],
    init: { count: 5000, namespace: 'default', spec: nodeAffinity },
    measure: { count: 10000, namespace: 'default', spec: nodeAffinity },
    threshold: 220,
  },
  {
    // PreemptionBasic 500Nodes (upstream's 5000-node variant is disabled, kubernetes#108308).
    name: 'PreemptionBasic',
    nodes: 500,
    priorityClasses: [
      { name: 'low', value: 1 },
      { name: 'high', value: 10 },
    ],
    init: { count: 2000, namespace: 'default', spec: lowPriority },
    measure: { count: 500, namespace: 'default', spec: highPriority },
  },
];

function nodeObject(i: number, zones: string[] | undefined): KObject {
  const name = `node-${i}`;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' };
  if (zones && zones.length > 0) labels[ZONE] = zones[i % zones.length]!;
  const res = { cpu: '4', memory: '32Gi', pods: '110' };
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, status: { capacity: res, allocatable: res } };
}

function podObject(prefix: string, i: number, namespace: string, spec: PodSpec, labels?: Record<string, string>): KObject {
  const pod: Pod & KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${prefix}-${i}`, namespace, ...(labels ? { labels } : {}) }, spec };
  return pod;
}

export interface BenchResult {
  name: string;
  podsPerSecond: number;
  heapMiB: number;
  seconds: number;
  /** Measured pods per CPU second of this process: less sensitive than wall time to a busy machine. */
  podsPerCpuSecond: number;
  bound: number;
}

/** Run one workload; returns measured pods bound per wall second. */
export function runWorkload(w: Workload, scale = 1, hooks: { start?: () => void; stop?: () => void } = {}): BenchResult {
  const nodes = Math.max(1, Math.round(w.nodes * scale));
  const initCount = Math.round(w.init.count * scale);
  const measureCount = Math.max(1, Math.round(w.measure.count * scale));
  const sim = Simulation.create({ seed: 1, limits: { maxObjects: 10 * (nodes + initCount + measureCount) + 1000 } });
  startComponents(sim, {});
  for (const pc of w.priorityClasses ?? []) sim.apply({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: pc.name }, value: pc.value });
  for (const ns of w.namespaces ?? []) sim.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (let i = 0; i < nodes; i++) sim.apply(nodeObject(i, w.zones));

  // Count bindings of the measured pods as they are written.
  const measured = new Set<string>();
  let bound = 0;
  let initBound = 0;
  sim.store.watch('Pod', (ev) => {
    if (ev.type !== 'MODIFIED') return;
    const p = ev.object as Pod & KObject;
    if (!p.spec?.nodeName || (ev.oldObject as Pod | undefined)?.spec?.nodeName) return;
    if (measured.has(p.metadata.name ?? '')) bound++;
    else initBound++;
  });

  for (let i = 0; i < initCount; i++) sim.apply(podObject('init', i, w.init.namespace, w.init.spec(i), w.init.labels));
  while (initBound < initCount && sim.step()) {
    /* run until the init pods are placed */
  }
  sim.runUntil(sim.now + 1);

  global.gc?.();
  hooks.start?.();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < measureCount; i++) {
    const name = `pod-${i}`;
    measured.add(name);
    sim.apply(podObject('pod', i, w.measure.namespace, w.measure.spec(i), w.measure.labels));
  }
  while (bound < measureCount && sim.step()) {
    /* run until every measured pod is bound */
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  hooks.stop?.();
  const heapMiB = process.memoryUsage().heapUsed / (1024 * 1024);
  if (bound < measureCount) throw new Error(`${w.name}: only ${bound}/${measureCount} measured pods were bound`);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return { name: w.name, podsPerSecond: bound / seconds, podsPerCpuSecond: bound / cpuSeconds, heapMiB, seconds, bound };
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

function main(): void {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const selected = workloads.filter((w) => filters.length === 0 || filters.some((f) => w.name.includes(f)));
  for (const w of selected) {
    const r = runWorkload(w);
    const thr = w.threshold !== undefined ? `${w.threshold} pods/s; ratio ${(r.podsPerSecond / w.threshold).toFixed(1)}x` : 'none';
    console.log(`scheduler.${w.name}: ${fmt(r.podsPerSecond)} pods/s (heap ${r.heapMiB.toFixed(0)} MiB; upstream threshold ${thr})`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
