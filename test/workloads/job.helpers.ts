import type { Job } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject, RecordedEvent } from '../../src/sim/types.ts';

export type JobObj = Job & KObject;
export type PodObj = Pod & KObject;

export function cluster(seed = 3, nodes = 1): Simulation {
  const sim = Simulation.create({ seed });
  startComponents(sim, {});
  for (let i = 0; i < nodes; i++) {
    sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}` }, status: { capacity: { cpu: '16', memory: '32Gi', pods: '110' } } } as KObject);
  }
  return sim;
}

export function template(annotations: Record<string, string>, restartPolicy = 'Never'): NonNullable<Job['spec']>['template'] {
  return { metadata: { annotations }, spec: { restartPolicy, containers: [{ name: 'app', image: 'busybox' }] } };
}

export function job(name: string, spec: Partial<NonNullable<Job['spec']>>): JobObj {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name, namespace: 'default' }, spec: { template: template({}), ...spec } } as JobObj;
}

export const getJob = (sim: Simulation, name: string): JobObj | undefined => sim.get('Job', 'default', name) as JobObj | undefined;

export function jobEvents(sim: Simulation, name: string, kind = 'Job'): RecordedEvent[] {
  return sim.events().filter((e) => e.involvedObject.kind === kind && e.involvedObject.name === name);
}

export function podsOf(sim: Simulation, jobName: string): PodObj[] {
  return (sim.list('Pod') as PodObj[]).filter((p) => p.metadata.labels?.['batch.kubernetes.io/job-name'] === jobName);
}

export function conditions(j: JobObj | undefined): string[] {
  return (j?.status?.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason ?? ''}`);
}
