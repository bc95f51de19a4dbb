import { describe, expect, it } from 'vitest';
import { describeDeployment } from '../../../src/cli/views/describe.ts';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { KObject } from '../../../src/sim/types.ts';
import { at, event, fakeView } from './helpers.ts';

const deployment: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'd1', creationTimestamp: at(0), labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: { requests: { cpu: '100m' } } }] } },
  },
  status: {
    replicas: 4,
    updatedReplicas: 2,
    readyReplicas: 3,
    availableReplicas: 3,
    unavailableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
    ],
  },
};

const rs = (name: string, revision: string): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: 'default', annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] },
  spec: { replicas: 2 },
  status: { replicas: 2 },
});

// Typed by hand in kubectl describe deployment's layout.
const EXPECTED = `Name:                   web
Namespace:              default
CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 2
Selector:               app=web
Replicas:               3 desired | 2 updated | 4 total | 3 available | 1 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:      nginx:1.27
    Port:       <none>
    Host Port:  <none>
    Requests:
      cpu:         100m
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    ReplicaSetUpdated
OldReplicaSets:  web-old (2/2 replicas created)
NewReplicaSet:   web-new (2/2 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  60s   deployment-controller  Scaled up replica set web-new from 0 to 1
`;

describe('ksim describe deployment: kubectl describe layout', () => {
  it('replicas, strategy, pod template, conditions, old and new ReplicaSets, Events', () => {
    const events = [
      event({
        reason: 'ScalingReplicaSet',
        message: 'Scaled up replica set web-new from 0 to 1',
        involvedObject: { kind: 'Deployment', namespace: 'default', name: 'web' },
        source: { component: 'deployment-controller' },
        firstTimestamp: 60_000,
        lastTimestamp: 60_000,
      }),
    ];
    const view = fakeView([deployment as unknown as KObject, rs('web-old', '1'), rs('web-new', '2')], events, 120_000);
    expect(describeDeployment(view, deployment)).toBe(EXPECTED);
  });
});
