/**
 * Shapes shared by the long-run benches (churn, day, nodehealth): their
 * nodes, and the short-lived "task" pods that make the churn.
 */
import { Priority, type KObject } from '../../src/sim/types.ts';
import type { Simulation } from '../../src/sim/simulation.ts';

/** A 4-CPU, 32Gi, 110-pod node in one of three zones (round-robin). */
export function zonedNode(i: number): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `node-${i}`, labels: { 'topology.kubernetes.io/zone': `zone-${'abc'[i % 3]}` } },
    status: { capacity: { cpu: '4', memory: '32Gi', pods: '110' } },
  };
}

/** A task pod's spec: runs to completion once (restartPolicy Never), 100m / 128Mi. */
export const taskPodSpec = {
  restartPolicy: 'Never',
  terminationGracePeriodSeconds: 0,
  containers: [{ name: 'task', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
};

/** Each task runs 60 s of virtual time, then succeeds. */
export const taskAnnotations = { 'ksim.dev/run-duration': '60s' };

/** A bare task pod named task-<i> in `namespace`. */
export function taskPod(i: number, namespace: string): KObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `task-${i}`, namespace, annotations: taskAnnotations, labels: { app: 'task' } }, spec: taskPodSpec };
}

/** A one-pod Job batch-<i> in `namespace` running a task, deleted 300 s after it finishes. */
export function taskJob(i: number, namespace: string): KObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: `batch-${i}`, namespace },
    spec: { completions: 1, parallelism: 1, ttlSecondsAfterFinished: 300, template: { metadata: { annotations: taskAnnotations, labels: { app: 'batch' } }, spec: taskPodSpec } },
  };
}

/**
 * The batch submitter of the long-run benches: every virtual second,
 * `podsPerSecond` creations in `namespace` (one in five a task Job, the rest
 * bare task pods), until `untilMs`. Returns how many it has created so far.
 */
export function startSubmitter(sim: Simulation, podsPerSecond: number, untilMs: number, namespace: string): () => number {
  let created = 0;
  const submit = (): void => {
    for (let k = 0; k < podsPerSecond; k++) {
      const i = created++;
      sim.store.create(i % 5 === 4 ? taskJob(i, namespace) : taskPod(i, namespace), { actor: 'submitter' });
    }
    if (sim.now + 1000 <= untilMs) sim.engine.after(1000, submit, { priority: Priority.Timeline, source: 'bench/submitter' });
  };
  sim.engine.after(1000, submit, { priority: Priority.Timeline, source: 'bench/submitter' });
  return () => created;
}
