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
 * Sizes are those of upstream's thresholded `performance` variants (the
 * workload names in `upstream` below). A workload is repeated on a fresh
 * Simulation until its measured windows add up to >= 10 s (at most 5 runs)
 * and the medians are printed; garbage is collected before every run (run
 * with node --expose-gc, as bench/run.ts does). Pods per CPU-second
 * (process.cpuUsage) is printed beside pods per wall second: on a shared
 * machine it is the steadier of the two.
 *
 * One line per workload, `name: value unit (target …; details)`:
 *   scheduler.<Workload>: <N> pods/s (target >= <T> pods/s; <C> pods/CPU-s; ...; upstream floor <F> pods/s (<variant>), ratio <R>x)
 * The upstream floor is the `threshold` scheduler_perf fails below, measured
 * on a real (integration-test) control plane: API server, etcd, watch
 * delivery. ksim keeps everything in memory, so the ratio says how much
 * faster the simulation decides than the floor, not that kube-scheduler's
 * own code is that much slower.
 *
 *   npm run bench -- scheduler            all workloads
 *   npx tsx bench/scheduler.ts Basic      workloads whose name contains "Basic"
 *   ... --once                            one run per workload (no repetition)
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
  /** Upstream's threshold (pods/s) for the variant named in `upstream`, or undefined where it has none. */
  threshold?: number;
  /** The scheduler_perf variant these sizes come from. */
  upstream: string;
  /** ksim's own target (issue 10), pods per wall second. */
  target: number;
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
    upstream: 'SchedulingBasic/5000Nodes_10000Pods',
    target: 20000,
  },
  {
    name: 'SchedulingPodAntiAffinity',
    nodes: 5000,
    namespaces: ['sched-0', 'sched-1'],
    init: { count: 1000, namespace: 'sched-0', spec: podAntiAffinity, labels: { color: 'green' } },
    measure: { count: 2000, namespace: 'sched-1', spec: podAntiAffinity, labels: { color: 'green' } },
    threshold: 60,
    upstream: 'SchedulingPodAntiAffinity/5000Nodes_2000Pods',
    target: 5000,
  },
  {
    name: 'TopologySpreading',
    nodes: 5000,
    zones: ['moon-1', 'moon-2', 'moon-3'],
    init: { count: 5000, namespace: 'default', spec: defaultSpec },
    measure: { count: 5000, namespace: 'default', spec: topologySpreading, labels: { color: 'blue' } },
    threshold: 460,
    upstream: 'TopologySpreading/5000Nodes_5000Pods',
    target: 5000,
  },
  {
    name: 'SchedulingPodAffinity',
    nodes: 5000,
    zones: ['zone1'],
    namespaces: ['sched-0', 'sched-1'],
    init: { count: 5000, namespace: 'sched-0', spec: podAffinity, labels: { foo: '' } },
    measure: { count: 5000, namespace: 'sched-1', spec: podAffinity, labels: { foo: '' } },
    threshold: 35,
    upstream: 'SchedulingPodAffinity/5000Nodes_5000Pods',
    target: 5000,
  },
  {
    name: 'SchedulingPreferredPodAffinity',
    nodes: 5000,
    namespaces: ['sched-0', 'sched-1'],
    init: { count: 5000, namespace: 'sched-0', spec: preferredPodAffinity, labels: { foo: '' } },
    measure: { count: 5000, namespace: 'sched-1', spec: preferredPodAffinity, labels: { foo: '' } },
    threshold: 90,
    upstream: 'SchedulingPreferredPodAffinity/5000Nodes_5000Pods',
    target: 5000,
  },
  {
    name: 'SchedulingNodeAffinity',
    nodes: 5000,
    zones: ['zone1'],
    init: { count: 5000, namespace: 'default', spec: nodeAffinity },
    measure: { count: 10000, namespace: 'default', spec: nodeAffinity },
    threshold: 220,
    upstream: 'SchedulingNodeAffinity/5000Nodes_10000Pods',
    target: 5000,
  },
  {
    // PreemptionBasic 1000Nodes, upstream's `performance` variant: it has no
    // threshold (the 5000-node variant is disabled, kubernetes#108308), and
    // PreemptionAsync's floor measures a different workload.
    name: 'PreemptionBasic',
    nodes: 1000,
    priorityClasses: [
      { name: 'low', value: 1 },
      { name: 'high', value: 10 },
    ],
    init: { count: 4000, namespace: 'default', spec: lowPriority },
    measure: { count: 1000, namespace: 'default', spec: highPriority },
    upstream: 'PreemptionBasic/1000Nodes',
    target: 1000,
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
  /** heapUsed right after the measured window. */
  heapMiB: number;
  /** Peak resident set size of the process so far (process.resourceUsage().maxRSS). */
  peakRssMiB: number;
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

  // Count bindings of the measured pods as they are written (measured pods are named pod-N, init pods init-N).
  let bound = 0;
  let initBound = 0;
  sim.store.watch('Pod', (ev) => {
    if (ev.type !== 'MODIFIED') return;
    const p = ev.object as Pod & KObject;
    if (!p.spec?.nodeName || (ev.oldObject as Pod | undefined)?.spec?.nodeName) return;
    if ((p.metadata.name ?? '').startsWith('pod-')) bound++;
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
  for (let i = 0; i < measureCount; i++) sim.apply(podObject('pod', i, w.measure.namespace, w.measure.spec(i), w.measure.labels));
  while (bound < measureCount && sim.step()) {
    /* run until every measured pod is bound */
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  hooks.stop?.();
  const heapMiB = process.memoryUsage().heapUsed / (1024 * 1024);
  if (bound < measureCount) throw new Error(`${w.name}: only ${bound}/${measureCount} measured pods were bound`);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  return { name: w.name, podsPerSecond: bound / seconds, podsPerCpuSecond: bound / cpuSeconds, heapMiB, peakRssMiB, seconds, bound };
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Measured windows add up to at least this many seconds per workload (the
 * issue's "≥ 10 s or repeated"), each run on a fresh cluster ...
 */
const MIN_MEASURED_SECONDS = 10;
/**
 * ... within at most this many runs. (Five runs of a 0.5 s window measured
 * 2.7 s, and their median leaned on the first runs' JIT warm-up; 30 take every
 * workload here to 10 s but PodAntiAffinity, whose 0.3 s windows reach ~9 s.)
 */
const MAX_RUNS = 30;

function main(): void {
  const args = process.argv.slice(2);
  const once = args.includes('--once');
  const filters = args.filter((a) => !a.startsWith('-'));
  const selected = workloads.filter((w) => filters.length === 0 || filters.some((f) => w.name.includes(f)));
  if (!global.gc) console.log('scheduler: note: no --expose-gc, so no GC between workloads (npm run bench passes it)');
  for (const w of selected) {
    const runs: BenchResult[] = [];
    let measured = 0;
    do {
      global.gc?.();
      const r = runWorkload(w);
      runs.push(r);
      measured += r.seconds;
    } while (!once && measured < MIN_MEASURED_SECONDS && runs.length < MAX_RUNS);
    const pps = median(runs.map((r) => r.podsPerSecond));
    const cpu = median(runs.map((r) => r.podsPerCpuSecond));
    const heap = Math.max(...runs.map((r) => r.heapMiB));
    const rss = Math.max(...runs.map((r) => r.peakRssMiB));
    const floor = w.threshold !== undefined ? `upstream floor ${w.threshold} pods/s (${w.upstream}), ratio ${(pps / w.threshold).toFixed(1)}x` : `upstream floor none (${w.upstream} has no threshold)`;
    const runsText = runs.length === 1 ? `1 run, ${measured.toFixed(1)} s measured` : `median of ${runs.length} runs, ${measured.toFixed(1)} s measured`;
    console.log(
      `scheduler.${w.name}: ${fmt(pps)} pods/s (target >= ${w.target} pods/s${pps >= w.target ? ', met' : ', NOT met'}; ${fmt(cpu)} pods/CPU-s; ${runsText}; ${w.measure.count} pods on ${w.nodes} nodes after ${w.init.count} init pods; heap ${heap.toFixed(0)} MiB, peak RSS ${rss.toFixed(0)} MiB; ${floor})`,
    );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
