import { describe, expect, it } from 'vitest';
import { runGet, type GetRequest } from '../../../src/cli/views/get.ts';
import type { KObject } from '../../../src/sim/types.ts';
import { at, event, fakeView } from './helpers.ts';

const NOW = 3600_000; // an hour into the run

const objects: KObject[] = [
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-7c9d5-abcde', namespace: 'default', creationTimestamp: at(0), labels: { app: 'web' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'nginx', image: 'nginx' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.1.5',
      podIPs: [{ ip: '10.244.1.5' }],
      containerStatuses: [
        { name: 'nginx', image: 'nginx', imageID: '', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: at(3000) } } },
      ],
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'huge', namespace: 'default', creationTimestamp: at(3550) },
    spec: { containers: [{ name: 'batch', image: 'batch' }] },
    status: { phase: 'Pending', nominatedNodeName: 'node-2' },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'coredns', namespace: 'kube-system', creationTimestamp: at(0) },
    spec: { containers: [{ name: 'dns', image: 'dns' }] },
    status: { phase: 'Pending' },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', creationTimestamp: at(0) },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-1', creationTimestamp: at(0), labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '' } },
    spec: { unschedulable: true },
    status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.33.0' } as never },
  },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-2', creationTimestamp: at(-3 * 86400 - 7200) },
    status: { conditions: [{ type: 'Ready', status: 'Unknown' }], nodeInfo: { kubeletVersion: 'v1.33.0' } as never },
  },
];

const events = [
  event({ type: 'Warning', reason: 'FailedScheduling', message: '0/2 nodes are available: 2 Insufficient cpu.', involvedObject: { kind: 'Pod', namespace: 'default', name: 'huge' }, firstTimestamp: 3_550_000, lastTimestamp: 3_590_000, count: 3 }),
];

const view = fakeView(objects, events, NOW);
const get = (req: Partial<GetRequest> & Pick<GetRequest, 'resource'>) => runGet(view, { names: [], namespace: 'default', output: 'table', ...req });

// Expected text typed from kubectl's formats (columns, 3-space gaps, HumanDuration ages), not produced by ksim.
describe('ksim get: kubectl get tables', () => {
  it('pods: READY, STATUS, RESTARTS with the last restart, AGE', () => {
    expect(get({ resource: 'pods' }).stdout).toBe(
      [
        'NAME              READY   STATUS    RESTARTS      AGE',
        'huge              0/1     Pending   0             50s',
        'web-7c9d5-abcde   1/1     Running   2 (10m ago)   60m',
        '',
      ].join('\n'),
    );
  });

  it('pods -o wide: IP, NODE, NOMINATED NODE, READINESS GATES', () => {
    expect(get({ resource: 'po', output: 'wide' }).stdout).toBe(
      [
        'NAME              READY   STATUS    RESTARTS      AGE   IP           NODE     NOMINATED NODE   READINESS GATES',
        'huge              0/1     Pending   0             50s   <none>       <none>   node-2           <none>',
        'web-7c9d5-abcde   1/1     Running   2 (10m ago)   60m   10.244.1.5   node-1   <none>           <none>',
        '',
      ].join('\n'),
    );
  });

  it('-A adds NAMESPACE first', () => {
    expect(get({ resource: 'pod', namespace: undefined, fieldSelector: 'status.phase=Pending' }).stdout).toBe(
      ['NAMESPACE     NAME      READY   STATUS    RESTARTS   AGE', 'default       huge      0/1     Pending   0          50s', 'kube-system   coredns   0/1     Pending   0          60m', ''].join('\n'),
    );
  });

  it('deployments: READY UP-TO-DATE AVAILABLE', () => {
    expect(get({ resource: 'deploy' }).stdout).toBe(['NAME   READY   UP-TO-DATE   AVAILABLE   AGE', 'web    2/3     3            2           60m', ''].join('\n'));
  });

  it('nodes: Ready,SchedulingDisabled, roles sorted, <none>, Unknown, days and hours', () => {
    expect(get({ resource: 'nodes' }).stdout).toBe(
      [
        'NAME     STATUS                     ROLES                  AGE    VERSION',
        'node-1   Ready,SchedulingDisabled   control-plane,worker   60m    v1.33.0',
        'node-2   Unknown                    <none>                 3d3h   v1.33.0',
        '',
      ].join('\n'),
    );
  });

  it('several kinds: kind/name rows, one table each, a blank line between', () => {
    expect(get({ resource: 'deploy,no', names: [] }).stdout).toBe(
      [
        'NAME                  READY   UP-TO-DATE   AVAILABLE   AGE',
        'deployment.apps/web   2/3     3            2           60m',
        '',
        'NAME          STATUS                     ROLES                  AGE    VERSION',
        'node/node-1   Ready,SchedulingDisabled   control-plane,worker   60m    v1.33.0',
        'node/node-2   Unknown                    <none>                 3d3h   v1.33.0',
        '',
      ].join('\n'),
    );
  });

  it('events: LAST SEEN TYPE REASON OBJECT MESSAGE', () => {
    expect(get({ resource: 'events' }).stdout).toBe(
      ['LAST SEEN   TYPE      REASON             OBJECT     MESSAGE', '10s         Warning   FailedScheduling   pod/huge   0/2 nodes are available: 2 Insufficient cpu.', ''].join('\n'),
    );
  });

  it('events -o wide: SUBOBJECT, SOURCE, FIRST SEEN, COUNT and the Event name', () => {
    const lines = get({ resource: 'ev', output: 'wide' }).stdout.split('\n');
    expect(lines[0]).toBe('LAST SEEN   TYPE      REASON             OBJECT     SUBOBJECT   SOURCE              MESSAGE                                        FIRST SEEN   COUNT   NAME');
    // The name is <object>.<hex of the first time in Unix nanoseconds>, as client-go names Events.
    expect(lines[1]).toBe('10s         Warning   FailedScheduling   pod/huge               default-scheduler   0/2 nodes are available: 2 Insufficient cpu.   50s          3       huge.18166bb94cd42c00');
  });

  it("kubectl's messages: nothing found, not found, unknown type", () => {
    expect(get({ resource: 'pods', namespace: 'prod' })).toEqual({ stdout: '', stderr: 'No resources found in prod namespace.\n', exitCode: 0 });
    expect(get({ resource: 'pods', names: ['x'] })).toEqual({ stdout: '', stderr: 'Error from server (NotFound): pods "x" not found\n', exitCode: 1 });
    expect(get({ resource: 'deployment/nope' }).stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(() => get({ resource: 'widgets' })).toThrow('the server doesn\'t have a resource type "widgets"');
    expect(() => get({ resource: 'pods', fieldSelector: 'spec.bogus=1' })).toThrow('field label not supported: spec.bogus');
  });

  it('"all" is kubectl\'s category: pods, ..., deployments, ... each as kind/name', () => {
    expect(get({ resource: 'all', output: 'name' }).stdout).toBe('pod/huge\npod/web-7c9d5-abcde\ndeployment.apps/web\n');
  });

  it('--sort-by a field path (missing values first), with or without braces', () => {
    expect(get({ resource: 'pods', output: 'name', sortBy: '.spec.nodeName' }).stdout).toBe('pod/huge\npod/web-7c9d5-abcde\n');
    expect(get({ resource: 'pods', output: 'name', sortBy: '{.metadata.creationTimestamp}', namespace: undefined }).stdout).toBe('pod/web-7c9d5-abcde\npod/coredns\npod/huge\n');
    expect(() => get({ resource: 'pods', sortBy: '.items[*].x' })).toThrow('only a field path such as .metadata.name is supported');
  });

  it('-o name and a label selector', () => {
    expect(get({ resource: 'pods', output: 'name', labelSelector: 'app=web' }).stdout).toBe('pod/web-7c9d5-abcde\n');
    expect(get({ resource: 'deploy', output: 'name' }).stdout).toBe('deployment.apps/web\n');
  });

  it('-o json of one object: keys sorted, 4-space indent; several: a v1 List', () => {
    const one = JSON.parse(get({ resource: 'deploy', names: ['web'], output: 'json' }).stdout) as Record<string, unknown>;
    expect(Object.keys(one)).toEqual(['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    expect(get({ resource: 'deploy', names: ['web'], output: 'json' }).stdout.split('\n')[1]).toBe('    "apiVersion": "apps/v1",');
    const list = JSON.parse(get({ resource: 'pods', output: 'json' }).stdout) as { kind: string; items: unknown[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(2);
    expect(get({ resource: 'deploy', names: ['web'], output: 'yaml' }).stdout.startsWith('apiVersion: apps/v1\nkind: Deployment\n')).toBe(true);
  });
});
