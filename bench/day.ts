/**
 * A simulated day of a large cluster (issue 10): 5,000 nodes (4 CPU, 32Gi,
 * 110 pods, three zones) under startComponents, every kubelet renewing its
 * Lease every 10 s and reporting node status, and two workloads at once:
 *
 *  - autoscaling: scenarios/hpa-diurnal.yaml's web tier ten times over: a
 *    Deployment (pods request 1 CPU) with an HPA on CPU utilization (60%,
 *    2..200 replicas, the scenario's scale-up/scale-down behaviour), driven by
 *    the scenario's working-day traffic trace times ten (500 requests/s at
 *    night, 9,000 in the 9:00 flash crowd, 10m CPU a request) through the
 *    kubelets' load model and metrics-server;
 *  - churn: a batch submitter creating 20 short-lived pods a second (1.7 M in
 *    the day), as bench/churn.ts: four in five bare pods that run 60 s
 *    (restartPolicy Never; the pod GC keeps 12,500 terminated ones), one in
 *    five a one-pod Job with ttlSecondsAfterFinished 300.
 *
 *   npm run bench -- day
 *   npx tsx bench/day.ts [nodes] [hours] [podsPerSecond]
 *
 * Prints, `name: value unit (target ...)`:
 *   day.5000_nodes.wall        wall seconds for the simulated day (setup included)
 *   day.5000_nodes.cpu         process CPU seconds for the same interval
 *   day.5000_nodes.peak_rss / peak_heap
 *   day.5000_nodes.replicas    the Deployment's replicas at 5h, 9h25m, 13h, 24h
 * A shorter run (hours < 24) prints the same names with `.<N>h` in place of
 * nothing and the 24-hour wall time it extrapolates to.
 * Wall time is measured with performance.now(), which only bench/ may use.
 */
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { Simulation } from '../src/sim/simulation.ts';
import { startComponents } from '../src/components.ts';
import { parseLoadSpec } from '../src/load/index.ts';
import type { KObject } from '../src/sim/types.ts';
import { startSubmitter, zonedNode } from './lib/cluster.ts';

const nodes = Number(process.argv[2] ?? 5000);
const hours = Number(process.argv[3] ?? 24);
const podsPerSecond = Number(process.argv[4] ?? 20);
const name = `day.${nodes}_nodes${hours === 24 ? '' : `.${hours}h`}`;
const HOUR = 3_600_000;
const MiB = 2 ** 20;
const SCALE = 10;

interface ScenarioDoc {
  spec: { objects: KObject[]; load: Array<{ demand: { requests: { points: Array<[string, number]> } } }> };
}

const doc = parse(fs.readFileSync(new URL('../scenarios/hpa-diurnal.yaml', import.meta.url), 'utf8')) as ScenarioDoc;
const load = doc.spec.load;
for (const entry of load) for (const p of entry.demand.requests.points) p[1] *= SCALE;
const parsed = parseLoadSpec(load);
if (parsed.errors.length > 0) throw new Error(`bad load spec: ${JSON.stringify(parsed.errors)}`);
const objects = doc.spec.objects.map((o) => {
  const obj = structuredClone(o) as KObject & { spec: { maxReplicas?: number } };
  obj.metadata.namespace = 'default';
  if (obj.kind === 'HorizontalPodAutoscaler') obj.spec.maxReplicas = 20 * SCALE;
  return obj;
});

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const sim = Simulation.create({ seed: 1 });
startComponents(sim, { load: parsed.spec });
sim.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'batch' } }, { actor: 'bench' });
for (let i = 0; i < nodes; i++) sim.store.create(zonedNode(i), { actor: 'bench' });
for (const o of objects) sim.store.create(o, { actor: 'bench' });

// The submitter: every second, podsPerSecond creations, one in five a Job.
const submitted = startSubmitter(sim, podsPerSecond, hours * HOUR, 'batch');

const replicasAt = new Map<string, number>();
const marks: Array<[string, number]> = (
  [
    ['5h', 5 * HOUR],
    ['9h25m', 9 * HOUR + 25 * 60_000],
    ['13h', 13 * HOUR],
    ['24h', 24 * HOUR],
  ] as Array<[string, number]>
).filter(([, t]) => t <= hours * HOUR);
let peakHeap = 0;
const stops = [...new Set([...marks.map(([, t]) => t), ...Array.from({ length: Math.ceil(hours * 6) }, (_, i) => Math.min((i + 1) * 600_000, hours * HOUR))])].sort((a, b) => a - b);
for (const t of stops) {
  sim.runUntil(t);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  for (const [label, at] of marks) if (at === t) replicasAt.set(label, (sim.store.get('Deployment', 'default', 'web') as { spec?: { replicas?: number } } | undefined)?.spec?.replicas ?? 0);
  if (t % HOUR === 0) console.error(`  [${name}] hour ${t / HOUR}: ${((performance.now() - t0) / 1000).toFixed(1)} s wall, heap ${(process.memoryUsage().heapUsed / MiB).toFixed(0)} MiB`);
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const extrapolated = hours === 24 ? '' : `; ${((wall * 24) / hours).toFixed(0)} s for 24 h at this rate`;
console.log(`${name}.wall: ${wall.toFixed(1)} s (target < 300 s for 24 h${extrapolated}; ${submitted()} pods submitted, ${sim.engine.executed} engine events, ${sim.store.resourceVersion} writes)`);
console.log(`${name}.cpu: ${cpuSeconds.toFixed(1)} s`);
console.log(`${name}.peak_rss: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
console.log(`${name}.peak_heap: ${(peakHeap / MiB).toFixed(0)} MiB (sampled every 10 virtual minutes)`);
const now = (sim.store.get('Deployment', 'default', 'web') as { spec?: { replicas?: number } } | undefined)?.spec?.replicas ?? 0;
console.log(`${name}.replicas: ${[...marks.map(([l]) => `${l} ${replicasAt.get(l)}`), `end ${now}`].join(', ')} (the web Deployment under its HPA)`);
