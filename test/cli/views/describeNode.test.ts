import { describe, expect, it } from 'vitest';
import { describeNode } from '../../../src/cli/views/describe.ts';
import type { Node } from 'kubernetes-types/core/v1';
import type { KObject } from '../../../src/sim/types.ts';
import { at, fakeView } from './helpers.ts';

const node: Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'node-1', creationTimestamp: at(0), labels: { 'kubernetes.io/hostname': 'node-1', 'node-role.kubernetes.io/worker': '', zone: 'a' } },
  spec: { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
  status: {
    conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: at(60), lastTransitionTime: at(0), reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
    addresses: [
      { type: 'InternalIP', address: '172.18.0.2' },
      { type: 'Hostname', address: 'node-1' },
    ],
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
    nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'containerd://1.7', kubeletVersion: 'v1.33.0', kubeProxyVersion: '' },
  },
};

const pods: KObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: at(0) },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
    status: { phase: 'Running' },
  },
  // Terminated pods are not listed, nor counted in the allocation.
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'done', namespace: 'default', creationTimestamp: at(0) },
    spec: { nodeName: 'node-1', containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] },
    status: { phase: 'Succeeded' },
  },
];

// Typed by hand in kubectl describe node's layout (one tabwriter: the System Info block runs on through the pod table).
const EXPECTED = [
  'Name:               node-1',
  'Roles:              worker',
  'Labels:             kubernetes.io/hostname=node-1',
  '                    node-role.kubernetes.io/worker=',
  '                    zone=a',
  'Annotations:        <none>',
  'CreationTimestamp:  Wed, 01 Jan 2025 00:00:00 +0000',
  'Taints:             <none>',
  'Unschedulable:      false',
  'Conditions:',
  '  Type    Status  LastHeartbeatTime                 LastTransitionTime                Reason         Message',
  '  ----    ------  -----------------                 ------------------                ------         -------',
  '  Ready   True    Wed, 01 Jan 2025 00:01:00 +0000   Wed, 01 Jan 2025 00:00:00 +0000   KubeletReady   kubelet is posting ready status',
  'Addresses:',
  '  InternalIP:  172.18.0.2',
  '  Hostname:    node-1',
  'Capacity:',
  '  cpu:     4',
  '  memory:  8Gi',
  '  pods:    110',
  'Allocatable:',
  '  cpu:     4',
  '  memory:  8Gi',
  '  pods:    110',
  'System Info:',
  '  Machine ID:                 ',
  '  System UUID:                ',
  '  Boot ID:                    ',
  '  Kernel Version:             ',
  '  OS Image:                   ',
  '  Operating System:           linux',
  '  Architecture:               amd64',
  '  Container Runtime Version:  containerd://1.7',
  '  Kubelet Version:            v1.33.0',
  '  Kube-Proxy Version:         ',
  'PodCIDR:                      10.244.1.0/24',
  'PodCIDRs:                     10.244.1.0/24',
  'Non-terminated Pods:          (1 in total)',
  '  Namespace                   Name     CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age',
  '  ---------                   ----     ------------  ----------  ---------------  -------------  ---',
  '  default                     web-1    100m (2%)     0 (0%)      128Mi (1%)       0 (0%)         90s',
  'Allocated resources:',
  '  (Total limits may be over 100 percent, i.e., overcommitted.)',
  '  Resource           Requests    Limits',
  '  --------           --------    ------',
  '  cpu                100m (2%)   0 (0%)',
  '  memory             128Mi (1%)  0 (0%)',
  '  ephemeral-storage  0 (0%)      0 (0%)',
  'Events:              <none>',
  '',
].join('\n');

describe('ksim describe node: kubectl describe layout', () => {
  it('conditions, addresses, capacity, system info, non-terminated pods, allocated resources', () => {
    expect(describeNode(fakeView([node as unknown as KObject, ...pods], [], 90_000), node)).toBe(EXPECTED);
  });
});
