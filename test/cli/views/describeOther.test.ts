import { describe, expect, it } from 'vitest';
import { describeNamespace, describePodDisruptionBudget } from '../../../src/cli/views/describe.ts';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KObject } from '../../../src/sim/types.ts';
import { at, fakeView } from './helpers.ts';

// Typed by hand in kubectl describe's layout.
describe('ksim describe pdb and namespace', () => {
  it('PodDisruptionBudget: bound, selector, status counts', () => {
    const pdb: PodDisruptionBudget = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb', namespace: 'default', creationTimestamp: at(0) },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
    };
    expect(describePodDisruptionBudget(fakeView([pdb as unknown as KObject], [], 1000), pdb)).toBe(
      [
        'Name:           web-pdb',
        'Namespace:      default',
        'Min available:  2',
        'Selector:       app=web',
        'Status:',
        '    Allowed disruptions:  1',
        '    Current:              3',
        '    Desired:              2',
        '    Total:                3',
        'Events:                   <none>',
        '',
      ].join('\n'),
    );
  });

  it('Namespace: status, its quotas used/hard, no LimitRange', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', creationTimestamp: at(0) }, status: { phase: 'Active' } } as unknown as KObject;
    const quota = {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: 'team' },
      status: { hard: { pods: '10', 'requests.cpu': '4' }, used: { pods: '3', 'requests.cpu': '1500m' } },
    } as unknown as KObject;
    expect(describeNamespace(fakeView([ns, quota], [], 1000), ns)).toBe(
      [
        'Name:         team',
        'Labels:       <none>',
        'Annotations:  <none>',
        'Status:       Active',
        '',
        'Resource Quotas',
        '  Name:         compute',
        '  Resource      Used   Hard',
        '  --------      ---    ---',
        '  pods          3      10',
        '  requests.cpu  1500m  4',
        '',
        'No LimitRange resource.',
        '',
      ].join('\n'),
    );
  });
});
