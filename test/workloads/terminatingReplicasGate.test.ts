// DeploymentReplicaSetTerminatingReplicas (alpha 1.33, beta and on since 1.35): ReplicaSets
// and Deployments report status.terminatingReplicas only while the gate is on.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';

function statuses(version: string): { rs: Record<string, unknown>; deploy: Record<string, unknown> } {
  const sim = Simulation.create({ seed: 1 });
  startComponents(sim, { emulatedVersion: version });
  sim.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' } }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '20' } } });
  sim.apply({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  sim.runUntil(30_000);
  const rs = sim.store.list<KObject & { status?: Record<string, unknown> }>('ReplicaSet', 'default')[0]!;
  const deploy = sim.store.get<KObject & { status?: Record<string, unknown> }>('Deployment', 'default', 'web')!;
  return { rs: rs.status ?? {}, deploy: deploy.status ?? {} };
}

describe('status.terminatingReplicas by release', () => {
  it('on at 1.35: both report 0 terminating', () => {
    const s = statuses('1.35');
    expect(s.rs['availableReplicas']).toBe(2);
    expect(s.rs['terminatingReplicas']).toBe(0);
    expect(s.deploy['terminatingReplicas']).toBe(0);
  });

  it('off at 1.34: neither has the field', () => {
    const s = statuses('1.34');
    expect(s.rs['availableReplicas']).toBe(2);
    expect('terminatingReplicas' in s.rs).toBe(false);
    expect('terminatingReplicas' in s.deploy).toBe(false);
  });
});
