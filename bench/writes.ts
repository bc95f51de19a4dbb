/**
 * The API store's fixed cost per write (issue 10): every actor writes through
 * the store, so what one write costs is paid by every workload. On the API
 * server's admission chain (no controllers, so nothing else runs), N pods go
 * through the writes a pod's life makes, each kind of write timed on its own:
 *
 *   create     a ReplicaSet-style pod (labels, controller reference, requests and limits)
 *   binding    the Binding subresource (spec.nodeName, PodScheduled, the node's zone label)
 *   status     a kubelet-style status write (Running, Ready, a container status)
 *   patch      a finalizer added by a main-resource patch (the whole object through defaulting)
 *   metapatch  the same finalizer removed with metadataOnly (the Job controller's and GC's patches)
 *   delete     a graceless delete
 *
 * Each line is the CPU time of one write, best of R rounds (process.cpuUsage:
 * the steadier figure on a shared machine):
 *
 *   writes.<kind>: N µs (CPU per write, best of R rounds of N pods)
 *
 *   npm run bench -- writes
 *   npx tsx bench/writes.ts [pods] [rounds]
 */
import { Simulation } from '../src/sim/simulation.ts';
import { startApiServer } from '../src/components.ts';
import { boundPod } from '../src/api/podBinding.ts';
import { FeatureGates } from '../src/api/featureGates.ts';
import type { KObject, Stored } from '../src/sim/types.ts';
import type { Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';

type PodObj = Pod & KObject;

const N = Number(process.argv[2] ?? 20000);
const R = Number(process.argv[3] ?? 5);
if (!Number.isInteger(N) || N < 1 || !Number.isInteger(R) || R < 1) {
  console.error('usage: bench/writes.ts [pods >= 1] [rounds >= 1]');
  process.exit(2);
}

const KINDS = ['create', 'binding', 'status', 'patch', 'metapatch', 'delete'] as const;
type WriteKind = (typeof KINDS)[number];
const best = new Map<WriteKind, number>();

function cpuSeconds(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
}

function timed(kind: WriteKind, fn: () => void): void {
  const t0 = cpuSeconds();
  fn();
  const t = cpuSeconds() - t0;
  best.set(kind, Math.min(best.get(kind) ?? Infinity, t));
}

const gates = FeatureGates.defaults();
const FINALIZER = 'example.com/bench';

for (let round = 0; round < R; round++) {
  const sim = Simulation.create({ seed: 1, limits: { maxObjects: 10 * N + 1000 } });
  startApiServer(sim);
  const store = sim.store;
  for (let i = 0; i < 100; i++) {
    const name = `node-${i}`;
    const res = { cpu: '4', memory: '32Gi', pods: '110' };
    store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % 3}` } }, status: { capacity: res, allocatable: res } } as KObject);
  }
  global.gc?.();
  const names: string[] = new Array(N);
  timed('create', () => {
    for (let i = 0; i < N; i++) {
      const pod: PodObj = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          generateName: 'web-7d4b9c8f6-',
          namespace: 'default',
          labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6' },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6', uid: 'rs-uid', controller: true, blockOwnerDeletion: true }],
        },
        spec: { containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80 }], resources: { requests: { cpu: '100m', memory: '200Mi' }, limits: { cpu: '100m', memory: '200Mi' } } }] },
      };
      names[i] = store.create(pod, { actor: 'bench' }).metadata.name!;
    }
  });
  const now = sim.timestamp();
  timed('binding', () => {
    for (let i = 0; i < N; i++) {
      const node = `node-${i % 100}`;
      const cur = store.get<PodObj>('Pod', 'default', names[i]!)!;
      const scheduled: PodCondition = { type: 'PodScheduled', status: 'True' };
      store.update(boundPod(cur, node, scheduled, now, gates, store.get('Node', '', node)?.metadata.labels), { actor: 'scheduler', subresource: 'binding' });
    }
  });
  timed('status', () => {
    for (let i = 0; i < N; i++) {
      const cur = store.get<PodObj>('Pod', 'default', names[i]!)!;
      const status: PodStatus = {
        ...cur.status,
        phase: 'Running',
        hostIP: '10.0.0.1',
        podIP: `10.1.${(i >> 8) & 255}.${i & 255}`,
        startTime: now,
        conditions: [...(cur.status?.conditions ?? []), { type: 'Ready', status: 'True', lastTransitionTime: now }],
        containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: 'registry.k8s.io/pause:3.10', imageID: '', started: true, state: { running: { startedAt: now } } }],
      };
      store.update({ ...cur, status } as PodObj, { actor: 'kubelet/node', subresource: 'status' });
    }
  });
  timed('patch', () => {
    for (let i = 0; i < N; i++) {
      store.patch<PodObj>('Pod', 'default', names[i]!, (d) => {
        d.metadata.finalizers = [...(d.metadata.finalizers ?? []), FINALIZER];
      }, { actor: 'bench' });
    }
  });
  timed('metapatch', () => {
    for (let i = 0; i < N; i++) {
      store.patch<PodObj>('Pod', 'default', names[i]!, (d) => {
        const left = (d.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
        if (left.length > 0) d.metadata.finalizers = left;
        else delete d.metadata.finalizers;
      }, { actor: 'bench', metadataOnly: true });
    }
  });
  timed('delete', () => {
    for (let i = 0; i < N; i++) store.delete('Pod', 'default', names[i]!, { actor: 'bench', gracePeriodSeconds: 0 });
  });
  const left: Stored[] = store.list('Pod');
  if (left.length !== 0) throw new Error(`writes: ${left.length} pods left after the deletes`);
}

for (const kind of KINDS) {
  console.log(`writes.${kind}: ${((best.get(kind)! / N) * 1e6).toFixed(2)} µs (CPU per write, best of ${R} rounds of ${N} pods; no target of its own: part of every workload's figure)`);
}
