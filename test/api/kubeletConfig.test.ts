// KubeletConfiguration defaults (pkg/kubelet/apis/config/v1beta1 SetDefaults_KubeletConfiguration,
// eviction DefaultEvictionHard) and validation, v1.31.
import { describe, expect, it } from 'vitest';
import { formatFieldError } from '../../src/api/errors.ts';
import { Quantity } from '../../src/api/quantity.ts';
import {
  DEFAULT_EVICTION_HARD,
  defaultKubeletConfiguration,
  parseEvictionThresholds,
  ThresholdParseError,
  thresholdQuantity,
  validateKubeletConfiguration,
} from '../../src/api/kubeletConfig.ts';

describe('defaultKubeletConfiguration', () => {
  it('upstream defaults', () => {
    const kc = defaultKubeletConfiguration();
    expect(kc.evictionHard).toEqual({ 'memory.available': '100Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%', 'imagefs.available': '15%', 'imagefs.inodesFree': '5%' });
    expect(kc).toMatchObject({
      maxPods: 110,
      podsPerCore: 0,
      nodeStatusUpdateFrequency: '10s',
      nodeStatusReportFrequency: '5m0s',
      evictionPressureTransitionPeriod: '5m0s',
      cpuManagerPolicy: 'none',
      memoryManagerPolicy: 'None',
      topologyManagerPolicy: 'none',
      topologyManagerScope: 'container',
      enforceNodeAllocatable: ['pods'],
      imageGCHighThresholdPercent: 85,
      imageGCLowThresholdPercent: 80,
      podPidsLimit: -1,
      serializeImagePulls: true,
    });
    expect(kc.kubeReserved).toBeUndefined();
  });
  it('a partial evictionHard is used as given (v1.31 does not merge defaults)', () => {
    expect(defaultKubeletConfiguration({ evictionHard: { 'memory.available': '200Mi' } }).evictionHard).toEqual({ 'memory.available': '200Mi' });
    expect(DEFAULT_EVICTION_HARD['memory.available']).toBe('100Mi');
  });
  it('nodeStatusReportFrequency follows an explicit nodeStatusUpdateFrequency', () => {
    const kc = defaultKubeletConfiguration({ nodeStatusUpdateFrequency: '20s' });
    expect(kc.nodeStatusReportFrequency).toBe('20s');
  });
  it('maxParallelImagePulls >= 2 turns serialized pulls off', () => {
    expect(defaultKubeletConfiguration({ maxParallelImagePulls: 3 }).serializeImagePulls).toBe(false);
  });
});

describe('eviction thresholds', () => {
  it('parses hard and soft thresholds with grace periods', () => {
    const kc = defaultKubeletConfiguration({ evictionHard: { 'memory.available': '1Gi' }, evictionSoft: { 'memory.available': '2Gi' }, evictionSoftGracePeriod: { 'memory.available': '1m30s' } });
    const ts = parseEvictionThresholds(kc);
    expect(ts.map((t) => [t.signal, t.hard, t.gracePeriodMs])).toEqual([
      ['memory.available', true, 0],
      ['memory.available', false, 90000],
    ]);
  });
  it('0% and 100% are ignored', () => {
    expect(parseEvictionThresholds(defaultKubeletConfiguration({ evictionHard: { 'nodefs.available': '0%' } }))).toEqual([]);
  });
  it('errors', () => {
    expect(() => parseEvictionThresholds(defaultKubeletConfiguration({ evictionHard: { 'memory.free': '1Gi' } }))).toThrow('unsupported eviction signal memory.free');
    expect(() => parseEvictionThresholds(defaultKubeletConfiguration({ evictionSoft: { 'memory.available': '1Gi' } }))).toThrow(
      'no grace period specified for soft eviction threshold memory.available',
    );
    expect(() => parseEvictionThresholds(defaultKubeletConfiguration({ evictionHard: { 'memory.available': '120%' } }))).toThrow(ThresholdParseError);
  });
  it('percentage thresholds: int64(capacity × float32 percentage), as GetThresholdQuantity', () => {
    // float32(10)/100 = 0.100000001490116..., so 10% of 100Gi is 160 bytes above 10Gi
    expect(thresholdQuantity({ percent: '10' }, Quantity.parse('100Gi')).value()).toBe(10737418400);
    expect(thresholdQuantity({ percent: '50' }, Quantity.parse('100Gi')).cmp(Quantity.parse('50Gi'))).toBe(0);
    expect(thresholdQuantity({ percent: '7.5' }, Quantity.parse('1000')).value()).toBe(75);
    expect(thresholdQuantity({ quantity: Quantity.parse('500Mi') }, Quantity.parse('1Gi')).toString()).toBe('500Mi');
  });
});

describe('validateKubeletConfiguration', () => {
  const v = (o: unknown) => validateKubeletConfiguration(o, 'kubelet').map(formatFieldError);
  it('accepts a valid config', () => {
    expect(v({ apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', maxPods: 50, evictionHard: { 'memory.available': '500Mi' }, kubeReserved: { cpu: '1' } })).toEqual([]);
  });
  it('unknown fields and wrong types', () => {
    expect(v({ maxPod: 5, maxPods: '50', kubeReserved: { cpu: 'lots' } })).toEqual([
      'kubelet.maxPod: Unknown field',
      'kubelet.maxPods: Invalid value: "50": must be an integer, got string',
      "kubelet.kubeReserved[cpu]: Invalid value: \"lots\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ]);
  });
  it('semantic checks with upstream messages', () => {
    expect(v({ maxPods: -1 })).toEqual(['kubelet.maxPods: Invalid value: -1: invalid configuration: maxPods (--max-pods) -1 must not be a negative number']);
    expect(v({ topologyManagerPolicy: 'best' })).toEqual([
      'kubelet.topologyManagerPolicy: Unsupported value: "best": invalid configuration: topologyManagerPolicy (--topology-manager-policy) "best" must be one of: ["none" "best-effort" "restricted" "single-numa-node"]',
    ]);
    expect(v({ evictionSoft: { 'memory.available': '1Gi' } })).toEqual([
      'kubelet.evictionSoftGracePeriod[memory.available]: Required value: no grace period specified for soft eviction threshold memory.available',
    ]);
    expect(v({ evictionHard: { 'disk.available': '1Gi' } })).toEqual(['kubelet.evictionHard[disk.available]: Unsupported value: "disk.available": unsupported eviction signal disk.available']);
    expect(v({ reservedSystemCPUs: '0-1', kubeReserved: { cpu: '1' } })).toEqual([
      "kubelet.reservedSystemCPUs: Invalid value: \"0-1\": invalid configuration: can't use reservedSystemCPUs (--reserved-cpus) with systemReserved (--system-reserved) or kubeReserved (--kube-reserved)",
    ]);
    expect(v({ nodeStatusUpdateFrequency: 'soon' })[0]).toMatch(/^kubelet\.nodeStatusUpdateFrequency: Invalid value: "soon": /);
  });
});
