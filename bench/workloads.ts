/**
 * Workload controllers at scale (issue 6): 150,000 pods from Deployments on
 * 5,000 nodes (4 CPU, 32Gi, 110 pods each, as scheduler_perf's
 * node-default.yaml), from an empty cluster to every pod Running, through the
 * whole control plane: Deployment controller -> ReplicaSets -> ReplicaSet
 * controller (slow-start bursts of up to 500) -> admission -> kube-scheduler
 * -> kubelets. 300 Deployments of 500 replicas (100m CPU, 200Mi each).
 *
 *   npm run bench -- workloads
 *   npx tsx bench/workloads.ts 0.1        a tenth of the size (nodes and pods)
 *
 * Prints `workloads.150k_pods.wall: N s (target < 30 s)`, the process's CPU
 * seconds, `workloads.150k_pods.peak_heap` and `.peak_rss` (target < 2048
 * MiB each), plus the virtual time the cluster took. Wall time is measured with
 * performance.now(), which only bench/ may use; heap is sampled after each
 * 100 virtual ms. WALL_LIMIT_S (default 2400) stops a run that is too slow and
 * reports how far it got.
 */
import { Simulation } from '../src/sim/simulation.ts';
import { startComponents } from '../src/components.ts';
import type { KObject } from '../src/sim/types.ts';

const scale = Number(process.argv[2] ?? '1');
if (!(scale > 0 && scale <= 1)) {
  console.error('usage: bench/workloads.ts [fraction in (0, 1]]');
  process.exit(2);
}
const NODES = Math.round(5000 * scale);
const DEPLOYMENTS = Math.max(1, Math.round(300 * scale));
const REPLICAS = 500;
const TOTAL = DEPLOYMENTS * REPLICAS;
const label = scale === 1 ? '150k_pods' : `${Math.round(TOTAL / 1000)}k_pods`;

const sim = Simulation.create({ seed: 1, limits: { maxObjects: 2_000_000, maxEventsPerInstant: 5_000_000 } });
startComponents(sim, {});
for (let i = 0; i < NODES; i++) {
  sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}` } }, status: { capacity: { cpu: '4', memory: '32Gi', pods: '110' } } } as KObject, { actor: 'bench' });
}
sim.runUntil(1_000);

let running = 0;
sim.store.watch('Pod', (ev) => {
  const was = (ev.oldObject?.['status'] as { phase?: string } | undefined)?.phase === 'Running';
  const is = ev.type !== 'DELETED' && (ev.object['status'] as { phase?: string } | undefined)?.phase === 'Running';
  if (is && !was) running++;
  if (was && !is) running--;
});

let peak = process.memoryUsage().heapUsed;
const start = performance.now();
const t0 = sim.now;
for (let d = 0; d < DEPLOYMENTS; d++) {
  const app = `app-${d}`;
  sim.store.create(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app, namespace: 'default' },
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '200Mi' } } }] },
        },
      },
    } as KObject,
    { actor: 'bench' },
  );
}
// Step 100 virtual ms at a time (scheduling cycles take no virtual time, so a burst is one instant):
// heap sampled and progress reported to stderr; give up after 6 virtual hours or WALL_LIMIT_S wall seconds.
const deadline = sim.now + 6 * 60 * 60 * 1000;
const wallLimit = Number(process.env['WALL_LIMIT_S'] ?? '2400') * 1000;
let reported = 0;
while (running < TOTAL && sim.now < deadline && performance.now() - start < wallLimit) {
  sim.runUntil(sim.now + 100);
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  if (running - reported >= 10_000) {
    reported = running;
    console.error(`  ${running} Running at ${((performance.now() - start) / 1000).toFixed(0)} s wall, ${((sim.now - t0) / 1000).toFixed(1)} s virtual`);
  }
}
const wall = (performance.now() - start) / 1000;
if (running < TOTAL) {
  console.error(`only ${running} of ${TOTAL} pods Running after ${wall.toFixed(0)} s wall, ${(sim.now - t0) / 1000} virtual seconds`);
}
console.log(`workloads.${label}.wall: ${wall.toFixed(1)} s (target < 30 s; ${NODES} nodes, ${DEPLOYMENTS} Deployments x ${REPLICAS}; ${running} Running)`);
const cpu = process.cpuUsage();
console.log(`workloads.${label}.cpu: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s (CPU of the whole process, building the cluster included; steadier than wall time on a shared machine)`);
console.log(`workloads.${label}.peak_heap: ${Math.round(peak / 1048576)} MiB (target < 2048 MiB)`);
console.log(`workloads.${label}.peak_rss: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB (target < 2048 MiB)`);
console.log(`workloads.${label}.virtual: ${((sim.now - t0) / 1000).toFixed(0)} s (virtual time until every pod was Running, in 100 ms steps)`);
if (running < TOTAL) process.exit(1);
