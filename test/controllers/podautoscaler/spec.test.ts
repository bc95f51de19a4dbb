/** The controller's v2 view of an HPA: autoscaling/v1 conversion and the tolerance fallbacks. */
import { describe, expect, it } from 'vitest';
import { hpaSpec } from '../../../src/controllers/podautoscaler/spec.ts';
import type { KObject } from '../../../src/sim/types.ts';

const defaults = { downscaleStabilisationWindow: 300_000, tolerance: 0.1 };
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' };

describe('hpaSpec', () => {
  it('autoscaling/v1: targetCPUUtilizationPercentage first, then the metrics annotation; the behavior annotation', () => {
    const v1: KObject = {
      apiVersion: 'autoscaling/v1',
      kind: 'HorizontalPodAutoscaler',
      metadata: {
        name: 'web',
        annotations: {
          'autoscaling.alpha.kubernetes.io/metrics': JSON.stringify([{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '10' } } }]),
          'autoscaling.alpha.kubernetes.io/behavior': JSON.stringify({ scaleDown: { stabilizationWindowSeconds: 60 } }),
        },
      },
      spec: { scaleTargetRef: ref, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
    };
    const s = hpaSpec(v1, defaults);
    expect(s.version).toBe('v1');
    expect(s.minReplicas).toBe(1);
    expect(s.metrics.map((m) => m.type)).toEqual(['Resource', 'External']);
    expect(s.metrics[0]).toEqual({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } });
    expect(s.behavior?.scaleDown.stabilizationWindowSeconds).toBe(60);
    expect(s.behavior?.scaleUp.policies).toHaveLength(2);
  });

  it('autoscaling/v1 without a target: cpu at 80%', () => {
    const s = hpaSpec({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'w' }, spec: { scaleTargetRef: ref, maxReplicas: 3 } }, defaults);
    expect(s.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it('tolerances: per direction from behavior, else the controller flag', () => {
    const mk = (behavior?: unknown): KObject => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'w' }, spec: { scaleTargetRef: ref, maxReplicas: 3, ...(behavior ? { behavior } : {}) } });
    expect(hpaSpec(mk(), defaults).tolerances).toEqual({ scaleUp: 0.1, scaleDown: 0.1 });
    expect(hpaSpec(mk({ scaleUp: { tolerance: '0.05' } }), { ...defaults, tolerance: 0.2 }).tolerances).toEqual({ scaleUp: 0.05, scaleDown: 0.2 });
    expect(hpaSpec(mk(), defaults).behavior).toBeUndefined();
  });
});
