/**
 * ResourceQuota evaluators and admission: upstream's tables from
 * pkg/quota/v1/evaluator/core/pods_test.go (TestPodConstraintsFunc,
 * TestPodEvaluatorUsage), services_test.go and persistent_volume_claims_test.go
 * ported as data, scope matching (podMatchesScopeFunc), and CheckRequest's
 * three error forms word for word through the API server.
 */
import { describe, expect, it } from 'vitest';
import type { Pod, ResourceQuota } from 'kubernetes-types/core/v1';
import { podConstraints, podEvaluator, podMatchesScope, pvcUsage, serviceUsage, evaluatorFor, quotaMatches } from '../../src/admission/resourcequota/evaluators.ts';
import { checkRequest } from '../../src/admission/resourcequota/admission.ts';
import { mapToList } from '../../src/admission/resourcequota/resources.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';

type RL = Record<string, string>;
const ctr = (name: string, requests: RL = {}, limits: RL = {}) => ({ name, resources: { requests, limits } });

describe('pod evaluator (pods_test.go)', () => {
  const constraintCases: Array<[string, Pod, string[], string | undefined]> = [
    ['init container resource missing', { spec: { containers: [], initContainers: [ctr('dummy', { cpu: '1m' }, { cpu: '2m' })] } }, ['memory'], 'must specify memory for: dummy'],
    ['multiple init container resource missing', { spec: { containers: [], initContainers: [ctr('foo', { cpu: '1m' }, { cpu: '2m' }), ctr('bar', { cpu: '1m' }, { cpu: '2m' })] } }, ['memory'], 'must specify memory for: bar,foo'],
    ['container resource missing', { spec: { containers: [ctr('dummy', { cpu: '1m' }, { cpu: '2m' })] } }, ['memory'], 'must specify memory for: dummy'],
    ['multiple container resource missing', { spec: { containers: [ctr('foo', { cpu: '1m' }, { cpu: '2m' }), ctr('bar', { cpu: '1m' }, { cpu: '2m' })] } }, ['memory'], 'must specify memory for: bar,foo'],
    ['container resource missing multiple', { spec: { containers: [ctr('foo'), ctr('bar')] } }, ['memory', 'cpu'], 'must specify cpu for: bar,foo; memory for: bar,foo'],
    ['limits required', { spec: { containers: [ctr('app', { cpu: '1', memory: '1Gi' })] } }, ['limits.cpu', 'limits.memory', 'pods'], 'must specify limits.cpu for: app; limits.memory for: app'],
    ['nothing missing', { spec: { containers: [ctr('app', { cpu: '1' }, { cpu: '1' })] } }, ['requests.cpu', 'limits.cpu', 'pods', 'count/pods'], undefined],
  ];
  it.each(constraintCases)('Constraints: %s', (_name, pod, required, err) => {
    expect(podConstraints(required, pod)).toBe(err);
  });

  const past = '2024-12-31T23:58:00Z'; // two grace periods before the clock below
  const clock = { nowUnixMs: Date.UTC(2025, 0, 1) };
  const usageCases: Array<[string, Pod, RL]> = [
    ['init container CPU', { spec: { containers: [], initContainers: [ctr('i', { cpu: '1m' }, { cpu: '2m' })] } }, { 'count/pods': '1', cpu: '1m', 'limits.cpu': '2m', pods: '1', 'requests.cpu': '1m' }],
    ['init container MEM', { spec: { containers: [], initContainers: [ctr('i', { memory: '1m' }, { memory: '2m' })] } }, { 'count/pods': '1', 'limits.memory': '2m', memory: '1m', pods: '1', 'requests.memory': '1m' }],
    [
      'init container local ephemeral storage',
      { spec: { containers: [], initContainers: [ctr('i', { 'ephemeral-storage': '32Mi' }, { 'ephemeral-storage': '64Mi' })] } },
      { 'count/pods': '1', 'ephemeral-storage': '32Mi', 'limits.ephemeral-storage': '64Mi', pods: '1', 'requests.ephemeral-storage': '32Mi' },
    ],
    ['init container hugepages', { spec: { containers: [], initContainers: [ctr('i', { 'hugepages-2Mi': '100Mi' })] } }, { 'count/pods': '1', 'hugepages-2Mi': '100Mi', pods: '1', 'requests.hugepages-2Mi': '100Mi' }],
    ['init container extended resources', { spec: { containers: [], initContainers: [ctr('i', { 'example.com/dongle': '3' }, { 'example.com/dongle': '3' })] } }, { 'count/pods': '1', pods: '1', 'requests.example.com/dongle': '3' }],
    [
      'container implicit extended resources',
      { spec: { containers: [ctr('c', { 'deviceclass.resource.kubernetes.io/dongle': '3' }, { 'deviceclass.resource.kubernetes.io/dongle': '3' })] } },
      { 'count/pods': '1', pods: '1', 'requests.deviceclass.resource.kubernetes.io/dongle': '3' },
    ],
    ['container CPU', { spec: { containers: [ctr('c', { cpu: '1m' }, { cpu: '2m' })] } }, { 'count/pods': '1', cpu: '1m', 'limits.cpu': '2m', pods: '1', 'requests.cpu': '1m' }],
    ['container hugepages', { spec: { containers: [ctr('c', { 'hugepages-2Mi': '100Mi' })] } }, { 'count/pods': '1', 'hugepages-2Mi': '100Mi', pods: '1', 'requests.hugepages-2Mi': '100Mi' }],
    ['container extended resources', { spec: { containers: [ctr('c', { 'example.com/dongle': '3' }, { 'example.com/dongle': '3' })] } }, { 'count/pods': '1', pods: '1', 'requests.example.com/dongle': '3' }],
    ['terminated generic count still appears', { spec: { containers: [ctr('c', { 'example.com/dongle': '3' }, { 'example.com/dongle': '3' })] }, status: { phase: 'Succeeded' } }, { 'count/pods': '1' }],
    [
      'init container maximums override sum of containers',
      {
        spec: {
          initContainers: [ctr('i1', { cpu: '4', memory: '100M', 'example.com/dongle': '4' }, { cpu: '8', memory: '200M', 'example.com/dongle': '4' }), ctr('i2', { cpu: '1', memory: '50M', 'example.com/dongle': '2' }, { cpu: '2', memory: '100M', 'example.com/dongle': '2' })],
          containers: [ctr('c1', { cpu: '1', memory: '50M', 'example.com/dongle': '1' }, { cpu: '2', memory: '100M', 'example.com/dongle': '1' }), ctr('c2', { cpu: '2', memory: '25M', 'example.com/dongle': '2' }, { cpu: '5', memory: '50M', 'example.com/dongle': '2' })],
        },
      },
      { 'count/pods': '1', cpu: '4', 'limits.cpu': '8', 'limits.memory': '200M', memory: '100M', pods: '1', 'requests.cpu': '4', 'requests.example.com/dongle': '4', 'requests.memory': '100M' },
    ],
    ['pod deletion timestamp exceeded', { metadata: { deletionTimestamp: past, deletionGracePeriodSeconds: 30 }, spec: { containers: [ctr('c', { cpu: '1' }, { cpu: '2' })] } }, { 'count/pods': '1' }],
    ['pod deletion timestamp not exceeded', { metadata: { deletionTimestamp: '2025-01-01T00:00:00Z', deletionGracePeriodSeconds: 30 }, spec: { containers: [ctr('c', { cpu: '1' }, { cpu: '2' })] } }, { 'count/pods': '1', cpu: '1', 'limits.cpu': '2', pods: '1', 'requests.cpu': '1' }],
    ['pod overhead counts', { spec: { overhead: { cpu: '250m', memory: '120Mi' }, containers: [ctr('c', { cpu: '1', memory: '1Gi' }, { cpu: '2', memory: '1Gi' })] } }, { 'count/pods': '1', cpu: '1250m', 'limits.cpu': '2250m', 'limits.memory': '1144Mi', memory: '1144Mi', pods: '1', 'requests.cpu': '1250m', 'requests.memory': '1144Mi' }],
  ];
  it.each(usageCases)('Usage: %s', (_name, pod, want) => {
    expect(mapToList(podEvaluator.usage(pod as KObject, clock))).toEqual(want);
  });

  it('MatchingResources: standard names, requests.hugepages-*, requests.<extended>', () => {
    expect(podEvaluator.matchingResources(['pods', 'count/pods', 'requests.cpu', 'hugepages-2Mi', 'requests.hugepages-2Mi', 'requests.nvidia.com/gpu', 'nvidia.com/gpu', 'services', 'requests.storage'])).toEqual([
      'pods',
      'count/pods',
      'requests.cpu',
      'requests.hugepages-2Mi',
      'requests.nvidia.com/gpu',
    ]);
  });

  const scopeCases: Array<[string, Pod, { scopeName: string; operator: string; values?: string[] }, boolean]> = [
    ['BestEffort matches no resources', { spec: { containers: [ctr('c')] } }, { scopeName: 'BestEffort', operator: 'Exists' }, true],
    ['NotBestEffort with a request', { spec: { containers: [ctr('c', { cpu: '1' })] } }, { scopeName: 'NotBestEffort', operator: 'Exists' }, true],
    ['BestEffort with a request', { spec: { containers: [ctr('c', { cpu: '1' })] } }, { scopeName: 'BestEffort', operator: 'Exists' }, false],
    ['Terminating with activeDeadlineSeconds', { spec: { activeDeadlineSeconds: 60, containers: [ctr('c')] } }, { scopeName: 'Terminating', operator: 'Exists' }, true],
    ['NotTerminating without', { spec: { containers: [ctr('c')] } }, { scopeName: 'NotTerminating', operator: 'Exists' }, true],
    ['PriorityClass In', { spec: { priorityClassName: 'high', containers: [ctr('c')] } }, { scopeName: 'PriorityClass', operator: 'In', values: ['high', 'medium'] }, true],
    ['PriorityClass NotIn', { spec: { priorityClassName: 'high', containers: [ctr('c')] } }, { scopeName: 'PriorityClass', operator: 'NotIn', values: ['high'] }, false],
    ['PriorityClass Exists without a class', { spec: { containers: [ctr('c')] } }, { scopeName: 'PriorityClass', operator: 'Exists' }, false],
    ['PriorityClass DoesNotExist never matches (the key is always present)', { spec: { containers: [ctr('c')] } }, { scopeName: 'PriorityClass', operator: 'DoesNotExist' }, false],
    [
      'CrossNamespacePodAffinity with a namespace selector',
      { spec: { containers: [ctr('c')], affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'zone', namespaceSelector: {} }] } } } },
      { scopeName: 'CrossNamespacePodAffinity', operator: 'Exists' },
      true,
    ],
    [
      'CrossNamespacePodAffinity with same-namespace terms only',
      { spec: { containers: [ctr('c')], affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'zone' } }] } } } },
      { scopeName: 'CrossNamespacePodAffinity', operator: 'Exists' },
      false,
    ],
  ];
  it.each(scopeCases)('scope: %s', (_name, pod, sel, want) => {
    expect(podMatchesScope(sel, pod)).toBe(want);
  });
});

describe('service and claim evaluators', () => {
  it('services: NodePort counts ports, LoadBalancer one balancer and its node ports unless not allocated', () => {
    expect(mapToList(serviceUsage({ spec: { ports: [{ port: 80 }] } }))).toEqual({ 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '0' });
    expect(mapToList(serviceUsage({ spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] } }))).toMatchObject({ 'services.nodeports': '2' });
    expect(mapToList(serviceUsage({ spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } }))).toMatchObject({ 'services.loadbalancers': '1', 'services.nodeports': '1' });
    expect(mapToList(serviceUsage({ spec: { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ port: 80 }] } }))).toMatchObject({ 'services.nodeports': '0' });
  });
  it('claims: storage rounded up to whole units, charged to the class (annotation first)', () => {
    expect(mapToList(pvcUsage({ spec: { storageClassName: 'gold', resources: { requests: { storage: '10Gi' } } } }))).toEqual({
      'count/persistentvolumeclaims': '1',
      'gold.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'gold.storageclass.storage.k8s.io/requests.storage': '10Gi',
      persistentvolumeclaims: '1',
      'requests.storage': '10Gi',
    });
    expect(mapToList(pvcUsage({ metadata: { annotations: { 'volume.beta.kubernetes.io/storage-class': 'silver' } }, spec: { storageClassName: 'gold', resources: { requests: { storage: '1500m' } } } }))).toMatchObject({
      'requests.storage': '2',
      'silver.storageclass.storage.k8s.io/requests.storage': '2',
    });
    expect(evaluatorFor('PersistentVolumeClaim').matchingResources(['gold.storageclass.storage.k8s.io/requests.storage', 'requests.storage', 'requests.cpu'])).toEqual(['gold.storageclass.storage.k8s.io/requests.storage', 'requests.storage']);
  });
  it('object counts: count/<resource>.<group>, and the legacy bare names', () => {
    expect(evaluatorFor('Deployment', 'apps/v1').matchingResources(['count/deployments.apps', 'pods'])).toEqual(['count/deployments.apps']);
    expect(mapToList(evaluatorFor('ConfigMap', 'v1').usage({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }))).toEqual({ configmaps: '1', 'count/configmaps': '1' });
  });
  it('a quota with scopes never matches services (no scopes for them)', () => {
    const q: ResourceQuota = { spec: { scopes: ['BestEffort'] }, status: { hard: { services: '1' }, used: { services: '0' } } };
    expect(quotaMatches(evaluatorFor('Service'), q, { apiVersion: 'v1', kind: 'Service', metadata: {} })).toBe(false);
  });
});

describe('CheckRequest', () => {
  const quota = (name: string, hard: RL, used: RL, spec: Partial<ResourceQuota['spec']> = {}) =>
    ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec: { hard, ...spec }, status: { hard, used } }) as KObject & ResourceQuota;
  const pod = (name: string, containers: unknown[], extra: Record<string, unknown> = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers, ...extra } }) as KObject;
  const create = (object: KObject) => ({ operation: 'CREATE' as const, kind: object.kind, object });

  it('exceeded quota: only the exceeded names, sorted', () => {
    const q = quota('mem-cpu-demo', { 'requests.memory': '1Gi', 'requests.cpu': '2', pods: '10' }, { 'requests.memory': '600Mi', 'requests.cpu': '1', pods: '1' });
    expect(() => checkRequest(create(pod('p', [ctr('app', { memory: '700Mi', cpu: '500m' })])), [q])).toThrow(
      'pods "p" is forbidden: exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi',
    );
    const two = quota('compute', { 'requests.memory': '1Gi', 'requests.cpu': '1' }, { 'requests.memory': '600Mi', 'requests.cpu': '1' });
    expect(() => checkRequest(create(pod('p', [ctr('app', { memory: '700Mi', cpu: '500m' })])), [two])).toThrow(
      'exceeded quota: compute, requested: requests.cpu=500m,requests.memory=700Mi, used: requests.cpu=1,requests.memory=600Mi, limited: requests.cpu=1,requests.memory=1Gi',
    );
  });

  it('failed quota: must specify, and status unknown', () => {
    const q = quota('q', { 'limits.cpu': '2', 'limits.memory': '2Gi' }, { 'limits.cpu': '0', 'limits.memory': '0' });
    expect(() => checkRequest(create(pod('p', [ctr('app', { cpu: '1', memory: '1Gi' })])), [q])).toThrow('pods "p" is forbidden: failed quota: q: must specify limits.cpu for: app; limits.memory for: app');
    const unknown = quota('q', { pods: '2' }, {});
    expect(() => checkRequest(create(pod('p', [ctr('app')])), [unknown])).toThrow('pods "p" is forbidden: status unknown for quota: q, resources: pods');
  });

  it('every matching quota is checked; scoped quotas only for pods in scope; new used is returned', () => {
    const all = quota('all', { pods: '5' }, { pods: '1' });
    const be = quota('best-effort', { pods: '1' }, { pods: '1' }, { scopes: ['BestEffort'] });
    expect(checkRequest(create(pod('p', [ctr('app', { cpu: '100m' })])), [all, be]).map((c) => [c.name, mapToList(c.used)])).toEqual([['all', { pods: '2' }]]);
    expect(() => checkRequest(create(pod('p', [ctr('app')])), [all, be])).toThrow('exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1');
  });

  it('a quota without status (never synced) restricts nothing; terminal pods are not charged on update paths', () => {
    const fresh = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '0' } } } as KObject & ResourceQuota;
    expect(checkRequest(create(pod('p', [ctr('app')])), [fresh])).toEqual([]);
  });

  it('updates charge only the growth (services going NodePort)', () => {
    const q = quota('svc', { 'services.nodeports': '1', services: '5' }, { 'services.nodeports': '1', services: '1' });
    const old = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'default', resourceVersion: '5' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }] } } as KObject;
    const next = { ...old, spec: { type: 'NodePort', ports: [{ port: 80 }] } } as KObject;
    expect(() => checkRequest({ operation: 'UPDATE', kind: 'Service', object: next, oldObject: old }, [q])).toThrow(
      'services "s" is forbidden: exceeded quota: svc, requested: services.nodeports=1, used: services.nodeports=1, limited: services.nodeports=1',
    );
  });
});

describe('ResourceQuota in the API server and the resource quota controller', () => {
  function sim(): Simulation {
    const s = Simulation.create({ seed: 3 });
    startComponents(s, {});
    return s;
  }
  const q = (hard: RL, spec: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'compute', namespace: 'default' }, spec: { hard, ...spec } });
  const pod = (name: string, extra: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'app', image: 'nginx' }], ...extra } });

  it('the controller syncs status; admission charges in-flight usage in one instant; create clears a given status', () => {
    const s = sim();
    s.apply({ ...q({ pods: '2', 'count/deployments.apps': '1' }), status: { hard: { pods: '100' }, used: { pods: '0' } } });
    expect(s.get('ResourceQuota', 'default', 'compute')!['status']).toBeUndefined();
    s.runUntil(1000);
    expect(s.get('ResourceQuota', 'default', 'compute')!['status']).toEqual({ hard: { 'count/deployments.apps': '1', pods: '2' }, used: { 'count/deployments.apps': '0', pods: '0' } });
    s.apply([pod('a'), pod('b')]);
    expect(s.get('ResourceQuota', 'default', 'compute')!['status']).toMatchObject({ used: { pods: '2' } });
    expect(() => s.apply(pod('c'))).toThrow('pods "c" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2');
    s.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd1', namespace: 'default' }, spec: { replicas: 0, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } });
    expect(() => s.apply({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd2', namespace: 'default' }, spec: { replicas: 0, selector: { matchLabels: { a: 'c' } }, template: { metadata: { labels: { a: 'c' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } })).toThrow(
      'deployments.apps "d2" is forbidden: exceeded quota: compute, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1',
    );
  });

  it('pods reaching a terminal phase or deleted give their quota back (replenishment), and the 5 min resync recounts', () => {
    const s = sim();
    s.apply({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } } });
    s.apply(q({ pods: '2' }));
    s.runUntil(1000);
    s.apply([pod('short', { restartPolicy: 'Never', terminationGracePeriodSeconds: 0 }), pod('long', { terminationGracePeriodSeconds: 0 })]);
    s.store.patch('Pod', 'default', 'short', (d) => void ((d as { metadata: { annotations?: Record<string, string> } }).metadata.annotations = { 'ksim.dev/run-duration': '10s' }));
    s.runUntil(60_000);
    expect(s.get('Pod', 'default', 'short')!['status']).toMatchObject({ phase: 'Succeeded' });
    expect(s.get('ResourceQuota', 'default', 'compute')!['status']).toMatchObject({ used: { pods: '1' } });
    s.store.delete('Pod', 'default', 'long', { gracePeriodSeconds: 0 });
    s.runUntil(120_000);
    expect(s.get('ResourceQuota', 'default', 'compute')!['status']).toMatchObject({ used: { pods: '0' } });
    // A status written behind the controller's back is corrected at the next full resync (5 min).
    s.store.patch('ResourceQuota', 'default', 'compute', (d) => void ((d as unknown as { status: { used: RL } }).status.used = { pods: '2' }), { subresource: 'status' });
    s.runUntil(299_000);
    expect(s.get('ResourceQuota', 'default', 'compute')!['status']).toMatchObject({ used: { pods: '2' } });
    s.runUntil(301_000);
    expect(s.get('ResourceQuota', 'default', 'compute')!['status']).toMatchObject({ used: { pods: '0' } });
  });
});

describe('replenishment only where the informer has a quota (replenishQuota returns at once otherwise)', () => {
  it('a pod deleted in a namespace without quota queues nothing; one with a quota queues its replenishment, as quotas come and go', () => {
    const s = Simulation.create({ seed: 3 });
    startComponents(s, {});
    const queue = s.runtime.queueOf('resourcequota-controller')!;
    const key = (ns: string): string => `replenish|${ns}|Pod`;
    const queued = (ns: string): boolean => queue.isQueued(key(ns)) || queue.isProcessing(key(ns));
    s.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } }]);
    const quota = (ns: string, name: string): KObject => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: ns }, spec: { hard: { pods: '5' } } });
    const pod = (ns: string, name: string): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns }, spec: { containers: [{ name: 'app', image: 'nginx' }] } });
    const deleteAndDeliver = (ns: string, name: string): boolean => {
      s.apply(pod(ns, name));
      s.runUntil(s.now + 100);
      s.store.delete('Pod', ns, name, { gracePeriodSeconds: 0 });
      // The deletion reaches the informer one watch latency later; the key is queued then, taken at once.
      s.runUntil(s.now + 1);
      return queued(ns);
    };
    expect(deleteAndDeliver('other', 'a')).toBe(false);
    s.apply([quota('default', 'q1'), quota('default', 'q2')]);
    s.runUntil(s.now + 100);
    expect(deleteAndDeliver('default', 'b')).toBe(true);
    expect(deleteAndDeliver('other', 'c')).toBe(false);
    // One of two quotas gone: the namespace still has one.
    s.store.delete('ResourceQuota', 'default', 'q1');
    s.runUntil(s.now + 100);
    expect(deleteAndDeliver('default', 'd')).toBe(true);
    s.store.delete('ResourceQuota', 'default', 'q2');
    s.runUntil(s.now + 100);
    expect(deleteAndDeliver('default', 'e')).toBe(false);
    // A quota created in the other namespace: its replenishment starts.
    s.apply(quota('other', 'q3'));
    s.runUntil(s.now + 100);
    expect(deleteAndDeliver('other', 'f')).toBe(true);
    s.runUntil(s.now + 100);
    expect(s.get('ResourceQuota', 'other', 'q3')!['status']).toMatchObject({ used: { pods: '0' } });
  });

  it('a counted kind (ConfigMap) deleted in a namespace without quota queues nothing; with a quota its count is replenished', () => {
    const s = Simulation.create({ seed: 3 });
    startComponents(s, {});
    const queue = s.runtime.queueOf('resourcequota-controller')!;
    const queued = (ns: string): boolean => queue.isQueued(`replenish|${ns}|ConfigMap`) || queue.isProcessing(`replenish|${ns}|ConfigMap`);
    s.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } }]);
    const cm = (ns: string, name: string): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: 'b' } });
    const deleteAndDeliver = (ns: string, name: string): boolean => {
      s.apply(cm(ns, name));
      s.runUntil(s.now + 100);
      s.store.delete('ConfigMap', ns, name);
      s.runUntil(s.now + 1);
      return queued(ns);
    };
    expect(deleteAndDeliver('other', 'a')).toBe(false);
    s.apply({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'objects', namespace: 'default' }, spec: { hard: { 'count/configmaps': '5' } } });
    s.runUntil(s.now + 100);
    s.apply([cm('default', 'keep'), cm('default', 'gone')]);
    s.runUntil(s.now + 100);
    expect(s.get('ResourceQuota', 'default', 'objects')!['status']).toMatchObject({ used: { 'count/configmaps': '2' } });
    s.store.delete('ConfigMap', 'default', 'gone');
    s.runUntil(s.now + 1);
    expect(queued('default')).toBe(true);
    expect(deleteAndDeliver('other', 'b')).toBe(false);
    s.runUntil(s.now + 100);
    expect(s.get('ResourceQuota', 'default', 'objects')!['status']).toMatchObject({ used: { 'count/configmaps': '1' } });
  });
});

describe('spec.hard names (ValidateResourceQuotaResourceName) and loader warnings', () => {
  it('a name without a domain must be a standard quota resource', () => {
    const s = Simulation.create({ seed: 1 });
    startComponents(s, {});
    expect(() => s.apply({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '1', gpus: '2', 'requests.hugepages-2Mi': '1Gi' } } })).toThrow(
      'ResourceQuota "q" is invalid: spec.hard[gpus]: Invalid value: "gpus": must be a standard resource for quota',
    );
  });
  it('names with a domain that nothing counts are warned about at load', async () => {
    const { loadScenarioFromText } = await import('../../src/scenario/load.ts');
    const loaded = loadScenarioFromText([
      {
        file: 'q.yaml',
        text: `apiVersion: v1
kind: ResourceQuota
metadata: {name: q, namespace: default}
spec: {hard: {requests.nvidia.com/gpu: "2", nvidia.com/gpu: "2", count/deployments.apps: "1", count/widgets.example.com: "1"}}
`,
      },
    ]);
    expect(loaded.warnings.filter((w) => w.includes('ResourceQuota default/q'))).toEqual([
      expect.stringContaining('ResourceQuota default/q: spec.hard[count/widgets.example.com] is not a resource any quota evaluator counts'),
      expect.stringContaining('ResourceQuota default/q: spec.hard[nvidia.com/gpu] is not a resource any quota evaluator counts'),
    ]);
  });
});

describe('quota scope validation (validateResourceQuotaScopes, validateScopeSelector)', () => {
  const s = Simulation.create({ seed: 1 });
  startComponents(s, {});
  const make = (name: string, spec: Record<string, unknown>) => () => s.apply({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace: 'default' }, spec });
  it('BestEffort quotas count pods only; conflicting and unknown scopes', () => {
    expect(make('a', { hard: { pods: '1', cpu: '1' }, scopes: ['BestEffort'] })).toThrow(
      'ResourceQuota "a" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort"}: unsupported scope applied to resource',
    );
    expect(make('b', { hard: { pods: '1' }, scopes: ['BestEffort', 'NotBestEffort'] })).toThrow(
      'ResourceQuota "b" is invalid: spec.scopes: Invalid value: []core.ResourceQuotaScope{"BestEffort", "NotBestEffort"}: conflicting scopes',
    );
    expect(make('c', { hard: { pods: '1' }, scopes: ['Sometimes'] })).toThrow('spec.scopes: Invalid value: []core.ResourceQuotaScope{"Sometimes"}: unsupported scope');
    expect(make('ok', { hard: { pods: '1', 'requests.cpu': '1' }, scopes: ['NotBestEffort', 'Terminating'] })).not.toThrow();
  });
  it('scope selector operators and values', () => {
    expect(make('d', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } })).toThrow(
      "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
    );
    expect(make('e', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }] } })).toThrow(
      'spec.scopeSelector.matchExpressions.operator: Invalid value: "In": must be \'Exist\' when scope is any of ResourceQuotaScopeTerminating',
    );
    expect(make('f', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Exists', values: ['high'] }] } })).toThrow(
      'spec.scopeSelector.matchExpressions.values: Invalid value: []string{"high"}: must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector',
    );
    expect(make('ok2', { hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } })).not.toThrow();
  });
});
