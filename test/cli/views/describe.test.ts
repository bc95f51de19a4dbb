import { describe, expect, it } from 'vitest';
import { describePod } from '../../../src/cli/views/describe.ts';
import { rfc1123z } from '../../../src/cli/views/describeWriter.ts';
import type { Pod } from 'kubernetes-types/core/v1';
import { at, event, fakeView } from './helpers.ts';

const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'web-1',
    namespace: 'default',
    uid: 'u1',
    creationTimestamp: at(0),
    labels: { app: 'web', tier: 'front' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7c9d5', uid: 'rs', controller: true }],
  },
  spec: {
    nodeName: 'node-1',
    priority: 0,
    serviceAccountName: 'default',
    containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } } }],
    tolerations: [
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ],
  },
  status: {
    phase: 'Running',
    hostIP: '172.18.0.2',
    podIP: '10.244.1.5',
    podIPs: [{ ip: '10.244.1.5' }],
    startTime: at(1),
    qosClass: 'Burstable',
    conditions: [
      { type: 'Initialized', status: 'True' },
      { type: 'Ready', status: 'True' },
      { type: 'PodScheduled', status: 'True' },
    ],
    containerStatuses: [{ name: 'nginx', image: 'nginx:1.27', imageID: 'docker.io/library/nginx@sha256:1', containerID: 'containerd://abc', ready: true, restartCount: 0, state: { running: { startedAt: at(2) } } }],
  },
};

const events = [
  event({ reason: 'Scheduled', message: 'Successfully assigned default/web-1 to node-1', firstTimestamp: 1000, lastTimestamp: 1000 }),
  event({ reason: 'Pulled', message: 'Container image "nginx:1.27" already present on machine', source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: 2000, lastTimestamp: 2000 }),
  event({ type: 'Warning', reason: 'Unhealthy', message: 'Readiness probe failed', source: { component: 'kubelet', host: 'node-1' }, firstTimestamp: 60_000, lastTimestamp: 240_000, count: 4 }),
  event({ reason: 'Scheduled', message: 'about another pod', involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-2' } }),
];

// Typed by hand in kubectl describe's layout: one tabwriter (2-space padding), blocks broken by lines without a tab.
const EXPECTED = `Name:             web-1
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/172.18.0.2
Start Time:       Wed, 01 Jan 2025 00:00:01 +0000
Labels:           app=web
                  tier=front
Annotations:      <none>
Status:           Running
IP:               10.244.1.5
IPs:
  IP:           10.244.1.5
Controlled By:  ReplicaSet/web-7c9d5
Containers:
  nginx:
    Container ID:   containerd://abc
    Image:          nginx:1.27
    Image ID:       docker.io/library/nginx@sha256:1
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Wed, 01 Jan 2025 00:00:02 +0000
    Ready:          True
    Restart Count:  0
    Limits:
      memory:  256Mi
    Requests:
      cpu:        100m
      memory:     128Mi
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  Initialized    True 
  Ready          True 
  PodScheduled   True 
Volumes:         <none>
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age               From               Message
  ----     ------     ----              ----               -------
  Normal   Scheduled  4m59s             default-scheduler  Successfully assigned default/web-1 to node-1
  Normal   Pulled     4m58s             kubelet            Container image "nginx:1.27" already present on machine
  Warning  Unhealthy  60s (x4 over 4m)  kubelet            Readiness probe failed
`;

describe('ksim describe pod: kubectl describe layout', () => {
  it('prints the sections, aligned as kubectl aligns them, with the Events table', () => {
    expect(describePod(fakeView([pod as never], events, 300_000), pod)).toBe(EXPECTED);
  });

  it('a pod with no events, no node: Node <none>, Events <none> aligned with the block above', () => {
    const pending: Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', creationTimestamp: at(0) }, spec: { containers: [] }, status: { phase: 'Pending' } };
    const text = describePod(fakeView([pending as never], [], 1000), pending);
    expect(text).toContain('Node:         <none>\n');
    expect(text).toContain('Containers: <none>\n');
    expect(text.endsWith('QoS Class:       BestEffort\nNode-Selectors:  <none>\nTolerations:     <none>\nEvents:          <none>\n')).toBe(true);
  });

  it('times in RFC 1123 with a numeric zone, weekday included', () => {
    expect(rfc1123z('2025-01-01T00:00:00Z')).toBe('Wed, 01 Jan 2025 00:00:00 +0000');
    expect(rfc1123z('2024-02-29T13:45:07Z')).toBe('Thu, 29 Feb 2024 13:45:07 +0000');
  });
});
