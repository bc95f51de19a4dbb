/**
 * The horizontal-pod-autoscaler controller in a small simulation (fake
 * kubelet and metrics-server, see harness.ts): sync period, status,
 * conditions and events word for word, several metrics, an invalid metric,
 * scaling disabled at zero, a missing target, autoscaling/v1, behaviour,
 * and the controller-manager flags.
 */
import { describe, expect, it } from 'vitest';
import { condition, cpuTarget, harness, hpaEvents, hpaOf, replicasOf, trace } from './harness.ts';
import { NO_CUSTOM_METRICS, type CustomMetricsApi } from '../../../src/controllers/podautoscaler/metricsClient.ts';
import { parseHpaControllerConfig } from '../../../src/controllers/podautoscaler/config.ts';
import { FieldErrorList } from '../../../src/api/errors.ts';
import { goLabelSelector } from '../../../src/controllers/podautoscaler/horizontalController.ts';
import type { KObject } from '../../../src/sim/types.ts';

const busy = (total: number) => (_t: number, n: number) => (n > 0 ? total / n : 0);

describe('horizontal-pod-autoscaler controller', () => {
  it('first syncs one period after creation, then scales on cpu with upstream status, conditions and events', () => {
    const sim = harness({ hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50) }, perPodCpu: busy(500) });
    sim.runUntil(14_000);
    expect(hpaOf(sim).status).toBeUndefined();
    sim.runUntil(31_000);
    // 500m on one pod of 200m: 250% of request, 5x the 50% target; the legacy limit max(2×1, 4) = 4 applies.
    expect(replicasOf(sim)).toBe(4);
    const st = hpaOf(sim).status!;
    expect(st.currentReplicas).toBe(1);
    expect(st.desiredReplicas).toBe(4);
    expect(st.lastScaleTime).toBeDefined();
    expect(st.observedGeneration).toBe(1);
    expect(st.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 250, averageValue: '500m' } } }]);
    expect(condition(sim, 'AbleToScale')).toMatchObject({ status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 4' });
    expect(condition(sim, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)' });
    expect(condition(sim, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit', message: 'the desired replica count is increasing faster than the maximum scale rate' });
    expect(hpaEvents(sim)).toContain('SuccessfulRescale: New size: 4; reason: cpu resource utilization (percentage of request) above target');
    sim.runUntil(120_000);
    expect(replicasOf(sim)).toBe(5);
    expect(condition(sim, 'ScalingLimited')).toMatchObject({ status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' });
  });

  it('a cpu sample that does not cover a full window after readiness is set aside (cpu initialization period)', () => {
    // Pods are Ready at 2s; the 15s sample (window 15s) started before readiness: the pod is unready for cpu.
    const sim = harness({ hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50) }, perPodCpu: busy(500) });
    sim.runUntil(16_000);
    expect(condition(sim, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetResourceMetric', message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)' });
    expect(replicasOf(sim)).toBe(1);
  });

  it('reports missing metrics with upstream messages and does not scale', () => {
    const sim = harness({ hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50) }, perPodCpu: busy(500), startup: 600_000 });
    sim.runUntil(20_000);
    expect(condition(sim, 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'FailedGetResourceMetric',
      message: 'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    });
    expect(hpaEvents(sim)).toEqual([
      'FailedGetResourceMetric: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
      'FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    ]);
    expect(replicasOf(sim)).toBe(1);
  });

  it('waits the 5 minute downscale stabilization window before scaling down', () => {
    const sim = harness({ replicas: 5, hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50) }, perPodCpu: (t, n) => (t < 120_000 ? 500 / n : 0) });
    const r = trace(sim, 600_000);
    // Load stops at 2m; the recommendations of 5 recorded until then hold the size until they leave the window.
    const firstDown = r.findIndex((x) => x < 5);
    expect(firstDown).toBeGreaterThan(-1);
    expect((firstDown + 1) * 15_000).toBeGreaterThanOrEqual(120_000 + 300_000);
    expect(r[r.length - 1]).toBe(1);
    expect(hpaEvents(sim)).toContain('SuccessfulRescale: New size: 1; reason: All metrics below target');
  });

  it('behavior: a scale-down policy of 1 pod per minute limits the rate (ScaleDownLimit)', () => {
    const sim = harness({
      replicas: 6,
      hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50), behavior: { scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } },
      perPodCpu: () => 0,
    });
    sim.runUntil(46_000);
    expect(replicasOf(sim)).toBe(5);
    expect(condition(sim, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleDownLimit', message: 'the desired replica count is decreasing faster than the maximum scale rate' });
    sim.runUntil(200_000);
    expect(replicasOf(sim)).toBeGreaterThanOrEqual(3);
    expect(replicasOf(sim)).toBeLessThanOrEqual(4);
  });

  it('behavior: selectPolicy Disabled on scale-up keeps the size', () => {
    const sim = harness({ hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50), behavior: { scaleUp: { selectPolicy: 'Disabled' } } }, perPodCpu: busy(800) });
    sim.runUntil(120_000);
    expect(replicasOf(sim)).toBe(1);
    expect(condition(sim, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'ScaleUpLimit' });
  });

  it('scaling is disabled while the target has zero replicas', () => {
    const sim = harness({ replicas: 0, hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50) }, perPodCpu: busy(500) });
    sim.runUntil(40_000);
    expect(replicasOf(sim)).toBe(0);
    expect(condition(sim, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'ScalingDisabled', message: 'scaling is disabled since the replica count of the target is zero' });
  });

  it('clamps to maxReplicas (TooManyReplicas) and raises to minReplicas', () => {
    const sim = harness({ replicas: 1, hpa: { minReplicas: 2, maxReplicas: 3, metrics: cpuTarget(50) }, perPodCpu: busy(5000) });
    sim.runUntil(16_000);
    expect(replicasOf(sim)).toBe(2);
    expect(hpaEvents(sim)).toContain('SuccessfulRescale: New size: 2; reason: Current number of replicas below Spec.MinReplicas');
    sim.runUntil(90_000);
    expect(replicasOf(sim)).toBe(3);
    expect(condition(sim, 'ScalingLimited')).toMatchObject({ status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' });
  });

  it('a missing target: FailedGetScale with the NotFound message', () => {
    const sim = harness({ hpa: { minReplicas: 1, maxReplicas: 3, metrics: cpuTarget(50) }, perPodCpu: busy(0) });
    sim.store.patch('HorizontalPodAutoscaler', 'default', 'web', (d: Record<string, unknown>) => {
      (d['spec'] as Record<string, unknown>)['scaleTargetRef'] = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' };
    });
    sim.runUntil(40_000);
    expect(condition(sim, 'AbleToScale')).toMatchObject({ status: 'False', reason: 'FailedGetScale', message: 'the HPA controller was unable to get the target\'s current scale: deployments.apps "nope" not found' });
    expect(hpaEvents(sim)).toContain('FailedGetScale: deployments.apps "nope" not found');
  });

  it('several metrics: the largest proposal wins; an invalid metric blocks a scale-down but not a scale-up', () => {
    const qps: CustomMetricsApi = { ...NO_CUSTOM_METRICS, getExternalMetric: () => ({ values: [30_000], timestamp: 0 }) };
    const external = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10' } } };
    // cpu alone would keep 2 (50% at 50%); the queue (30 against 10) asks for 3 × ... -> the larger.
    const sim = harness({ replicas: 2, hpa: { minReplicas: 1, maxReplicas: 10, metrics: [...cpuTarget(50), external] }, perPodCpu: () => 100, customMetrics: qps });
    // At the first sync the pods' cpu samples do not yet cover a window after readiness (cpu invalid),
    // but the queue (30 against 10, 2 ready pods: ceil(3 × 2) = 6) may still scale up, to max(2×2, 4) = 4.
    sim.runUntil(16_000);
    expect(replicasOf(sim)).toBe(4);
    expect(condition(sim, 'ScalingActive')?.message).toBe('the HPA was able to successfully calculate a replica count from external metric queue(<nil>)');
    expect(hpaEvents(sim)).toContain('SuccessfulRescale: New size: 4; reason: external metric queue(<nil>) above target');

    // Scale-down blocked: cpu says 1, the external metric fails.
    const down = harness({ replicas: 5, hpa: { minReplicas: 1, maxReplicas: 10, metrics: [...cpuTarget(50), external] }, perPodCpu: () => 10 });
    down.runUntil(31_000);
    expect(replicasOf(down)).toBe(5);
    expect(condition(down, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'FailedGetExternalMetric' });
    expect(hpaEvents(down)).toContain(
      'FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 2), first error is: failed to get queue external metric value: failed to get external metric queue: unable to get external metric default/queue/<nil>: no metrics returned from external metrics API',
    );

    // Scale-up allowed: cpu says more, the external metric still fails.
    const up = harness({ replicas: 2, hpa: { minReplicas: 1, maxReplicas: 10, metrics: [...cpuTarget(50), external] }, perPodCpu: () => 300 });
    up.runUntil(31_000);
    expect(replicasOf(up)).toBe(4);
    expect(condition(up, 'ScalingActive')).toMatchObject({ status: 'True', reason: 'ValidMetricFound' });
  });

  it('two HPAs over the same pods: AmbiguousSelector, and neither scales', () => {
    const sim = harness({ replicas: 2, hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50) }, perPodCpu: () => 400 });
    sim.apply({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'another', namespace: 'default' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web' }, maxReplicas: 10 } } as KObject);
    sim.runUntil(46_000);
    expect(replicasOf(sim)).toBe(2);
    expect(condition(sim, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'AmbiguousSelector', message: 'pods by selector app=web are controlled by multiple HPAs: [default/another default/web]' });
  });

  it('an unknown metric source type is InvalidMetricSourceType (TestNoScaleDownOneMetricInvalid)', () => {
    // The API server rejects this type; upstream's test reaches the controller through a fake client, as this one skips admission.
    const sim = harness({ apiServer: false, replicas: 5, hpa: { minReplicas: 2, maxReplicas: 6, metrics: [...cpuTarget(50), { type: 'CheddarCheese' }] }, perPodCpu: () => 40 });
    sim.runUntil(31_000);
    expect(replicasOf(sim)).toBe(5);
    expect(condition(sim, 'ScalingActive')).toMatchObject({ status: 'False', reason: 'InvalidMetricSourceType', message: 'the HPA was unable to compute the replica count: unknown metric source type "CheddarCheese"' });
  });

  it('autoscaling/v1: targetCPUUtilizationPercentage converts to a cpu metric; status carries currentCPUUtilizationPercentage', () => {
    const sim = harness({ hpaApiVersion: 'autoscaling/v1', hpa: { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 }, perPodCpu: busy(300) });
    sim.runUntil(31_000);
    expect(replicasOf(sim)).toBe(3);
    const st = hpaOf(sim).status!;
    expect(st.currentCPUUtilizationPercentage).toBe(150);
    expect(st.conditions).toBeUndefined();
    expect(st.currentMetrics).toBeUndefined();
  });

  it('no metrics means 80% cpu (v2 defaulting)', () => {
    const sim = harness({ replicas: 2, hpa: { maxReplicas: 10 }, perPodCpu: () => 200 });
    sim.runUntil(31_000);
    // 100% against 80%: ceil(1.25 × 2) = 3
    expect(replicasOf(sim)).toBe(3);
  });

  it('behavior.scaleUp.tolerance (HPAConfigurableTolerance) scales on a 5% excess that the default 10% ignores', () => {
    const mk = (tolerance?: string) =>
      harness({ replicas: 10, hpa: { minReplicas: 1, maxReplicas: 20, metrics: cpuTarget(50), ...(tolerance ? { behavior: { scaleUp: { tolerance } } } : {}) }, perPodCpu: () => 106 });
    const plain = mk();
    plain.runUntil(31_000);
    expect(replicasOf(plain)).toBe(10);
    const tuned = mk('0.02');
    tuned.runUntil(31_000);
    expect(replicasOf(tuned)).toBe(11);
  });

  it('the sync period comes from spec.config.controllers.horizontalPodAutoscaler.syncPeriod', () => {
    const sim = harness({ hpa: { minReplicas: 1, maxReplicas: 10, metrics: cpuTarget(50) }, perPodCpu: busy(500), config: parseHpaControllerConfig({ syncPeriod: '30s' }) });
    sim.runUntil(29_000);
    expect(hpaOf(sim).status).toBeUndefined();
    sim.runUntil(31_000);
    expect(replicasOf(sim)).toBe(4);
  });

  it('bad controller settings are field errors with full paths', () => {
    let err: unknown;
    try {
      parseHpaControllerConfig({ syncPeriod: 'soon', tolerance: -1, bogus: 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FieldErrorList);
    const paths = (err as FieldErrorList).errors.map((e) => e.path).sort();
    expect(paths).toEqual([
      'spec.config.controllers.horizontalPodAutoscaler.bogus',
      'spec.config.controllers.horizontalPodAutoscaler.syncPeriod',
      'spec.config.controllers.horizontalPodAutoscaler.tolerance',
    ]);
  });

  it("prints metric selectors as Go's %+v of *metav1.LabelSelector", () => {
    expect(goLabelSelector(undefined)).toBe('<nil>');
    expect(goLabelSelector({ matchLabels: { b: '2', a: '1' } })).toBe('&LabelSelector{MatchLabels:map[string]string{a: 1,b: 2,},MatchExpressions:[]LabelSelectorRequirement{},}');
  });
});
