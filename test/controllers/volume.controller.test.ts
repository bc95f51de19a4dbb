/**
 * The PV controller's binding, the simulated external provisioner and the
 * scheduler's wait for bindings, on small clusters through the whole control
 * plane.
 */
import { describe, expect, it } from 'vitest';
import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents, type ClusterConfig } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';
import { FieldErrorList } from '../../src/api/errors.ts';

type PVC = PersistentVolumeClaim & KObject;
type PV = PersistentVolume & KObject;

function setup(config: ClusterConfig = {}, nodes = 2): Simulation {
  const sim = Simulation.create({ seed: 5 });
  startComponents(sim, config);
  for (let i = 0; i < nodes; i++) {
    sim.apply({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `n${i}`, labels: { 'kubernetes.io/hostname': `n${i}`, 'topology.kubernetes.io/zone': `zone-${i}` } },
      status: { capacity: { cpu: '4', memory: '8Gi', pods: '110' } },
    });
  }
  return sim;
}

function sc(name: string, extra: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name }, provisioner: 'ebs.csi.aws.com', ...extra };
}

function claim(name: string, spec: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'default' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec } };
}

function volume(name: string, size: string, extra: Record<string, unknown> = {}): KObject {
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name }, spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], storageClassName: 'manual', hostPath: { path: '/data' }, ...extra } };
}

function podUsing(name: string, claimName: string): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }] },
  };
}

const getClaim = (sim: Simulation, n: string) => sim.get<PVC>('PersistentVolumeClaim', 'default', n)!;
const getPV = (sim: Simulation, n: string) => sim.get<PV>('PersistentVolume', '', n);
const claimEvents = (sim: Simulation, n: string) => sim.events().filter((e) => e.involvedObject.kind === 'PersistentVolumeClaim' && e.involvedObject.name === n).map((e) => `${e.type} ${e.reason} ${e.message}`);

describe('PV controller: static binding', () => {
  it('binds a claim to the smallest fitting Available volume of its class, with upstream annotations and phases', () => {
    const sim = setup();
    sim.apply(volume('big', '10Gi'));
    sim.apply(volume('small', '2Gi'));
    sim.apply(volume('other-class', '1Gi', { storageClassName: 'gold' }));
    sim.runUntil(1000);
    expect(getPV(sim, 'small')?.status?.phase).toBe('Available');
    sim.apply(claim('c1', { storageClassName: 'manual' }));
    sim.runUntil(2000);
    const c = getClaim(sim, 'c1');
    expect(c.spec?.volumeName).toBe('small');
    expect(c.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes' });
    expect(c.status).toMatchObject({ phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '2Gi' } });
    const v = getPV(sim, 'small')!;
    expect(v.status?.phase).toBe('Bound');
    expect(v.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect(v.spec?.claimRef).toMatchObject({ kind: 'PersistentVolumeClaim', namespace: 'default', name: 'c1', uid: c.metadata.uid });
    expect(getPV(sim, 'big')?.status?.phase).toBe('Available');
  });

  it('a claim naming its volume (pre-bound) binds without bound-by-controller on the claim', () => {
    const sim = setup();
    sim.apply(volume('mine', '5Gi'));
    sim.apply(claim('c1', { storageClassName: 'manual', volumeName: 'mine' }));
    sim.runUntil(2000);
    const c = getClaim(sim, 'c1');
    expect(c.status?.phase).toBe('Bound');
    expect(c.metadata.annotations).toEqual({ 'pv.kubernetes.io/bind-completed': 'yes' });
    expect(getPV(sim, 'mine')?.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
  });

  it('a claim without class and no volume: FailedBinding, Pending; a volume created later binds at the next 15 s sync', () => {
    const sim = setup();
    sim.apply(claim('c1', { storageClassName: '' }));
    sim.runUntil(1000);
    expect(claimEvents(sim, 'c1')).toEqual(['Normal FailedBinding no persistent volumes available for this claim and no storage class is set']);
    expect(getClaim(sim, 'c1').status?.phase).toBe('Pending');
    sim.apply(volume('late', '1Gi', { storageClassName: '' }));
    sim.runUntil(5000);
    expect(getClaim(sim, 'c1').status?.phase).toBe('Pending');
    sim.runUntil(20_000);
    expect(getClaim(sim, 'c1').status?.phase).toBe('Bound');
  });

  it('a bound claim whose volume is deleted is Lost, with a ClaimLost warning', () => {
    const sim = setup();
    sim.apply(volume('v', '1Gi'));
    sim.apply(claim('c1', { storageClassName: 'manual' }));
    sim.runUntil(2000);
    expect(getClaim(sim, 'c1').status?.phase).toBe('Bound');
    sim.store.delete('PersistentVolume', '', 'v');
    sim.runUntil(4000);
    expect(getClaim(sim, 'c1').status?.phase).toBe('Lost');
    expect(claimEvents(sim, 'c1')).toEqual(['Warning ClaimLost Bound claim has lost its PersistentVolume. Data on the volume is lost!']);
  });

  it('reclaim: Retain leaves the volume Released, Delete removes a provisioned one', () => {
    const sim = setup();
    sim.apply(volume('kept', '1Gi', { persistentVolumeReclaimPolicy: 'Retain' }));
    sim.apply(claim('c1', { storageClassName: 'manual' }));
    sim.runUntil(2000);
    sim.store.delete('PersistentVolumeClaim', 'default', 'c1');
    sim.runUntil(4000);
    expect(getPV(sim, 'kept')?.status?.phase).toBe('Released');
  });
});

describe('dynamic provisioning', () => {
  it('Immediate: ExternalProvisioning, Provisioning, then after provisioningLatency a pvc-<uid> volume with allowedTopologies affinity', () => {
    const sim = setup({ controllers: { volume: { provisioningLatency: '5s' } } });
    sim.apply(sc('fast', { allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['zone-1'] }] }] }));
    sim.apply(claim('c1', { storageClassName: 'fast' }));
    sim.runUntil(4000);
    const c0 = getClaim(sim, 'c1');
    expect(c0.status?.phase).toBe('Pending');
    expect(c0.metadata.annotations?.['volume.kubernetes.io/storage-provisioner']).toBe('ebs.csi.aws.com');
    expect(c0.metadata.annotations?.['volume.beta.kubernetes.io/storage-provisioner']).toBe('ebs.csi.aws.com');
    sim.runUntil(10_000);
    const c = getClaim(sim, 'c1');
    const name = `pvc-${c.metadata.uid}`;
    expect(c.spec?.volumeName).toBe(name);
    expect(c.status?.phase).toBe('Bound');
    expect(claimEvents(sim, 'c1')).toEqual([
      "Normal ExternalProvisioning Waiting for a volume to be created either by the external provisioner 'ebs.csi.aws.com' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
      'Normal Provisioning External provisioner is provisioning volume for claim "default/c1"',
      `Normal ProvisioningSucceeded Successfully provisioned volume ${name}`,
    ]);
    const v = getPV(sim, name)!;
    expect(v.metadata.creationTimestamp).toBe('2025-01-01T00:00:05Z');
    expect(v.metadata.annotations?.['pv.kubernetes.io/provisioned-by']).toBe('ebs.csi.aws.com');
    expect(v.spec).toMatchObject({ persistentVolumeReclaimPolicy: 'Delete', storageClassName: 'fast', capacity: { storage: '1Gi' }, csi: { driver: 'ebs.csi.aws.com' } });
    expect(v.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-1'] }] }]);
    // Delete reclaim: the claim goes, the volume follows.
    sim.store.delete('PersistentVolumeClaim', 'default', 'c1');
    sim.runUntil(30_000);
    expect(getPV(sim, name)).toBeUndefined();
  });

  it('WaitForFirstConsumer: no consumer yet, then the pod is bound only after its claim is, on the node the volume was made for', () => {
    const sim = setup({ controllers: { volume: { provisioningLatency: '20s' } } });
    sim.apply(sc('wait', { volumeBindingMode: 'WaitForFirstConsumer', metadata: { name: 'wait', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }));
    // No storageClassName: DefaultStorageClass admission gives it the default.
    sim.apply(claim('data'));
    sim.runUntil(3000);
    expect(getClaim(sim, 'data').spec?.storageClassName).toBe('wait');
    expect(claimEvents(sim, 'data')).toEqual(['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);
    sim.apply(podUsing('app', 'data'));
    sim.runUntil(10_000);
    const selected = getClaim(sim, 'data').metadata.annotations?.['volume.kubernetes.io/selected-node'];
    expect(selected).toMatch(/^n[01]$/);
    // Provisioning takes 20 s: PreBind holds the pod until the claim is bound.
    expect(sim.get<Pod & KObject>('Pod', 'default', 'app')?.spec?.nodeName).toBeUndefined();
    sim.runUntil(40_000);
    const pod = sim.get<Pod & KObject>('Pod', 'default', 'app')!;
    expect(pod.spec?.nodeName).toBe(selected);
    expect(pod.status?.phase).toBe('Running');
    const pv = getPV(sim, getClaim(sim, 'data').spec!.volumeName!)!;
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [selected === 'n0' ? 'zone-0' : 'zone-1'] }] }]);
  });

  it('PreBind gives up after bindTimeoutSeconds: binding volumes: context deadline exceeded', () => {
    const scheduler = {
      apiVersion: 'kubescheduler.config.k8s.io/v1',
      kind: 'KubeSchedulerConfiguration',
      profiles: [{ schedulerName: 'default-scheduler', pluginConfig: [{ name: 'VolumeBinding', args: { bindTimeoutSeconds: 5 } }] }],
    };
    const sim = setup({ scheduler, controllers: { volume: { provisioningLatency: '1h' } } });
    sim.apply(sc('wait', { volumeBindingMode: 'WaitForFirstConsumer' }));
    sim.apply(claim('data', { storageClassName: 'wait' }));
    sim.apply(podUsing('app', 'data'));
    sim.runUntil(20_000);
    const failed = sim.events().filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'app').map((e) => e.message);
    expect(failed[0]).toBe('running PreBind plugin "VolumeBinding": binding volumes: context deadline exceeded');
    expect(sim.get<Pod & KObject>('Pod', 'default', 'app')?.spec?.nodeName).toBeUndefined();
  });

  it('a class that does not exist, and the no-provisioner class, report ProvisioningFailed', () => {
    const sim = setup();
    sim.apply(sc('local', { provisioner: 'kubernetes.io/no-provisioner' }));
    sim.apply(claim('a', { storageClassName: 'missing' }));
    sim.apply(claim('b', { storageClassName: 'local' }));
    sim.runUntil(2000);
    expect(claimEvents(sim, 'a')).toEqual(['Warning ProvisioningFailed storageclass.storage.k8s.io "missing" not found']);
    expect(claimEvents(sim, 'b')).toEqual(['Warning ProvisioningFailed no volume plugin matched name: kubernetes.io/no-provisioner']);
  });

  it('RetroactiveDefaultStorageClass: a class-less claim created before any default gets it later', () => {
    const sim = setup();
    sim.apply(claim('early'));
    sim.runUntil(1000);
    expect(getClaim(sim, 'early').spec?.storageClassName).toBeUndefined();
    sim.apply(sc('std', { metadata: { name: 'std', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }));
    sim.runUntil(40_000);
    const c = getClaim(sim, 'early');
    expect(c.spec?.storageClassName).toBe('std');
    expect(c.status?.phase).toBe('Bound');
  });

  it('a bad provisioningLatency is a clear configuration error', () => {
    expect(() => setup({ controllers: { volume: { provisioningLatency: 'soon' } } })).toThrow(FieldErrorList);
    expect(() => setup({ controllers: { volume: { latency: '1s' } } })).toThrow('spec.config.controllers.volume.latency');
  });
});

describe('WaitForFirstConsumer with static local volumes', () => {
  it('the scheduler picks the node of a matching local volume, PreBind writes its claimRef, the PV controller completes the binding', () => {
    const sim = setup();
    sim.apply(sc('local', { provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' }));
    sim.apply(
      volume('local-n1', '10Gi', {
        storageClassName: 'local',
        local: { path: '/mnt/disks/a' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } },
      }),
    );
    sim.apply(claim('data', { storageClassName: 'local' }));
    sim.runUntil(2000);
    // The controller leaves delayed-binding claims to the scheduler.
    expect(getClaim(sim, 'data').status?.phase).toBe('Pending');
    expect(claimEvents(sim, 'data')).toEqual(['Normal WaitForFirstConsumer waiting for first consumer to be created before binding']);
    sim.apply(podUsing('app', 'data'));
    sim.runUntil(20_000);
    const pod = sim.get<Pod & KObject>('Pod', 'default', 'app')!;
    expect(pod.spec?.nodeName).toBe('n1');
    expect(pod.status?.phase).toBe('Running');
    const c = getClaim(sim, 'data');
    expect(c.spec?.volumeName).toBe('local-n1');
    expect(c.status?.phase).toBe('Bound');
    expect(getPV(sim, 'local-n1')?.metadata.annotations?.['pv.kubernetes.io/bound-by-controller']).toBe('yes');
    expect(getPV(sim, 'local-n1')?.status?.phase).toBe('Bound');
  });
});

describe('provisioning for a node that goes away', () => {
  it('drops the selected node, PreBind fails with "provisioning failed", and the pod is rescheduled elsewhere', () => {
    const sim = setup({ controllers: { volume: { provisioningLatency: '10s' } } });
    sim.apply(sc('wait', { volumeBindingMode: 'WaitForFirstConsumer' }));
    sim.apply(claim('data', { storageClassName: 'wait' }));
    sim.apply(podUsing('app', 'data'));
    sim.runUntil(3000);
    const first = getClaim(sim, 'data').metadata.annotations?.['volume.kubernetes.io/selected-node'];
    expect(first).toMatch(/^n[01]$/);
    sim.store.delete('Node', '', first!);
    sim.runUntil(120_000);
    expect(claimEvents(sim, 'data')).toContain(`Warning ProvisioningFailed failed to get target node: node "${first}" not found`);
    const failed = sim.events().filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'app').map((e) => e.message);
    expect(failed).toContain('running PreBind plugin "VolumeBinding": binding volumes: provisioning failed for PVC "data"');
    const pod = sim.get<Pod & KObject>('Pod', 'default', 'app')!;
    expect(pod.spec?.nodeName).toBe(first === 'n0' ? 'n1' : 'n0');
    expect(getClaim(sim, 'data').status?.phase).toBe('Bound');
  });
});
