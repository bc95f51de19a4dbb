/**
 * A day of batch churn through the whole control plane (issue 10): 1,000
 * nodes (4 CPU, 32Gi, 110 pods, three zones) under startComponents (scheduler,
 * kubelets with 10 s Lease renewals and node status, node lifecycle, taint
 * eviction, pod GC, the workload controllers, TTL-after-finished, the garbage
 * collector), and a batch submitter creating 5 pods a second for 24 virtual
 * hours (432,000 pods), as a researcher's "many short tasks" queue would:
 *
 *  - 4 pods/s are bare pods (restartPolicy Never) that run 60 s
 *    (ksim.dev/run-duration) and succeed; the pod GC deletes the oldest
 *    terminated pods beyond its 12,500 threshold, as a real cluster does;
 *  - 1 pod/s comes from a one-pod Job (completions 1) whose pod runs 60 s; the
 *    Job has ttlSecondsAfterFinished 300, so the TTL-after-finished
 *    controller deletes it 5 minutes after it completes and the garbage
 *    collector deletes its pod.
 *
 * So the cluster holds about 300 running pods, 12,500 completed bare pods and
 * ~300 finished Jobs at any time once the first hour has passed: every store,
 * cache and index has reached its steady size, and the heap should stop
 * growing. "Flat" means the heap after a full GC grows by less than 1 MiB per
 * virtual hour between hour 1 and hour 24 (Events expire after the API
 * server's 1 h --event-ttl; the run log is off).
 *
 *   npm run bench -- churn
 *   npx tsx bench/churn.ts [nodes] [hours] [podsPerSecond]
 *
 * Prints, `name: value unit (target ...)`:
 *   churn.24h_1000_nodes.wall          wall seconds for the whole run (setup included)
 *   churn.24h_1000_nodes.cpu           process CPU seconds for the same interval
 *   churn.24h_1000_nodes.heap_hN       heap after GC at virtual hours 1, 6, 12, 24
 *   churn.24h_1000_nodes.heap_growth   (heap_h24 - heap_h1) / 23 h
 *   churn.24h_1000_nodes.peak_rss / peak_heap
 * Heap after GC needs node --expose-gc (bench/run.ts passes it); without it
 * the figures are heap in use without a collection, and say so.
 * Wall time is measured with performance.now(), which only bench/ may use.
 */
import { Simulation } from '../src/sim/simulation.ts';
import { startComponents } from '../src/components.ts';
import { startSubmitter, zonedNode } from './lib/cluster.ts';

const nodes = Number(process.argv[2] ?? 1000);
const hours = Number(process.argv[3] ?? 24);
const podsPerSecond = Number(process.argv[4] ?? 5);
const name = `churn.${hours}h_${nodes}_nodes`;
const HOUR = 3_600_000;
const MiB = 2 ** 20;

const gc = (globalThis as { gc?: () => void }).gc;
function heapAfterGC(): number {
  if (gc) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

const t0 = performance.now();
const cpu0 = process.cpuUsage();
const sim = Simulation.create({ seed: 1 });
startComponents(sim, {});
for (let i = 0; i < nodes; i++) sim.store.create(zonedNode(i), { actor: 'bench' });

// The submitter: every second, podsPerSecond creations, one in five a Job.
const submitted = startSubmitter(sim, podsPerSecond, hours * HOUR, 'default');

const checkpoints = [1, 6, 12, 24].filter((h) => h <= hours);
if (!checkpoints.includes(hours)) checkpoints.push(hours);
const heapAt = new Map<number, number>();
let peakHeap = 0;
const sampleEvery = 10 * 60_000;
for (let t = sampleEvery; t <= hours * HOUR; t += sampleEvery) {
  sim.runUntil(t);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  if (t % HOUR === 0 && checkpoints.includes(t / HOUR)) {
    const h = t / HOUR;
    heapAt.set(h, heapAfterGC());
    const pods = sim.store.list('Pod').length;
    const jobs = sim.store.list('Job').length;
    console.error(`  [${name}] hour ${h}: ${((performance.now() - t0) / 1000).toFixed(1)} s wall, heap ${(heapAt.get(h)! / MiB).toFixed(1)} MiB, ${pods} pods, ${jobs} jobs, ${sim.recorder.events().length} events`);
  }
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const rssKiB = process.resourceUsage().maxRSS;
const note = gc ? 'after GC' : 'no --expose-gc: heap in use, not after GC';

console.log(`${name}.wall: ${wall.toFixed(1)} s (target < 60 s; ${submitted()} pods submitted, ${sim.engine.executed} engine events, ${sim.store.resourceVersion} writes)`);
console.log(`${name}.cpu: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (process CPU for the same interval, GC included: the steadier figure on a shared machine)`);
for (const h of checkpoints) console.log(`${name}.heap_h${h}: ${(heapAt.get(h)! / MiB).toFixed(1)} MiB (${note})`);
const first = checkpoints[0]!;
const last = checkpoints[checkpoints.length - 1]!;
if (last > first) {
  const growth = (heapAt.get(last)! - heapAt.get(first)!) / MiB / (last - first);
  console.log(`${name}.heap_growth: ${growth.toFixed(2)} MiB/h (target ~0, flat = < 1 MiB/h ${note}, hour ${first} to ${last})`);
}
console.log(`${name}.peak_rss: ${(rssKiB / 1024).toFixed(0)} MiB`);
console.log(`${name}.peak_heap: ${(peakHeap / MiB).toFixed(0)} MiB (sampled every 10 virtual minutes)`);
