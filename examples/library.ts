/**
 * ksim as a library: build a cluster from objects, step it, run it until it
 * settles, and read the result.
 *
 *   npx tsx examples/library.ts
 */
import { Simulation, startComponents, type KObject } from '../src/index.ts';

const node = (name: string, zone: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': zone } },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
  },
});

const pod = (name: string, cpu: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'demo' } },
  spec: { containers: [{ name: 'main', image: 'nginx:1.27', resources: { requests: { cpu, memory: '256Mi' } } }] },
});

// Same seed, same run: every random choice (tie-breaks, generated names) comes from it.
const sim = Simulation.create({ seed: 42 });
startComponents(sim, {});
sim.apply([node('node-a', 'zone-a'), node('node-b', 'zone-b'), pod('small', '500m'), pod('medium', '2'), pod('too-big', '8')]);

// Step through events one at a time until every schedulable pod is bound...
const bound = (): number => sim.list('Pod').filter((p) => (p['spec'] as { nodeName?: string }).nodeName).length;
let last = 0;
for (let steps = 0; steps < 1000 && last < 2 && sim.step(); steps++) {
  if (bound() !== last) {
    last = bound();
    console.log(`after ${steps + 1} events, t=${sim.now}ms: ${last} pod(s) bound`);
  }
}

// ...then run until only periodic background work remains.
sim.runUntilQuiet();

console.log(`\nsettled at ${sim.timestamp(sim.now)}`);
for (const p of sim.list('Pod')) {
  const spec = p['spec'] as { nodeName?: string };
  const status = p['status'] as { phase?: string } | undefined;
  console.log(`${p.metadata.name?.padEnd(8)} ${(status?.phase ?? 'Pending').padEnd(8)} ${spec.nodeName ?? '<unscheduled>'}`);
}
for (const e of sim.events().filter((e) => e.type === 'Warning')) {
  console.log(`${e.type} ${e.reason} ${e.involvedObject.name}: ${e.message}`);
}
