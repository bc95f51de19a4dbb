/**
 * Engine and store throughput. One line per figure, `name: value unit`:
 *   engine.chain     10M chained timers (each event schedules the next), bare engine
 *   engine.fanout    1000 processes rescheduling themselves with varying delays (10M events)
 *   simpy.chain      the same chain in SimPy (when python3 can import simpy)
 *   simpy.fanout     the same fan-out in SimPy: 1000 processes, so >= 1000 pending
 *                    events and every step is a queue operation among them (the
 *                    heap-bound case: SimPy's heapq, ksim's grouped heap)
 *   engine.vs_simpy.chain / engine.vs_simpy.fanout   ksim over SimPy (target >= 10x),
 *                    measured side by side in this run, run for run (the median
 *                    of paired ratios); where SimPy is missing the line says how
 *                    to install it
 *   store.create     pods created per second on a bare Simulation
 *   store.update     status updates per second (patch through immer)
 *   pods.100k        wall seconds for 100,000 pods through create -> bind -> run -> complete -> delete
 * The engine and SimPy figures are medians of REPEATS runs, in events per
 * CPU-second of the measuring process (node: process.cpuUsage(); Python:
 * time.process_time()), so that a shared, loaded machine (other processes
 * taking the cores) does not skew one side of the ratio more than the other.
 * Wall time is measured with performance.now(), which only bench/ may use.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EventEngine } from '../src/sim/engine.ts';
import { Simulation } from '../src/sim/simulation.ts';
import { startComponents } from '../src/components.ts';
import { Priority, type KObject, type Stored } from '../src/sim/types.ts';

const CHAIN_EVENTS = 10_000_000;
const REPEATS = 3;

/** CPU seconds (user + system) of this process since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function report(name: string, value: number | string, unit = ''): void {
  const v = typeof value === 'number' ? (value >= 100 ? value.toFixed(0) : value.toFixed(value >= 10 ? 1 : 2)) : value;
  console.log(`${name}: ${v}${unit ? ` ${unit}` : ''}`);
}

export function chainBench(events = CHAIN_EVENTS): number {
  const e = new EventEngine({ limits: { maxEvents: events + 1 } });
  const opts = { priority: Priority.Controller, source: 'chain' };
  let n = 0;
  const tick = (): void => {
    if (++n < events) e.after(1, tick, opts);
  };
  e.after(1, tick, opts);
  const t0 = process.cpuUsage();
  e.runAll();
  const dt = cpuSeconds(t0);
  if (n !== events) throw new Error(`chain ran ${n} events, expected ${events}`);
  return events / dt;
}

export function fanoutBench(processes = 1000, events = CHAIN_EVENTS): number {
  const e = new EventEngine({ limits: { maxEvents: events + processes } });
  let n = 0;
  for (let p = 0; p < processes; p++) {
    const opts = { priority: Priority.Controller + (p % 3), source: `proc/${p}` };
    let state = p + 1;
    const step = (): void => {
      if (++n >= events) return;
      state = (state * 1103515245 + 12345) & 0x7fffffff; // LCG: varying but deterministic delays 1..100 ms
      e.after(1 + (state % 100), step, opts);
    };
    e.after(p % 10, step, opts);
  }
  const t0 = process.cpuUsage();
  e.runAll();
  const dt = cpuSeconds(t0);
  return n / dt;
}

/** Both SimPy scripts print the median of R runs' events per CPU-second (time.process_time). */
const SIMPY_SCRIPT = `
import sys, time, simpy
N = int(sys.argv[1])
R = int(sys.argv[2])
def chain(env):
    for _ in range(N):
        yield env.timeout(1)
rates = []
for _ in range(R):
    env = simpy.Environment()
    env.process(chain(env))
    t0 = time.process_time()
    env.run()
    rates.append(N / (time.process_time() - t0))
print(sorted(rates)[len(rates) // 2])
`;

/** fanoutBench's workload in SimPy: the same processes, start offsets and LCG delays. */
const SIMPY_FANOUT_SCRIPT = `
import sys, time, simpy
N = int(sys.argv[1])
P = int(sys.argv[2])
R = int(sys.argv[3])
count = [0]
def proc(env, p):
    yield env.timeout(p % 10)
    state = p + 1
    while True:
        count[0] += 1
        if count[0] >= N:
            return
        state = (state * 1103515245 + 12345) & 0x7fffffff
        yield env.timeout(1 + state % 100)
rates = []
for _ in range(R):
    count[0] = 0
    env = simpy.Environment()
    for p in range(P):
        env.process(proc(env, p))
    t0 = time.process_time()
    env.run()
    rates.append(count[0] / (time.process_time() - t0))
print(sorted(rates)[len(rates) // 2])
`;

/** SimPy's events are slow: shorter runs give a stable rate in a few seconds. */
const SIMPY_EVENTS = 1_000_000;
export const SIMPY_INSTALL = 'SimPy not importable by python3: install it with `apt-get install python3-simpy3` (or `pip install simpy`)';

/** The first Python that can import simpy (a pyenv python3 may shadow the system one that has python3-simpy3). */
let simpyPython: string | null | undefined;
function pythonWithSimpy(): string | undefined {
  if (simpyPython === undefined) {
    simpyPython = null;
    for (const py of ['python3', '/usr/bin/python3']) {
      const probe = spawnSync(py, ['-c', 'import simpy'], { encoding: 'utf8' });
      if (probe.status === 0) {
        simpyPython = py;
        break;
      }
    }
  }
  return simpyPython ?? undefined;
}

/** Events per CPU-second of the same chain in SimPy (median of `repeats`), or undefined when simpy is not importable. */
export function simpyChain(events = SIMPY_EVENTS, repeats = REPEATS): number | undefined {
  return runSimpy(SIMPY_SCRIPT, [String(events), String(repeats)]);
}

/** Events per CPU-second of fanoutBench's workload in SimPy (median of `repeats`), or undefined when simpy is not importable. */
export function simpyFanout(processes = 1000, events = SIMPY_EVENTS, repeats = REPEATS): number | undefined {
  return runSimpy(SIMPY_FANOUT_SCRIPT, [String(events), String(processes), String(repeats)]);
}

function runSimpy(script: string, args: string[]): number | undefined {
  const python = pythonWithSimpy();
  if (python === undefined) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-simpy-'));
  const file = path.join(dir, 'bench.py');
  fs.writeFileSync(file, script);
  try {
    const r = spawnSync(python, [file, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`simpy benchmark failed: ${r.stderr}`);
    return Number(r.stdout.trim());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function benchPod(name: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'bench' } },
    spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '100m', memory: '64Mi' } } }] },
  };
}

export function storeBench(count = 100_000): { createPerSec: number; updatePerSec: number } {
  const sim = Simulation.create({ limits: { maxObjects: count + 10 } });
  const t0 = performance.now();
  for (let i = 0; i < count; i++) sim.store.create(benchPod(`p-${i}`));
  const t1 = performance.now();
  for (let i = 0; i < count; i++) {
    sim.store.patch('Pod', 'default', `p-${i}`, (d: KObject) => {
      d['status'] = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
    }, { subresource: 'status' });
  }
  const t2 = performance.now();
  return { createPerSec: count / ((t1 - t0) / 1000), updatePerSec: count / ((t2 - t1) / 1000) };
}

export interface PodLifecycleOptions {
  pods: number;
  nodes: number;
  podsPerNode: number;
  /** One pod arrives every `arrivalEvery` ms of virtual time. */
  arrivalEvery: number;
  /** How long a pod runs before it completes. */
  runFor: number;
  /**
   * Starts the components that bind pods and run them. The default is a
   * trivial first-fit binder plus a kubelet-like status writer; pass the real
   * scheduler and kubelets here to measure them instead.
   */
  components: (sim: Simulation, opts: PodLifecycleOptions) => void;
  /** The pod as created; the default is a 100m/64Mi pause pod. */
  pod?: (name: string, opts: PodLifecycleOptions) => KObject;
  /** When a pod counts as complete: its object deleted (default) or its phase Succeeded. */
  completedWhen?: 'deleted' | 'succeeded';
}

/** A trivial first-fit binder and a kubelet-like writer (Pending -> Running -> Succeeded -> deleted). */
export function trivialComponents(sim: Simulation, opts: PodLifecycleOptions): void {
  const nodeNames: string[] = [];
  const used: number[] = [];
  const slotOf = new Map<string, number>();
  const queue: string[] = [];
  let head = 0;
  let binding = false;
  const bindNext = (): void => {
    binding = false;
    while (head < queue.length) {
      const key = queue[head]!;
      let node = -1;
      for (let i = 0; i < nodeNames.length; i++) {
        if (used[i]! < opts.podsPerNode) {
          node = i;
          break;
        }
      }
      if (node < 0) return; // wait for capacity; a completion kicks us again
      head++;
      const name = key.slice(key.indexOf('/') + 1);
      used[node]!++;
      slotOf.set(key, node);
      // As a Binding: nodeName and the PodScheduled condition in one write.
      sim.store.patch('Pod', 'default', name, (d: KObject) => {
        (d['spec'] as { nodeName?: string }).nodeName = nodeNames[node]!;
        d['status'] = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] };
      }, { actor: 'binder' });
    }
  };
  const kick = (): void => {
    if (binding) return;
    binding = true;
    sim.engine.after(0, bindNext, { priority: Priority.Scheduler, source: 'binder' });
  };
  sim.use({
    name: 'binder',
    start: () => {
      sim.runtime.informer('Node', { onAdd: (n) => {
        nodeNames.push(n.metadata.name!);
        used.push(0);
      } }, 'binder');
      sim.runtime.informer('Pod', {
        onAdd: (p) => {
          if (!(p['spec'] as { nodeName?: string }).nodeName) {
            queue.push(`${p.metadata.namespace}/${p.metadata.name}`);
            kick();
          }
        },
        onDelete: (p) => {
          const key = `${p.metadata.namespace}/${p.metadata.name}`;
          const slot = slotOf.get(key);
          if (slot !== undefined) {
            used[slot]!--;
            slotOf.delete(key);
            kick();
          }
        },
      }, 'binder');
    },
  });
  sim.use({
    name: 'kubelet',
    start: () => {
      sim.runtime.informer('Pod', {
        onUpdate: (old: Stored, pod: Stored) => {
          const was = (old['spec'] as { nodeName?: string }).nodeName;
          const now = (pod['spec'] as { nodeName?: string }).nodeName;
          if (was || !now) return;
          const name = pod.metadata.name!;
          const source = `kubelet/${now}`;
          sim.engine.after(1, () => {
            sim.store.patch('Pod', 'default', name, (d: KObject) => {
              d['status'] = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
            }, { actor: source, subresource: 'status' });
            sim.engine.after(opts.runFor, () => {
              sim.store.patch('Pod', 'default', name, (d: KObject) => {
                d['status'] = { phase: 'Succeeded', conditions: [{ type: 'Ready', status: 'False' }] };
              }, { actor: source, subresource: 'status' });
              sim.store.delete('Pod', 'default', name, { actor: source });
            }, { priority: Priority.Kubelet, source });
          }, { priority: Priority.Kubelet, source });
        },
      }, 'kubelet');
    },
  });
}

export const DEFAULT_LIFECYCLE: PodLifecycleOptions = {
  pods: 100_000,
  nodes: 1000,
  podsPerNode: 110,
  arrivalEvery: 1,
  runFor: 10_000,
  components: trivialComponents,
};

/**
 * The same lifecycle through the real cluster: API-server admission, the
 * kube-scheduler with its default profile, and the kubelets. Pods run for
 * `runFor` (ksim.dev/run-duration) under restartPolicy Never and complete as
 * Succeeded. 100 nodes, so that the scheduler evaluates every node per pod
 * (upstream's minimum of 100 feasible nodes to find).
 */
export const CLUSTER_LIFECYCLE: Partial<PodLifecycleOptions> = {
  nodes: 100,
  completedWhen: 'succeeded',
  components: (sim) => startComponents(sim, {}),
  pod: (name, opts) => {
    const p = benchPod(name);
    p.metadata.annotations = { 'ksim.dev/run-duration': `${opts.runFor}ms` };
    (p['spec'] as Record<string, unknown>)['restartPolicy'] = 'Never';
    return p;
  },
};

/** Wall seconds for `pods` pods to go through create -> bind -> run -> complete -> delete. */
export function runPodLifecycleBench(partial: Partial<PodLifecycleOptions> = {}): { seconds: number; completed: number; virtualMs: number } {
  const opts = { ...DEFAULT_LIFECYCLE, ...partial };
  const t0 = performance.now();
  const sim = Simulation.create({ limits: { maxObjects: opts.pods + opts.nodes + 10 } });
  for (let i = 0; i < opts.nodes; i++) {
    sim.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}` },
      status: { capacity: { cpu: '16', memory: '64Gi', pods: String(opts.podsPerNode) }, allocatable: { cpu: '16', memory: '64Gi', pods: String(opts.podsPerNode) } },
    });
  }
  opts.components(sim, opts);
  let completed = 0;
  const bySucceeded = opts.completedWhen === 'succeeded';
  sim.store.watch('Pod', (ev) => {
    if (bySucceeded) {
      const phase = (o: Stored | undefined) => (o?.['status'] as { phase?: string } | undefined)?.phase;
      if (ev.type === 'MODIFIED' && phase(ev.object) === 'Succeeded' && phase(ev.oldObject) !== 'Succeeded') completed++;
    } else if (ev.type === 'DELETED') completed++;
  });
  const makePod = opts.pod ?? benchPod;
  let created = 0;
  const arrive = (): void => {
    sim.store.create(makePod(`pod-${created}`, opts), { actor: 'timeline' });
    if (++created < opts.pods) sim.engine.after(opts.arrivalEvery, arrive, { priority: Priority.Timeline, source: 'timeline' });
  };
  sim.engine.after(0, arrive, { priority: Priority.Timeline, source: 'timeline' });
  sim.runUntilQuiet(Number.MAX_SAFE_INTEGER);
  const seconds = (performance.now() - t0) / 1000;
  if (completed !== opts.pods) throw new Error(`pod lifecycle bench: ${completed} of ${opts.pods} pods completed`);
  return { seconds, completed, virtualMs: sim.now };
}

function main(): void {
  const only = process.env['KSIM_BENCH_ONLY'];
  const want = (n: string): boolean => !only || only.split(',').includes(n);
  // Side by side in this run, run for run: each ksim run is followed by the same workload in SimPy and
  // the ratio is the median of the pairs, so a change of load on the shared machine hits both sides.
  const withSimpy = want('simpy') && pythonWithSimpy() !== undefined;
  for (const [kind, ours, theirs] of [
    ['chain', () => chainBench(), () => simpyChain(SIMPY_EVENTS, 1)],
    ['fanout', () => fanoutBench(), () => simpyFanout(1000, SIMPY_EVENTS, 1)],
  ] as const) {
    if (!want(kind)) continue;
    const ks: number[] = [];
    const ss: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      ks.push(ours());
      if (!withSimpy) continue;
      ss.push(theirs()!);
      ratios.push(ks[r]! / ss[r]!);
    }
    const what = kind === 'fanout' ? '; heap-bound: 1000 pending events' : '';
    report(`engine.${kind}`, median(ks) / 1e6, `M events/CPU-s (median of ${REPEATS}${what})`);
    if (!want('simpy')) continue;
    if (!withSimpy) {
      report(`engine.vs_simpy.${kind}`, `skipped (target >= 10x): ${SIMPY_INSTALL}`);
      continue;
    }
    report(`simpy.${kind}`, median(ss) / 1e6, `M events/CPU-s (median of ${REPEATS})`);
    const ratio = median(ratios);
    console.log(`engine.vs_simpy.${kind}: ${ratio.toFixed(1)} x (target >= 10x, ${ratio >= 10 ? 'met' : 'NOT met'}; median of ${REPEATS} paired runs, min ${Math.min(...ratios).toFixed(1)} x${what})`);
  }
  if (want('store')) {
    const s = storeBench();
    report('store.create', s.createPerSec / 1e3, 'k objects/s');
    report('store.update', s.updatePerSec / 1e3, 'k updates/s');
  }
  if (want('pods')) report('pods.100k', runPodLifecycleBench().seconds, 's');
  if (want('cluster')) report('pods.100k.cluster', runPodLifecycleBench(CLUSTER_LIFECYCLE).seconds, 's');
}

// Run when executed (npm run bench), not when imported by another bench or a profiling script.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
