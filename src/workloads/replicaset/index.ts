/** The ReplicaSet and ReplicationController controllers for a simulation (kube-controller-manager's "replicaset" and "replicationcontroller"). */
import type { Controller } from '../../sim/types.ts';
import type { Simulation } from '../../sim/simulation.ts';
import { createReplicaSetController } from './replicaSetController.ts';

export * from './replicaSetController.ts';

export function replicaSetControllersFor(sim: Simulation, terminatingReplicas = true): Controller[] {
  const common = { runtime: sim.runtime, parseTime: (s: string) => sim.virtualTime(s), timestamp: (t: number) => sim.timestamp(t), terminatingReplicas };
  return [createReplicaSetController({ kind: 'ReplicaSet', ...common }), createReplicaSetController({ kind: 'ReplicationController', ...common })];
}
