// The API server's dropDisabledFields for HorizontalPodAutoscalers: tolerances need
// HPAConfigurableTolerance (alpha 1.33, beta and on since 1.35).
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startApiServer } from '../../src/components.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';

describe('HPAConfigurableTolerance (alpha 1.33, on since 1.35): tolerances dropped while off', () => {
  it.each([
    ['1.34', undefined],
    ['1.35', '0.05'],
  ])('emulated %s: scaleUp.tolerance is %s', (version, want) => {
    const sim = Simulation.create({ seed: 1 });
    startApiServer(sim, FeatureGates.resolve({ emulatedVersion: version }));
    const hpa = sim.store.create<KObject>({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'h', namespace: 'default' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        maxReplicas: 5,
        behavior: { scaleUp: { tolerance: '0.05', policies: [{ type: 'Pods', value: 1, periodSeconds: 15 }] } },
      },
    } as KObject);
    expect((hpa as unknown as { spec: { behavior: { scaleUp: { tolerance?: string } } } }).spec.behavior.scaleUp.tolerance).toBe(want);
  });
});
