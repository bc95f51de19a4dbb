/**
 * The API server's HPA defaulting and validation (autoscaling strategy): one
 * row per rule of upstream's pkg/apis/autoscaling/validation, in the style of
 * its validation_test.go error cases (same object names), with upstream's
 * messages.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/sim/simulation.ts';
import { startApiServer } from '../../../src/components.ts';
import type { KObject } from '../../../src/sim/types.ts';
import { isApiError } from '../../../src/sim/errors.ts';
import { validateHorizontalPodAutoscaler } from '../../../src/controllers/podautoscaler/admission.ts';
import { formatFieldError } from '../../../src/api/errors.ts';

const ref = { apiVersion: 'apps/v1', kind: 'ReplicationController', name: 'myrc' };
const cpu = (target: Record<string, unknown>) => ({ type: 'Resource', resource: { name: 'cpu', target } });
const hpa = (spec: Record<string, unknown>, apiVersion = 'autoscaling/v2'): KObject => ({ apiVersion, kind: 'HorizontalPodAutoscaler', metadata: { name: 'myautoscaler', namespace: 'default' }, spec: { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, ...spec } });
const msgs = (o: KObject) => validateHorizontalPodAutoscaler(o).map(formatFieldError);

describe('HPA validation (validation_test.go error cases)', () => {
  const rows: Array<[string, Record<string, unknown>, string]> = [
    ['missing kind', { scaleTargetRef: { name: 'myrc' } }, 'spec.scaleTargetRef.kind: Required value'],
    ['invalid kind', { scaleTargetRef: { kind: '..', name: 'myrc' } }, `spec.scaleTargetRef.kind: Invalid value: "..": may not be '..'`],
    ['missing name', { scaleTargetRef: { kind: 'ReplicationController' } }, 'spec.scaleTargetRef.name: Required value'],
    ['invalid name', { scaleTargetRef: { kind: 'ReplicationController', name: '%%' } }, `spec.scaleTargetRef.name: Invalid value: "%%": may not contain '%'`],
    ['minReplicas 0 without HPAScaleToZero', { minReplicas: 0 }, 'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'],
    ['maxReplicas below minReplicas', { minReplicas: 7, maxReplicas: 5 }, 'spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`'],
    ['maxReplicas 0', { minReplicas: 1, maxReplicas: 0 }, 'spec.maxReplicas: Invalid value: 0: must be greater than 0'],
    ['utilization below 1', { metrics: [cpu({ type: 'Utilization', averageUtilization: -10 })] }, 'spec.metrics[0].resource.target.averageUtilization: Invalid value: -10: must be greater than 0'],
    ['no resource target', { metrics: [cpu({ type: 'Utilization' })] }, 'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization'],
    ['both resource targets', { metrics: [cpu({ type: 'Utilization', averageUtilization: 70, averageValue: '100' })] }, 'spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization'],
    ['bad target type', { metrics: [cpu({ type: 'Bogus', averageUtilization: 70 })] }, 'spec.metrics[0].resource.target.type: Invalid value: "Bogus": must be either Utilization, Value, or AverageValue'],
    ['pods without averageValue', { metrics: [{ type: 'Pods', pods: { metric: { name: 'somemetric' }, target: { type: 'Value', value: '100' } } }] }, 'spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue'],
    ['pods without a name', { metrics: [{ type: 'Pods', pods: { metric: {}, target: { type: 'AverageValue', averageValue: '100' } } }] }, 'spec.metrics[0].pods.metric.name: Required value: must specify a metric name'],
    ['object without a target', { metrics: [{ type: 'Object', object: { describedObject: { kind: 'ReplicationController', name: 'myrc' }, metric: { name: 'x' }, target: { type: 'Value' } } }] }, 'spec.metrics[0].object.target.averageValue: Required value: must set either a target value or averageValue'],
    ['external with both targets', { metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '1', averageValue: '1' } } }] }, 'spec.metrics[0].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target'],
    ['negative value', { metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '-1' } } }] }, 'spec.metrics[0].external.target.value: Invalid value: "-1": must be positive'],
    ['type without its source', { metrics: [{ type: 'Resource' }] }, 'spec.metrics[0].resource: Required value: must populate information for the given metric source'],
    ['two sources', { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } }, pods: { metric: { name: 'x' }, target: { type: 'AverageValue', averageValue: '1' } } }] }, 'spec.metrics[0].pods: Forbidden: must populate the given metric source only'],
    ['unknown type', { metrics: [{ type: 'CheddarCheese' }] }, 'spec.metrics[0].type: Unsupported value: "CheddarCheese": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'],
    ['container resource without container', { metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }, 'spec.metrics[0].containerResource.container: Required value: must specify a container'],
    ['stabilization window too long', { behavior: { scaleUp: { stabilizationWindowSeconds: 3601, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }, 'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600'],
    ['negative stabilization window', { behavior: { scaleDown: { stabilizationWindowSeconds: -1, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }, 'spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero'],
    ['empty policies', { behavior: { scaleUp: { policies: [] } } }, 'spec.behavior.scaleUp.policies: Required value: must specify at least one Policy'],
    ['policy period too long', { behavior: { scaleUp: { policies: [{ type: 'Pods', value: 1, periodSeconds: 1801 }] } } }, 'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800'],
    ['policy value 0', { behavior: { scaleDown: { policies: [{ type: 'Percent', value: 0, periodSeconds: 60 }] } } }, 'spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero'],
    ['unknown policy type', { behavior: { scaleDown: { policies: [{ type: 'Nodes', value: 1, periodSeconds: 60 }] } } }, 'spec.behavior.scaleDown.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"'],
    ['unknown selectPolicy', { behavior: { scaleDown: { selectPolicy: 'Average', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }, 'spec.behavior.scaleDown.selectPolicy: Unsupported value: "Average": supported values: "Disabled", "Max", "Min"'],
    ['negative tolerance', { behavior: { scaleUp: { tolerance: '-0.1', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }, 'spec.behavior.scaleUp.tolerance: Invalid value: "-0.1": must be greater than or equal to 0'],
  ];
  for (const [name, spec, message] of rows) {
    it(name, () => expect(msgs(hpa(spec))).toContain(message));
  }

  it('accepts a valid autoscaler', () => {
    expect(msgs(hpa({ metrics: [cpu({ type: 'Utilization', averageUtilization: 70 })], behavior: { scaleUp: { tolerance: '0.05', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } } }))).toEqual([]);
  });

  it('an autoscaling/v1 target below 1 is reported at the internal path', () => {
    expect(msgs(hpa({ targetCPUUtilizationPercentage: 0 }, 'autoscaling/v1'))).toContain('spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0');
  });
});

describe('HPA admission in the API server', () => {
  const sim = (): Simulation => {
    const s = Simulation.create({ seed: 1 });
    startApiServer(s);
    return s;
  };

  it('defaults minReplicas, the 80% cpu metric and a partial behavior (scale-down window left to the controller flag)', () => {
    const s = sim();
    s.apply({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { scaleTargetRef: ref, maxReplicas: 3, behavior: { scaleDown: { selectPolicy: 'Min' } } } } as KObject);
    const spec = (s.get('HorizontalPodAutoscaler', 'default', 'a') as unknown as { spec: Record<string, unknown> }).spec;
    expect(spec['minReplicas']).toBe(1);
    expect(spec['metrics']).toEqual([cpu({ type: 'Utilization', averageUtilization: 80 })]);
    expect(spec['behavior']).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleDown: { selectPolicy: 'Min', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    });
  });

  it('rejects an invalid autoscaler with the API server Invalid error', () => {
    const s = sim();
    let err: unknown;
    try {
      s.apply(hpa({ minReplicas: 3, maxReplicas: 2 }));
    } catch (e) {
      err = e;
    }
    expect(isApiError(err, 'Invalid')).toBe(true);
    expect((err as Error).message).toBe('HorizontalPodAutoscaler.autoscaling "myautoscaler" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`');
  });
});
