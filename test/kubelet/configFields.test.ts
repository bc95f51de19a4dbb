import { describe, expect, it } from 'vitest';
import { KUBELET_CONFIG_FIELDS } from '../../src/api/kubeletConfig.ts';
import { KubeletConfigFields, kubeletConfigWarnings } from '../../src/kubelet/configFields.ts';
import { loadScenarioFromText } from '../../src/scenario/load.ts';

describe('KubeletConfiguration fields: modelled or warned', () => {
  it('every accepted field has a row, and every row is an accepted field', () => {
    expect(Object.keys(KubeletConfigFields).sort()).toEqual([...KUBELET_CONFIG_FIELDS].sort());
  });

  it('warns for each warned field that is set, unmodelled options, and settings that cannot act', () => {
    const w = kubeletConfigWarnings(
      {
        failSwapOn: false,
        cpuManagerReconcilePeriod: '5s',
        maxPods: 20,
        cpuManagerPolicy: 'static',
        cpuManagerPolicyOptions: { 'full-pcpus-only': 'true', 'strict-cpu-reservation': 'true', 'distribute-cpus-across-cores': 'true', bogus: 'x' },
        featureGates: { CPUManagerPolicyAlphaOptions: true, SomeOtherGate: false },
        topologyManagerPolicyOptions: { 'prefer-closest-numa-nodes': 'true', nope: '1' },
        memoryManagerPolicy: 'Static',
      },
      'spec.config.kubelet',
      { hasNumaLayout: false },
    );
    expect(w).toEqual([
      'spec.config.kubelet.failSwapOn: accepted but not modelled (ksim models no swap)',
      'spec.config.kubelet.cpuManagerReconcilePeriod: accepted but not modelled (ksim assigns CPUs at admission and has no cgroups to reconcile)',
      'spec.config.kubelet.featureGates[SomeOtherGate]: accepted but not modelled (ksim follows the newest upstream default of this gate)',
      "spec.config.kubelet.cpuManagerPolicyOptions[bogus]: unknown CPU Manager Policy option: upstream's kubelet does not start, so ksim's rejects every pod on these nodes",
      'spec.config.kubelet.cpuManagerPolicyOptions[distribute-cpus-across-cores]: accepted but not modelled',
      "spec.config.kubelet.topologyManagerPolicyOptions[nope]: unknown Topology Manager Policy option: upstream's kubelet does not start, so ksim's rejects every pod on these nodes",
      "spec.config.kubelet.reservedMemory: the Static Memory Manager needs reservedMemory (upstream's kubelet refuses to start without it); ksim reserves nothing per NUMA node",
      'spec.config.kubelet.cpuManagerPolicy: "static" has no effect on nodes without a numa layout',
      'spec.config.kubelet.memoryManagerPolicy: "Static" has no effect on nodes without a numa layout',
    ]);
    expect(kubeletConfigWarnings({ maxPods: 20, topologyManagerPolicy: 'none' }, 'x', { hasNumaLayout: false })).toEqual([]);
  });

  it('the scenario loader reports them as warnings (validate, run and JSON warnings read the same list)', () => {
    const text = `apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: w}
spec:
  config:
    kubelet: {failSwapOn: false, topologyManagerPolicy: single-numa-node}
  nodes:
    - {count: 1, namePrefix: plain, capacity: {cpu: "4", memory: 8Gi}}
    - {count: 1, namePrefix: numa, capacity: {cpu: "4", memory: 8Gi}, numa: {nodes: 2}, kubelet: {featureGates: {Foo: true}}}
`;
    const loaded = loadScenarioFromText([{ file: 'w.yaml', text }]);
    expect(loaded.warnings).toEqual([
      'w.yaml: spec.config.kubelet.failSwapOn: accepted but not modelled (ksim models no swap)',
      'w.yaml: spec.nodes[0]: topologyManagerPolicy "single-numa-node" from spec.config.kubelet has no effect on nodes without a numa layout',
      'w.yaml: spec.nodes[1].kubelet.featureGates[Foo]: accepted but not modelled (ksim follows the newest upstream default of this gate)',
    ]);
  });
});
