/**
 * Heartbeat cost: a 5,000-node cluster (three zones) runs one simulated hour
 * with every kubelet renewing its Lease every 10 s (1.8 M renewals) and
 * posting its status every 5 minutes, the node lifecycle controller's 5 s
 * monitor pass over every node, the taint eviction controller and the pod GC
 * watching. No pods: the figure is the price of node health alone.
 *
 *   npm run bench -- nodehealth
 *   npx tsx bench/nodehealth.ts [nodes] [minutes]
 *
 * One line per figure, `name: value unit (details)`: the wall time, and the
 * process's CPU time for the same interval (the steadier figure on a shared
 * machine). Both are measured with performance.now() / process.cpuUsage(),
 * which only bench/ may use.
 */
import { Simulation } from '../src/sim/simulation.ts';
import { startComponents } from '../src/components.ts';
import type { KObject } from '../src/sim/types.ts';
import { zonedNode } from './lib/cluster.ts';

const nodes = Number(process.argv[2] ?? 5000);
const minutes = Number(process.argv[3] ?? 60);


const sim = Simulation.create({ seed: 1 });
startComponents(sim, {});
const t0 = performance.now();
for (let i = 0; i < nodes; i++) sim.store.create(zonedNode(i), { actor: 'bench' });
sim.runUntil(1000);
const t1 = performance.now();
const cpu0 = process.cpuUsage();
const rv0 = sim.store.resourceVersion;
sim.runUntil(minutes * 60_000);
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const writes = sim.store.resourceVersion - rv0;
const ready = sim.list<KObject & { status?: { conditions?: Array<{ type: string; status: string }> } }>('Node').filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
const heap = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
console.log(
  `nodehealth.hour${nodes}: ${((t2 - t1) / 1000).toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s; ${minutes} simulated min after ${((t1 - t0) / 1000).toFixed(2)} s of setup; ${writes} writes, ${Math.round(writes / ((t2 - t1) / 1000))} writes/s; ${ready}/${nodes} nodes Ready; heap ${heap} MiB)`,
);
if (ready !== nodes) process.exit(1);
