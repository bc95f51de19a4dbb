// CPU Manager topology hints, after upstream's pkg/kubelet/cm/cpumanager/topology_hints_test.go
// (TestGetTopologyHints on topoDualSocketHT: NUMA node 0 = CPUs 0,2,4,6,8,10; NUMA node 1 = the odd ones).
import { describe, expect, it } from 'vitest';
import { CPUSet } from '../../../src/kubelet/cm/cpumanager/cpuset.ts';
import { CPUTopology } from '../../../src/kubelet/cm/cpumanager/topology.ts';
import { StaticPolicy, guaranteedCPUs, podGuaranteedCPUs } from '../../../src/kubelet/cm/cpumanager/policyStatic.ts';

const m: Record<number, [number, number, number]> = {};
for (let c = 0; c < 12; c++) m[c] = [c % 6, c % 2, c % 2];
const topoDualSocketHT = CPUTopology.fromMap(m);
const opts = { fullPhysicalCPUsOnly: false, distributeCPUsAcrossNUMA: false, alignBySocket: false };
const policy = new StaticPolicy(topoDualSocketHT, CPUSet.of(), opts);
const hints = (available: string, request: number, reusable = '') =>
  policy.generateCPUTopologyHints(CPUSet.parse(available), CPUSet.parse(reusable), request).map((h) => `${h.numaNodeAffinity!.getBits().join('')}:${h.preferred}`);

describe('CPU Manager topology hints (upstream topology_hints_test.go)', () => {
  // 4 available on NUMA 0 (0,2,4,6), 6 on NUMA 1.
  const avail = '0,2,4,6,1,3,5,7,9,11';
  it('Request 2 CPUs, 4 available on NUMA 0, 6 available on NUMA 1', () => expect(hints(avail, 2)).toEqual(['0:true', '1:true', '01:false']));
  it('Request 5 CPUs, 4 available on NUMA 0, 6 available on NUMA 1', () => expect(hints(avail, 5)).toEqual(['1:true', '01:false']));
  it('Request 7 CPUs, 4 available on NUMA 0, 6 available on NUMA 1', () => expect(hints(avail, 7)).toEqual(['01:true']));
  it('Request 11 CPUs, 4 available on NUMA 0, 6 available on NUMA 1', () => expect(hints(avail, 11)).toEqual([]));
  it('Request 2 CPUs, 1 available on NUMA 0, 1 available on NUMA 1', () => expect(hints('0,3', 2)).toEqual(['01:false']));
  it('reusable CPUs (from init containers) must all lie in the mask', () => expect(hints('2,4,6', 2, '1')).toEqual(['01:false']));

  it('guaranteedCPUs: Guaranteed pods with integer requests only; podGuaranteedCPUs with init containers and sidecars', () => {
    const r = (cpu: string) => ({ requests: { cpu, memory: '1Gi' }, limits: { cpu, memory: '1Gi' } });
    const pod = { spec: { initContainers: [{ name: 'i', resources: r('4') }, { name: 's', restartPolicy: 'Always', resources: r('1') }], containers: [{ name: 'a', resources: r('2') }, { name: 'b', resources: r('1500m') }] } };
    expect(guaranteedCPUs(pod, pod.spec.containers[0]!)).toBe(2);
    expect(guaranteedCPUs(pod, pod.spec.containers[1]!)).toBe(0);
    expect(podGuaranteedCPUs(pod)).toBe(4);
    const burstable = { spec: { containers: [{ name: 'a', resources: { requests: { cpu: '2' } } }] } };
    expect(guaranteedCPUs(burstable, burstable.spec.containers[0]!)).toBe(0);
  });
});

describe('init containers\' exclusive CPUs are reused by the app containers (cpusToReuse)', () => {
  it('the app container takes CPUs from the init container; the rest return to the shared pool', () => {
    const p = new StaticPolicy(topoDualSocketHT, CPUSet.of(0), opts);
    const r = (cpu: string) => ({ requests: { cpu, memory: '1Gi' }, limits: { cpu, memory: '1Gi' } });
    const pod = { metadata: { uid: 'u1' }, spec: { initContainers: [{ name: 'init', resources: r('4') }], containers: [{ name: 'app', resources: r('2') }] } };
    const init = p.allocate(pod, pod.spec.initContainers[0]!, undefined, true)!;
    expect(init.size()).toBe(4);
    const app = p.allocate(pod, pod.spec.containers[0]!, undefined, false)!;
    expect(app.isSubsetOf(init)).toBe(true);
    p.finishPod(pod);
    expect([...p.assignments.get('u1')!.keys()]).toEqual(['app']);
    expect(p.sharedPool().size()).toBe(12 - 2);
    p.removePod('u1');
    expect(p.sharedPool().size()).toBe(12);
  });
});
