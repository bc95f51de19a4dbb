// takeByTopology on multi-socket layouts, ported from pkg/kubelet/cm/cpumanager/cpu_assignment_test.go
// (the topologies of policy_test.go rebuilt as cpu -> [core, socket, NUMA node]).
import { describe, expect, it } from 'vitest';
import { CPUSet } from '../../../src/kubelet/cm/cpumanager/cpuset.ts';
import { CPUTopology, topologyFromLayout } from '../../../src/kubelet/cm/cpumanager/topology.ts';
import { CPUAccumulator, takeByTopologyNUMADistributed, takeByTopologyNUMAPacked } from '../../../src/kubelet/cm/cpumanager/cpuAssignment.ts';

function topo(n: number, f: (cpu: number) => [number, number, number]): CPUTopology {
  const m: Record<number, [number, number, number]> = {};
  for (let c = 0; c < n; c++) m[c] = f(c);
  return CPUTopology.fromMap(m);
}
// topoSingleSocketHT: 8 CPUs, 4 cores (c, c+4 siblings), 1 socket.
const topoSingleSocketHT = topo(8, (c) => [c % 4, 0, 0]);
// topoDualSocketHT: 12 CPUs, 6 cores (c, c+6), sockets alternate by core.
const topoDualSocketHT = topo(12, (c) => [c % 6, c % 2, c % 2]);
// topoTripleSocketHT: 18 CPUs, 9 cores of 2 consecutive CPUs; cpus 0-5 socket 1, 6-11 socket 0, 12-17 socket 2.
const topoTripleSocketHT = topo(18, (c) => {
  const s = c < 6 ? 1 : c < 12 ? 0 : 2;
  return [Math.floor(c / 2), s, s];
});
// topoDualSocketMultiNumaPerSocketHT: 80 CPUs, 40 cores (c, c+40), 4 NUMA nodes of 10 cores, 2 per socket.
const topoDualSocketMultiNumaPerSocketHT = topo(80, (c) => [c % 40, Math.floor((c % 40) / 20), Math.floor((c % 40) / 10)]);
// fakeTopoMultiSocketDualSocketPerNumaHT: 80 CPUs, 4 sockets of 10 cores, 2 NUMA nodes of 2 sockets.
const fakeTopoMultiSocketDualSocketPerNumaHT = topo(80, (c) => [c % 40, Math.floor((c % 40) / 10), Math.floor((c % 40) / 20)]);

const set = (s: string) => CPUSet.parse(s);

describe('cpuset', () => {
  it('parses and prints the Linux list format', () => {
    expect(set('0-3,8,10-11').list()).toEqual([0, 1, 2, 3, 8, 10, 11]);
    expect(CPUSet.of(5, 1, 2, 3, 9).toString()).toBe('1-3,5,9');
    expect(set('').size()).toBe(0);
    expect(() => set('3-1')).toThrow(/invalid range/);
    expect(() => set('a')).toThrow(/invalid syntax/);
  });
});

describe('CPU accumulator (upstream cpu_assignment_test.go)', () => {
  it('freeSockets', () => {
    const cases: Array<[CPUTopology, string, number[]]> = [
      [topoSingleSocketHT, '0-7', [0]], [topoSingleSocketHT, '1-7', []],
      [topoDualSocketHT, '0-11', [0, 1]], [topoDualSocketHT, '0-9,11', [1]], [topoDualSocketHT, '0,2-9,11', []],
      [topoDualSocketMultiNumaPerSocketHT, '0-79', [0, 1]], [topoDualSocketMultiNumaPerSocketHT, '1-79', [1]], [topoDualSocketMultiNumaPerSocketHT, '1-78', []],
      [fakeTopoMultiSocketDualSocketPerNumaHT, '0-79', [0, 1, 2, 3]], [fakeTopoMultiSocketDualSocketPerNumaHT, '0-19,21-79', [0, 1, 3]],
      [fakeTopoMultiSocketDualSocketPerNumaHT, '0-59,61-78', [0, 1]], [fakeTopoMultiSocketDualSocketPerNumaHT, '1-19,21-38,41-60,61-78', [1]],
      [fakeTopoMultiSocketDualSocketPerNumaHT, '0-40,42-49,51-68,71-79', []],
    ];
    for (const [t, avail, want] of cases) expect(new CPUAccumulator(t, set(avail), 0).freeSockets().sort((a, b) => a - b)).toEqual(want);
  });

  it('freeNUMANodes', () => {
    const cases: Array<[CPUTopology, string, number[]]> = [
      [topoSingleSocketHT, '0-7', [0]], [topoSingleSocketHT, '1-7', []],
      [topoDualSocketHT, '0-11', [0, 1]], [topoDualSocketHT, '0-9,11', [1]], [topoDualSocketHT, '0,2-9,11', []],
      [topoDualSocketMultiNumaPerSocketHT, '0-79', [0, 1, 2, 3]], [topoDualSocketMultiNumaPerSocketHT, '1-79', [1, 2, 3]],
      [topoDualSocketMultiNumaPerSocketHT, '1-9,11-79', [2, 3]], [topoDualSocketMultiNumaPerSocketHT, '1-9,11-59,61-79', [3]],
      [topoDualSocketMultiNumaPerSocketHT, '1-9,11-59,61-78', []],
      [fakeTopoMultiSocketDualSocketPerNumaHT, '0-79', [0, 1]], [fakeTopoMultiSocketDualSocketPerNumaHT, '0-9,11-79', [1]],
      [fakeTopoMultiSocketDualSocketPerNumaHT, '0-9,11-59,61-79', []],
    ];
    for (const [t, avail, want] of cases) expect(new CPUAccumulator(t, set(avail), 0).freeNUMANodes()).toEqual(want);
    const acc = new CPUAccumulator(topoDualSocketMultiNumaPerSocketHT, set('1-59,61-79'), 0);
    expect([acc.freeNUMANodes(), acc.freeSockets()]).toEqual([[1, 3], []]);
  });

  it('freeCores and freeCPUs', () => {
    const cores: Array<[CPUTopology, string, number[]]> = [
      [topoSingleSocketHT, '0-7', [0, 1, 2, 3]], [topoSingleSocketHT, '0-2,4-6', [0, 1, 2]], [topoSingleSocketHT, '0-6', [0, 1, 2]],
      [topoSingleSocketHT, '', []], [topoSingleSocketHT, '0-3', []],
      [topoDualSocketHT, '0-11', [0, 2, 4, 1, 3, 5]], [topoDualSocketHT, '1-5,7-11', [2, 4, 1, 3, 5]], [topoDualSocketHT, '2-5,8-11', [2, 4, 3, 5]],
    ];
    for (const [t, avail, want] of cores) expect(new CPUAccumulator(t, set(avail), 0).freeCores()).toEqual(want);
    const cpus: Array<[CPUTopology, string, number[]]> = [
      [topoSingleSocketHT, '0-7', [0, 4, 1, 5, 2, 6, 3, 7]], [topoSingleSocketHT, '3-7', [4, 5, 6, 3, 7]],
      [topoDualSocketHT, '0-11', [0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11]], [topoDualSocketHT, '1-11', [6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11]],
      [topoDualSocketHT, '1-5,7-11', [2, 8, 4, 10, 1, 7, 3, 9, 5, 11]],
      [topoTripleSocketHT, '0-3,6-13', [12, 13, 0, 1, 2, 3, 6, 7, 8, 9, 10, 11]],
    ];
    for (const [t, avail, want] of cpus) expect(new CPUAccumulator(t, set(avail), 0).freeCPUs()).toEqual(want);
  });

  it('take: satisfied / failed', () => {
    const acc = new CPUAccumulator(topoSingleSocketHT, set('0-2'), 4);
    acc.take(CPUSet.of(0));
    acc.take(CPUSet.of(1));
    expect([acc.isSatisfied(), acc.isFailed(), acc.numCPUsNeeded]).toEqual([false, true, 2]);
    const all = new CPUAccumulator(topoSingleSocketHT, set('0-7'), 8);
    for (let c = 0; c < 8; c++) all.take(CPUSet.of(c));
    expect([all.isSatisfied(), all.isFailed()]).toEqual([true, false]);
  });
});

type TakeCase = [string, CPUTopology, string, number, string];
const common: TakeCase[] = [
  ['take zero cpus from single socket with HT', topoSingleSocketHT, '0-7', 0, ''],
  ['take one cpu from single socket with HT', topoSingleSocketHT, '0-7', 1, '0'],
  ['take one cpu from single socket with HT, some cpus are taken', topoSingleSocketHT, '1,3,5-7', 1, '6'],
  ['take two cpus from single socket with HT', topoSingleSocketHT, '0-7', 2, '0,4'],
  ['take all cpus from single socket with HT', topoSingleSocketHT, '0-7', 8, '0-7'],
  ['take two cpus from single socket with HT, only one core totally free', topoSingleSocketHT, '0-3,6', 2, '2,6'],
  ['take a socket of cpus from dual socket with HT', topoDualSocketHT, '0-11', 6, '0,2,4,6,8,10'],
  ['take a socket of cpus from dual socket with multi-numa-per-socket with HT', topoDualSocketMultiNumaPerSocketHT, '0-79', 40, '0-19,40-59'],
  ['take a NUMA node of cpus from dual socket with multi-numa-per-socket with HT', topoDualSocketMultiNumaPerSocketHT, '0-79', 20, '0-9,40-49'],
  ['... with 1 NUMA node already taken', topoDualSocketMultiNumaPerSocketHT, '10-39,50-79', 20, '10-19,50-59'],
  ['take a socket and a NUMA node of cpus from dual socket with multi-numa-per-socket with HT', topoDualSocketMultiNumaPerSocketHT, '0-79', 60, '0-29,40-69'],
  ['... a core taken', topoDualSocketMultiNumaPerSocketHT, '1-39,41-79', 60, '10-39,50-79'],
];

describe('takeByTopologyNUMAPacked (upstream TestTakeByTopologyNUMAPacked)', () => {
  const cases: TakeCase[] = [
    ...common,
    ['take one cpu from dual socket with HT - core from Socket 0', topoDualSocketHT, '1-5,7-11', 1, '2'],
    ['allocate 4 full cores with 3 coming from the first NUMA node (filling it up) and 1 coming from the second NUMA node', topoDualSocketHT, '0-11', 8, '0,6,2,8,4,10,1,7'],
    ['allocate 32 full cores with 30 coming from the first 3 NUMA nodes (filling them up) and 2 coming from the fourth NUMA node', topoDualSocketMultiNumaPerSocketHT, '0-79', 64, '0-29,40-69,30,31,70,71'],
  ];
  for (const [name, t, avail, n, want] of cases) it(name, () => expect(takeByTopologyNUMAPacked(t, set(avail), n).toString()).toBe(set(want).toString()));
  it('take more cpus than are available from single socket with HT', () => {
    expect(() => takeByTopologyNUMAPacked(topoSingleSocketHT, CPUSet.of(0, 2, 4, 6), 5)).toThrow('not enough cpus available to satisfy request: requested=5, available=4');
  });
});

describe('takeByTopologyNUMADistributed (upstream TestTakeByTopologyNUMADistributed)', () => {
  const cases: Array<[string, CPUTopology, string, number, number, string]> = [
    ...common.map(([a, b, c, d, e]): [string, CPUTopology, string, number, number, string] => [a, b, c, d, 1, e]),
    ['allocate 4 full cores with 2 distributed across each NUMA node', topoDualSocketHT, '0-11', 8, 1, '0,6,2,8,1,7,3,9'],
    ['allocate 32 full cores with 8 distributed across each NUMA node', topoDualSocketMultiNumaPerSocketHT, '0-79', 64, 1, '0-7,10-17,20-27,30-37,40-47,50-57,60-67,70-77'],
    ['allocate 24 full cores with 8 distributed across the first 3 NUMA nodes', topoDualSocketMultiNumaPerSocketHT, '0-79', 48, 1, '0-7,10-17,20-27,40-47,50-57,60-67'],
    ['... (taking all but 2 from the first NUMA node)', topoDualSocketMultiNumaPerSocketHT, '1-29,32-39,41-69,72-79', 48, 1, '1-8,10-17,20-27,41-48,50-57,60-67'],
    ['... across the last 3 NUMA nodes', topoDualSocketMultiNumaPerSocketHT, '2-29,31-39,42-69,71-79', 48, 1, '10-17,20-27,31-38,50-57,60-67,71-78'],
    ['allocate 8 full cores with 2 distributed across each NUMA node', topoDualSocketMultiNumaPerSocketHT, '0-2,10-12,20-22,30-32,40-41,50-51,60-61,70-71', 16, 1, '0-1,10-11,20-21,30-31,40-41,50-51,60-61,70-71'],
    ['take one cpu from dual socket with HT - core from Socket 0', topoDualSocketHT, '1-5,7-11', 1, 1, '1'],
    ['take one cpu ... - cpuGroupSize 2', topoDualSocketHT, '1-5,7-11', 1, 2, '2'],
    ['allocate 13 full cores distributed across the first 2 NUMA nodes', topoDualSocketMultiNumaPerSocketHT, '0-79', 26, 1, '0-6,10-16,40-45,50-55'],
    ['... (cpuGroupSize 2)', topoDualSocketMultiNumaPerSocketHT, '0-79', 26, 2, '0-6,10-15,40-46,50-55'],
    ['allocate 31 full cores, 1 CPU spilling over to each of NUMA 0, 1', topoDualSocketMultiNumaPerSocketHT, '0-79', 62, 1, '0-7,10-17,20-27,30-37,40-47,50-57,60-66,70-76'],
    ['allocate 31 full cores, 2 CPUs spilling over to each of NUMA 0, 1, 2 (cpuGroupSize 2)', topoDualSocketMultiNumaPerSocketHT, '0-79', 62, 2, '0-7,10-17,20-27,30-36,40-47,50-57,60-67,70-76'],
    ['... spilling over to each of NUMA 2, 3 (to keep balance)', topoDualSocketMultiNumaPerSocketHT, '0-8,10-18,20-39,40-48,50-58,60-79', 62, 1, '0-7,10-17,20-27,30-37,40-46,50-56,60-67,70-77'],
    ['... spilling over to each of NUMA 0, 2, 3 (cpuGroupSize 2)', topoDualSocketMultiNumaPerSocketHT, '0-8,10-18,20-39,40-48,50-58,60-79', 62, 2, '0-7,10-16,20-27,30-37,40-47,50-56,60-67,70-77'],
    ['ensure bestRemainder chosen with NUMA nodes that have enough CPUs to satisfy the request', topoDualSocketMultiNumaPerSocketHT, '0-3,10-13,20-23,30-36,40-43,50-53,60-63,70-76', 34, 1, '0-3,10-13,20-23,30-34,40-43,50-53,60-63,70-74'],
  ];
  for (const [name, t, avail, n, g, want] of cases) it(name, () => expect(takeByTopologyNUMADistributed(t, set(avail), n, g).toString()).toBe(set(want).toString()));
});

describe('topology from a NUMA layout', () => {
  it('groups threadsPerCore consecutive CPUs of a NUMA node into a core named by its lowest id; socket defaults to the NUMA id', () => {
    const t = topologyFromLayout({ threadsPerCore: 2, nodes: [{ id: 0, cpus: [0, 1, 2, 3], memory: '1Gi' }, { id: 1, cpus: [4, 5, 6, 7], memory: '1Gi', socket: 0 }] });
    expect([t.numCPUs, t.numCores, t.numSockets, t.numNUMANodes, t.cpusPerCore()]).toEqual([8, 4, 1, 2, 2]);
    expect(t.details.get(5)).toEqual({ numaNodeID: 1, socketID: 0, coreID: 4 });
  });
});
