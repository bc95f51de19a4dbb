import { describe, expect, it } from 'vitest';
import { explainScenario, renderExplanation } from '../../src/cli/commands/explain.ts';
import { kubeletVerdict } from '../../src/kubelet/admissionVerdict.ts';
import { defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';

describe('ksim explain: the kubelet\'s admission decision', () => {
  it('follows a bound pod to its kubelet: TopologyAffinityError explained', () => {
    const { explanation } = explainScenario(['scenarios/topology-gpu-single-numa.yaml'], 'default/trainer-8d69f8986-2r7vw', {});
    expect(explanation.kubelet).toMatchObject({ node: 'gpu-0', decision: 'rejected', reason: 'TopologyAffinityError', message: 'Resources cannot be allocated with Topology locality' });
    expect(explanation.kubelet?.explanation).toContain('policy single-numa-node (scope pod)');
    expect(renderExplanation(explanation, false)).toContain('Kubelet on gpu-0: rejected the pod at admission: TopologyAffinityError: Resources cannot be allocated with Topology locality');
  });

  it('reads an admitted pod\'s assignment annotation; an unbound pod has no verdict', () => {
    const cluster = defaultKubeletConfiguration({});
    const a = { topologyManagerPolicy: 'best-effort', topologyManagerScope: 'container', containers: { app: { exclusive: true, cpuset: '2-3', numaNodes: [0] } } };
    const v = kubeletVerdict({ metadata: { annotations: { 'ksim.dev/resource-assignment': JSON.stringify(a) } }, spec: { nodeName: 'n', containers: [] }, status: { phase: 'Running' } }, undefined, cluster);
    expect(v).toEqual({ node: 'n', decision: 'admitted', assignment: a });
    expect(kubeletVerdict({ spec: { containers: [] } }, undefined, cluster)).toBeUndefined();
    const r = kubeletVerdict({ spec: { nodeName: 'n', containers: [] }, status: { phase: 'Failed', reason: 'OutOfcpu', message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 4000, used: 0, capacity: 2000" } }, undefined, cluster);
    expect([r?.decision, r?.message]).toEqual(['rejected', "Node didn't have enough resource: cpu, requested: 4000, used: 0, capacity: 2000"]);
  });
});
