// Nothing accepted is silently ignored: stored-only kinds, fields that act in a real
// cluster but not in ksim, and scheduler configuration without effect are each said once.
import { describe, expect, it } from 'vitest';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { kindInfo } from '../../src/api/discovery.ts';

const load = (text: string) => loadScenarioFromText([{ file: 'n.yaml', text }]).warnings;

describe('not modelled', () => {
  it('stored-only kinds: one line per kind, with a count and examples', () => {
    const cms = Array.from({ length: 5 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {a: b}\n`).join('---\n');
    const w = load(cms);
    expect(w).toEqual(['5 ConfigMaps (default/cm-0, default/cm-1, default/cm-2, and 2 more) stored but not reconciled: kept as data; ksim runs no containers to mount or read them']);
  });

  it('the kinds table: modelled means reconciled, accepted means stored', () => {
    expect(kindInfo('Deployment')).toMatchObject({ accepted: true, modelled: true });
    expect(kindInfo('ConfigMap')).toMatchObject({ accepted: true });
    expect(kindInfo('ConfigMap')?.modelled).toBeUndefined();
    expect(kindInfo('Ingress')?.accepted).toBeUndefined();
  });

  it('fields that act in a real cluster but not in ksim, in pods and pod templates', () => {
    const w = load(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      runtimeClassName: gvisor\n      containers: [{name: app, image: nginx, lifecycle: {postStart: {exec: {command: [sh]}}}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: lb}\nspec: {type: LoadBalancer, ports: [{port: 80}]}\n`,
    );
    expect(w).toContain('Deployment spec.template.spec.runtimeClassName is not modelled (default/web): the RuntimeClass admission plugin does not run (no pod overhead or scheduling constraints from the class)');
    expect(w).toContain('Deployment spec.template.spec.containers[].lifecycle.postStart is not modelled (default/web): postStart hooks are not run; a container starts as if it had none');
    expect(w).toContain('Service spec.type is not modelled (default/lb): no node ports or load balancers are allocated');
  });

  it('a ClusterIP service is not flagged for its type', () => {
    const w = load(`apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n`);
    expect(w.some((x) => x.includes('spec.type'))).toBe(false);
  });

  it('scheduler configuration accepted but without effect', () => {
    const w = load(
      `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\nparallelism: 32\nextenders: [{urlPrefix: "http://x", filterVerb: filter}]\n`,
    );
    expect(w).toEqual([
      'KubeSchedulerConfiguration extenders is accepted but not modelled: scheduler extenders (HTTP webhooks) are not called',
      'KubeSchedulerConfiguration parallelism is accepted but not modelled: ksim evaluates nodes one at a time; the decisions are those of any parallelism',
    ]);
  });
});

describe('spec.config.controllers sections', () => {
  it('a section no controller reads is an error at its path, not silence', () => {
    expect(() =>
      loadScenarioFromText([{ file: 'c.yaml', text: `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: c}\nspec:\n  config:\n    controllers:\n      nodeLifecylce: {nodeMonitorGracePeriod: 40s}\n` }]),
    ).toThrow(/spec\.config\.controllers\.nodeLifecylce: Unknown field/);
    expect(loadScenarioFromText([{ file: 'c.yaml', text: `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: c}\nspec:\n  config:\n    controllers:\n      nodeLifecycle: {nodeMonitorGracePeriod: 40s}\n` }]).config.controllers).toEqual({
      nodeLifecycle: { nodeMonitorGracePeriod: '40s' },
    });
  });
});
