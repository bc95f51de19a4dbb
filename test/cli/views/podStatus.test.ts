import type { Pod } from 'kubernetes-types/core/v1';
import { describe, expect, it } from 'vitest';
import { podStatusColumns } from '../../../src/cli/views/podStatus.ts';

const c = (name: string): { name: string; image: string } => ({ name, image: 'img' });

/** kubectl get pods READY/STATUS/RESTARTS for pods as the kubelet reports them (printers_test.go's TestPrintPod cases). */
const CASES: { name: string; pod: Pod; ready: string; status: string; restarts: number }[] = [
  { name: 'unscheduled', pod: { spec: { containers: [c('a')] }, status: { phase: 'Pending' } }, ready: '0/1', status: 'Pending', restarts: 0 },
  {
    name: 'scheduling gated',
    pod: { spec: { containers: [c('a')] }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } },
    ready: '0/1',
    status: 'SchedulingGated',
    restarts: 0,
  },
  {
    name: 'container creating',
    pod: { spec: { containers: [c('a')] }, status: { phase: 'Pending', containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } },
    ready: '0/1',
    status: 'ContainerCreating',
    restarts: 0,
  },
  {
    name: 'running, one of two ready, restarts summed',
    pod: {
      spec: { containers: [c('a'), c('b')] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', image: 'img', imageID: '', ready: true, restartCount: 3, state: { running: {} } },
          { name: 'b', image: 'img', imageID: '', ready: false, restartCount: 3, state: { running: {} } },
        ],
      },
    },
    ready: '1/2',
    status: 'Running',
    restarts: 6,
  },
  {
    name: 'crash loop: the waiting reason wins',
    pod: { spec: { containers: [c('a')] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } },
    ready: '0/1',
    status: 'CrashLoopBackOff',
    restarts: 5,
  },
  {
    name: 'terminated with a reason',
    pod: { spec: { containers: [c('a')] }, status: { phase: 'Failed', containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] } },
    ready: '0/1',
    status: 'OOMKilled',
    restarts: 0,
  },
  {
    name: 'terminated without a reason: the exit code',
    pod: { spec: { containers: [c('a')] }, status: { phase: 'Failed', containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1 } } }] } },
    ready: '0/1',
    status: 'ExitCode:1',
    restarts: 0,
  },
  {
    name: 'terminated by a signal',
    pod: { spec: { containers: [c('a')] }, status: { phase: 'Failed', containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, signal: 9 } } }] } },
    ready: '0/1',
    status: 'Signal:9',
    restarts: 0,
  },
  {
    name: 'completed',
    pod: { spec: { containers: [c('a')] }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } },
    ready: '0/1',
    status: 'Completed',
    restarts: 0,
  },
  {
    name: 'completed container while another runs: Running when the pod is Ready',
    pod: {
      spec: { containers: [c('a'), c('b')] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'a', image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'b', image: 'img', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
        ],
      },
    },
    ready: '1/2',
    status: 'Running',
    restarts: 0,
  },
  {
    name: 'completed container while another runs: NotReady otherwise',
    pod: {
      spec: { containers: [c('a'), c('b')] },
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'a', image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'b', image: 'img', imageID: '', ready: true, restartCount: 0, state: { running: {} } },
        ],
      },
    },
    ready: '1/2',
    status: 'NotReady',
    restarts: 0,
  },
  { name: 'evicted: status.reason', pod: { spec: { containers: [c('a')] }, status: { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' } }, ready: '0/1', status: 'Evicted', restarts: 0 },
  { name: 'kubelet rejection: status.reason', pod: { spec: { containers: [c('a')] }, status: { phase: 'Failed', reason: 'OutOfcpu' } }, ready: '0/1', status: 'OutOfcpu', restarts: 0 },
  {
    name: 'deleted, not terminal: Terminating',
    pod: { metadata: { deletionTimestamp: '2025-01-01T00:01:00Z' }, spec: { containers: [c('a')] }, status: { phase: 'Running', containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: true, restartCount: 0, state: { running: {} } }] } },
    ready: '1/1',
    status: 'Terminating',
    restarts: 0,
  },
  {
    name: 'deleted on an unreachable node: Unknown',
    pod: { metadata: { deletionTimestamp: '2025-01-01T00:01:00Z' }, spec: { containers: [c('a')] }, status: { phase: 'Running', reason: 'NodeLost' } },
    ready: '0/1',
    status: 'Unknown',
    restarts: 0,
  },
  {
    name: 'init container still running: Init:0/2',
    pod: {
      spec: { initContainers: [c('i1'), c('i2')], containers: [c('a')] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', image: 'img', imageID: '', ready: false, restartCount: 0, state: { running: {} } }] },
    },
    ready: '0/1',
    status: 'Init:0/2',
    restarts: 0,
  },
  {
    name: 'init container crash looping',
    pod: {
      spec: { initContainers: [c('i1')], containers: [c('a')] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', image: 'img', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    },
    ready: '0/1',
    status: 'Init:CrashLoopBackOff',
    restarts: 4,
  },
  {
    name: 'a started sidecar (restartable init container) counts in READY',
    pod: {
      spec: { initContainers: [{ ...c('side'), restartPolicy: 'Always' }], containers: [c('a')] },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'side', image: 'img', imageID: '', ready: true, started: true, restartCount: 1, state: { running: {} } }],
        containerStatuses: [{ name: 'a', image: 'img', imageID: '', ready: true, restartCount: 0, state: { running: {} } }],
      },
    },
    ready: '2/2',
    status: 'Running',
    restarts: 1,
  },
];

describe("kubectl get pods' READY, STATUS and RESTARTS", () => {
  it.each(CASES)('$name', ({ pod, ready, status, restarts }) => {
    const got = podStatusColumns(pod);
    expect({ ready: got.ready, status: got.status, restarts: got.restarts }).toEqual({ ready, status, restarts });
  });
});
