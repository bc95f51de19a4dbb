/**
 * NodeInfo.localGeneration, the key of the node-local Filter and Score memos
 * (framework/nodeMemo.ts): it may stay across a change only when nothing a
 * node-local plugin reads of the NodeInfo changed (Plugin.nodeLocal). Here
 * NodeInfoImpl.replacePod (a bound pod replacing its assumed copy) and
 * setNode (a node status write) are driven with generated pods and nodes, and
 * whenever the localGeneration stayed, every figure such a plugin reads must
 * be as it was. The decisions built on it are checked end to end by
 * equivalence.test.ts (resize and heartbeat node changes).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Container, Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { NodeResourceTable } from '../../src/scheduler/framework/resourceTable.ts';
import { newPodInfo } from '../../src/scheduler/framework/podInfo.ts';
import type { PodInfo } from '../../src/scheduler/framework/types.ts';

const RUNS = 300;
const GPU = 'example.com/gpu';
const PORTS = [0, 80, 8080];

const podArb = fc.record({
  cpu: fc.constantFrom(0, 100, 250, 1500),
  mem: fc.constantFrom(0, 64, 128),
  eph: fc.constantFrom(0, 1),
  gpu: fc.constantFrom(0, 0, 1),
  port: fc.constantFrom(...PORTS),
});
type PodGen = typeof podArb extends fc.Arbitrary<infer T> ? T : never;

function pod(name: string, g: PodGen, labels: Record<string, string> = {}): Stored<Pod & KObject> {
  const requests: Record<string, string> = {};
  if (g.cpu > 0) requests['cpu'] = `${g.cpu}m`;
  if (g.mem > 0) requests['memory'] = `${g.mem}Mi`;
  if (g.eph > 0) requests['ephemeral-storage'] = `${g.eph}Gi`;
  if (g.gpu > 0) requests[GPU] = String(g.gpu);
  const c: Container = { name: 'c', image: 'x', resources: { requests } };
  if (g.port > 0) c.ports = [{ containerPort: g.port, hostPort: g.port }];
  return Object.freeze({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'd', uid: name, labels }, spec: { nodeName: 'n', containers: [c] } }) as Stored<Pod & KObject>;
}

/** Everything a node-local plugin may read of a NodeInfo's pods, as a comparable value. */
function localFigures(ni: NodeInfoImpl): unknown {
  const ports = PORTS.filter((p) => p > 0).map((p) => ni.usedPorts.has('0.0.0.0', 'TCP', p));
  return {
    pods: ni.pods.length,
    requested: { ...ni.requested, scalar: [...ni.requested.scalar].sort() },
    nonZero: { cpu: ni.nonZeroRequested.milliCPU, mem: ni.nonZeroRequested.memory },
    ports,
  };
}

function node(n: Partial<{ labels: Record<string, string>; cpu: string; taint: boolean }>, shared?: Node): Stored<Node & KObject> {
  const allocatable = n.cpu === undefined && shared ? shared.status!.allocatable! : Object.freeze({ cpu: n.cpu ?? '4', memory: '8Gi', pods: '110' });
  return Object.freeze({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: Object.freeze({ name: 'n', labels: n.labels === undefined && shared ? shared.metadata!.labels : Object.freeze(n.labels ?? {}) }),
    spec: n.taint === undefined && shared ? shared.spec : Object.freeze(n.taint ? { taints: [{ key: 'k', effect: 'NoSchedule' }] } : {}),
    status: Object.freeze({ allocatable, capacity: shared?.status?.capacity ?? allocatable, conditions: [{ type: 'Ready', status: 'True' }] }),
  }) as unknown as Stored<Node & KObject>;
}

describe('NodeInfo.localGeneration', () => {
  it(`stays across replacePod only when the pod count, requests and ports read the same (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(podArb, { maxLength: 5 }), podArb, fc.option(podArb, { nil: undefined }), (resident, before, after) => {
        const table = new NodeResourceTable();
        const ni = new NodeInfoImpl(node({}));
        ni.attachTable(table);
        resident.forEach((g, i) => ni.addPod(newPodInfo(pod(`r${i}`, g))));
        const old = newPodInfo(pod('x', before));
        ni.addPod(old);
        const figures = localFigures(ni);
        const gen = ni.localGeneration;
        // The bound pod: the same spec with extra labels (as a binding copies the node's
        // topology labels) sharing the assumed PodInfo's figures, or a different pod.
        const bound: PodInfo = after === undefined ? { ...old, pod: pod('x', before, { zone: 'z' }) } : newPodInfo(pod('x', after, { zone: 'z' }));
        expect(ni.replacePod(old.pod, bound)).toBe(true);
        expect(ni.generation).not.toBe(gen);
        if (ni.localGeneration === gen) expect(localFigures(ni)).toEqual(figures);
        // The table's column follows the NodeInfo (the memo checks read it).
        expect(table.localGeneration[ni.resourceSlot]).toBe(ni.localGeneration);
        // The usual case keeps it: the memos must not be voided by every binding.
        if (after === undefined && before.gpu === 0) expect(ni.localGeneration).toBe(gen);
      }),
      { numRuns: RUNS },
    );
  });

  it(`stays across setNode only when name, labels, spec and allocatable stay (${RUNS} runs)`, () => {
    const changeArb = fc.record({
      labels: fc.option(fc.constantFrom<Record<string, string>>({}, { disk: 'ssd' }), { nil: undefined }),
      cpu: fc.option(fc.constantFrom('4', '2'), { nil: undefined }),
      taint: fc.option(fc.boolean(), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(changeArb, { minLength: 1, maxLength: 6 }), (changes) => {
        const table = new NodeResourceTable();
        let cur = node({});
        const ni = new NodeInfoImpl(cur);
        ni.attachTable(table);
        for (const c of changes) {
          const gen = ni.localGeneration;
          const next = node({ ...(c.labels !== undefined ? { labels: c.labels } : {}), ...(c.cpu !== undefined ? { cpu: c.cpu } : {}), ...(c.taint !== undefined ? { taint: c.taint } : {}) }, cur);
          const read = (n: Node) => JSON.stringify([n.metadata?.name, n.metadata?.labels, n.spec, n.status?.allocatable]);
          const same = read(cur) === read(next);
          ni.setNode(next);
          if (ni.localGeneration === gen) expect(same).toBe(true);
          // Shared parts (a heartbeat) keep it.
          if (c.labels === undefined && c.cpu === undefined && c.taint === undefined) expect(ni.localGeneration).toBe(gen);
          expect(table.localGeneration[ni.resourceSlot]).toBe(ni.localGeneration);
          cur = next;
        }
      }),
      { numRuns: RUNS },
    );
  });
});
