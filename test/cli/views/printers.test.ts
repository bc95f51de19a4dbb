import { describe, expect, it } from 'vitest';
import { runGet } from '../../../src/cli/views/get.ts';
import type { KObject } from '../../../src/sim/types.ts';
import { at, fakeView } from './helpers.ts';

const NOW = 600_000; // 10m

const ns = (o: Record<string, unknown>, name: string, extra: Record<string, unknown> = {}): KObject =>
  ({ ...o, metadata: { name, namespace: 'default', creationTimestamp: at(0), ...extra } }) as unknown as KObject;

const objects: KObject[] = [
  ns({ apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { replicas: 3 }, status: { replicas: 3, readyReplicas: 1 } }, 'web-abc'),
  ns({ apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { replicas: 3 }, status: { readyReplicas: 2 } }, 'db'),
  ns({ apiVersion: 'apps/v1', kind: 'DaemonSet', spec: { template: { spec: { nodeSelector: { role: 'log', os: 'linux' } } } }, status: { desiredNumberScheduled: 4, currentNumberScheduled: 4, numberReady: 3, updatedNumberScheduled: 4, numberAvailable: 3 } }, 'fluentd'),
  ns({ apiVersion: 'batch/v1', kind: 'Job', spec: { completions: 5 }, status: { succeeded: 5, startTime: at(0), completionTime: at(95), conditions: [{ type: 'Complete', status: 'True' }] } }, 'pi'),
  ns({ apiVersion: 'batch/v1', kind: 'Job', spec: { parallelism: 3 }, status: { succeeded: 0, startTime: at(300) } }, 'work'),
  ns({ apiVersion: 'batch/v1', kind: 'CronJob', spec: { schedule: '*/5 * * * *', suspend: false }, status: { active: [{ name: 'x' }], lastScheduleTime: at(300) } }, 'nightly'),
  ns({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, 'web-pdb'),
  ns({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', spec: { maxUnavailable: '25%' }, status: { disruptionsAllowed: 0 } }, 'db-pdb'),
  ns(
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      status: { currentReplicas: 4, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 63 } } }] },
    },
    'php-apache',
  ),
  ns({ apiVersion: 'v1', kind: 'ResourceQuota', status: { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi' }, used: { pods: '3', 'requests.cpu': '1500m' } } }, 'compute'),
  ns({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { volumeName: 'pv-1', storageClassName: 'standard' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }, 'data'),
  ns({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', spec: { storageClassName: 'standard' }, status: { phase: 'Pending' } }, 'waiting'),
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: 'standard', creationTimestamp: at(0), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: 'rancher.io/local-path',
    volumeBindingMode: 'WaitForFirstConsumer',
  } as unknown as KObject,
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high', creationTimestamp: at(0) }, value: 100000, preemptionPolicy: 'PreemptLowerPriority' } as unknown as KObject,
];

const view = fakeView(objects, [], NOW);
const table = (resource: string): string => runGet(view, { resource, names: [], namespace: 'default', output: 'table' }).stdout;

// Each expected table typed from kubectl's printers (printers.go): column names and cell formats.
describe("kubectl's printers for the workload, policy and storage kinds", () => {
  it('ReplicaSet, StatefulSet, DaemonSet', () => {
    expect(table('rs')).toBe('NAME      DESIRED   CURRENT   READY   AGE\nweb-abc   3         3         1       10m\n');
    expect(table('sts')).toBe('NAME   READY   AGE\ndb     2/3     10m\n');
    expect(table('ds')).toBe('NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR       AGE\nfluentd   4         4         3       4            3           os=linux,role=log   10m\n');
  });

  it('Job: STATUS, COMPLETIONS (n/m, n/1 of p), DURATION; CronJob: TIMEZONE <none>, SUSPEND False, LAST SCHEDULE', () => {
    expect(table('jobs')).toBe('NAME   STATUS     COMPLETIONS   DURATION   AGE\npi     Complete   5/5           95s        10m\nwork   Running    0/1 of 3      5m         10m\n');
    expect(table('cj')).toBe('NAME      SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\nnightly   */5 * * * *   <none>     False     1        5m              10m\n');
  });

  it('PDB: N/A for the unset bound; HPA: REFERENCE kind/name, TARGETS cpu: now/target', () => {
    expect(table('pdb')).toBe('NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\ndb-pdb    N/A             25%               0                     10m\nweb-pdb   2               N/A               1                     10m\n');
    expect(table('hpa')).toBe('NAME         REFERENCE               TARGETS        MINPODS   MAXPODS   REPLICAS   AGE\nphp-apache   Deployment/php-apache   cpu: 63%/50%   1         10        4          10m\n');
  });

  it('ResourceQuota: sorted used/hard, limits.* under LIMIT', () => {
    expect(table('quota')).toBe('NAME      AGE   REQUEST                             LIMIT\ncompute   10m   pods: 3/10, requests.cpu: 1500m/4   limits.memory: 0/8Gi\n');
  });

  it('PVC, StorageClass (default), PriorityClass', () => {
    expect(table('pvc')).toBe(
      'NAME      STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\ndata      Bound     pv-1     1Gi        RWO            standard       <unset>                 10m\nwaiting   Pending                                      standard       <unset>                 10m\n',
    );
    expect(table('sc')).toBe('NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE\nstandard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  10m\n');
    expect(table('pc')).toBe('NAME   VALUE    GLOBAL-DEFAULT   AGE   PREEMPTIONPOLICY\nhigh   100000   false            10m   PreemptLowerPriority\n');
  });
});
