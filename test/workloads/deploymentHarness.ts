/**
 * Builds upstream's unit-test fixtures (newDeployment, rs, newRSWithStatus from
 * pkg/controller/deployment/*_test.go) in a store without controllers, and a
 * DeploymentSync over them, so the controller's step functions run as
 * upstream's tests call them and every ReplicaSet write can be read back.
 */
import { Simulation } from '../../src/sim/simulation.ts';
import type { KObject } from '../../src/sim/types.ts';
import { DeploymentSync, type RS } from '../../src/workloads/deployment/sync.ts';
import type { DeploymentObj } from '../../src/workloads/deployment/util.ts';

export type IntOrStr = number | string;

export function newDeployment(name: string, replicas: number, opts: { revisionHistoryLimit?: number; maxSurge?: IntOrStr; maxUnavailable?: IntOrStr; selector?: Record<string, string>; type?: string } = {}): DeploymentObj {
  const selector = opts.selector ?? { foo: 'bar' };
  const d = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: {}, generation: 1 },
    spec: {
      strategy: { type: opts.type ?? 'RollingUpdate', ...(opts.type === 'Recreate' ? {} : { rollingUpdate: { maxUnavailable: opts.maxUnavailable ?? 0, maxSurge: opts.maxSurge ?? 0 } }) },
      replicas,
      selector: { matchLabels: selector },
      template: { metadata: { labels: { ...selector } }, spec: { containers: [{ name: 'c', image: 'foo/bar' }] } },
      ...(opts.revisionHistoryLimit !== undefined ? { revisionHistoryLimit: opts.revisionHistoryLimit } : {}),
    },
  };
  return d as unknown as DeploymentObj;
}

export interface RsSpec {
  name: string;
  replicas: number;
  /** Hours after the epoch, for creationTimestamp order (older first). */
  hour?: number;
  available?: number;
  statusReplicas?: number;
  annotations?: Record<string, string>;
  deleting?: boolean;
}

export class Harness {
  readonly sim = Simulation.create({ seed: 1 });
  readonly writes: Array<{ name: string; replicas: number }> = [];
  readonly deleted: string[] = [];

  constructor() {
    this.sim.store.watch('ReplicaSet', (ev) => {
      const rs = ev.object as RS;
      if (ev.type === 'MODIFIED') this.writes.push({ name: rs.metadata.name ?? '', replicas: rs.spec?.replicas ?? 0 });
      if (ev.type === 'DELETED') this.deleted.push(rs.metadata.name ?? '');
    });
  }

  /** Create ReplicaSets in creation order (by `hour`), returning the stored objects in the given order. */
  replicaSets(specs: RsSpec[]): RS[] {
    const order = [...specs].sort((a, b) => (a.hour ?? 0) - (b.hour ?? 0));
    const byName = new Map<string, RS>();
    for (const s of order) {
      const t = (s.hour ?? 0) * 3_600_000;
      if (t > this.sim.now) this.sim.runUntil(t);
      const created = this.sim.store.create({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: s.name, namespace: 'default', ...(s.annotations ? { annotations: s.annotations } : {}), ...(s.deleting ? { finalizers: ['test/hold'] } : {}) },
        spec: { replicas: s.replicas, selector: { matchLabels: { foo: 'bar' } }, template: {} },
      } as KObject);
      const withStatus = this.sim.store.patch<RS>('ReplicaSet', 'default', s.name, (d) => {
        (d as { status?: object }).status = { replicas: s.statusReplicas ?? 0, availableReplicas: s.available ?? 0, observedGeneration: created.metadata.generation };
      }, { subresource: 'status' });
      const final = s.deleting ? (this.sim.store.delete('ReplicaSet', 'default', s.name) as RS) : withStatus;
      byName.set(s.name, final);
    }
    this.writes.length = 0;
    return specs.map((s) => byName.get(s.name)!);
  }

  sync(d: DeploymentObj, rsList: RS[]): DeploymentSync {
    return new DeploymentSync(this.sim.runtime.context, d, rsList, (s) => this.sim.virtualTime(s), (t) => this.sim.timestamp(t));
  }

  /** The last written size of each ReplicaSet, defaulting to the given ones. */
  sizes(initial: RS[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const rs of initial) out[rs.metadata.name ?? ''] = rs.spec?.replicas ?? 0;
    for (const w of this.writes) out[w.name] = w.replicas;
    return out;
  }
}
