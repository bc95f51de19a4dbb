/**
 * nodeSchedulingPropertiesChange (upstream NodeSchedulingPropertiesChange)
 * compares condition statuses by type without building Maps when both lists
 * hold the same types in the same order, and labels by reference first, and
 * returns shared event objects. Against the straightforward comparison (every
 * condition list through two Maps, labels through labelsEqual, fresh events):
 * the same events, in the same order, for any pair of nodes, including
 * repeated and reordered condition types, null statuses and shared objects.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node, NodeCondition, Pod } from 'kubernetes-types/core/v1';
import { labelsEqual } from '../../src/api/labels.ts';
import { nodeSchedulingPropertiesChange, podSchedulingPropertiesChange, sameConditionStatuses } from '../../src/scheduler/queue/events.ts';
import { podRequests } from '../../src/api/resources.ts';

function refStatuses(n: Node): Map<string, string> {
  const m = new Map<string, string>();
  for (const c of n.status?.conditions ?? []) m.set(c.type, c.status);
  return m;
}

function refSameConditionStatuses(a: Node, b: Node): boolean {
  const ma = refStatuses(a);
  const mb = refStatuses(b);
  if (ma.size !== mb.size) return false;
  for (const [t, st] of ma) if (!mb.has(t) || (mb.get(t) ?? null) !== (st ?? null)) return false;
  return true;
}

const sameJSON = (a: unknown, b: unknown) => a === b || JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The labels of the events the straightforward comparison gives. */
function refEvents(n: Node, o: Node): string[] {
  const out: string[] = [];
  if (!!n.spec?.unschedulable !== !!o.spec?.unschedulable && !n.spec?.unschedulable) out.push('NodeSpecUnschedulableChange');
  if (!sameJSON(n.status?.allocatable, o.status?.allocatable)) out.push('NodeAllocatableChange');
  if (!labelsEqual(n.metadata?.labels, o.metadata?.labels)) out.push('NodeLabelChange');
  if (!sameJSON(n.spec?.taints, o.spec?.taints)) out.push('NodeTaintChange');
  if (!refSameConditionStatuses(n, o)) out.push('NodeConditionChange');
  if (!labelsEqual(n.metadata?.annotations, o.metadata?.annotations)) out.push('NodeAnnotationChange');
  return out;
}

const condition = fc.record({
  type: fc.constantFrom('Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'),
  status: fc.constantFrom('True', 'False', 'Unknown', null as unknown as string),
  lastHeartbeatTime: fc.constantFrom('t1', 't2'),
}) as fc.Arbitrary<NodeCondition>;
const conditions = fc.option(fc.array(condition, { maxLength: 6 }), { nil: undefined });
const labels = fc.option(fc.dictionary(fc.constantFrom('a', 'b', 'zone'), fc.constantFrom('1', '2')), { nil: undefined });

const node = fc.record({
  labels,
  annotations: labels,
  unschedulable: fc.boolean(),
  cpu: fc.constantFrom('1', '2'),
  taint: fc.boolean(),
  conditions,
});
type Gen = typeof node extends fc.Arbitrary<infer T> ? T : never;

function build(g: Gen): Node {
  return {
    metadata: { name: 'n', labels: g.labels, annotations: g.annotations },
    spec: { unschedulable: g.unschedulable, taints: g.taint ? [{ key: 'k', effect: 'NoSchedule' }] : undefined },
    status: { allocatable: { cpu: g.cpu }, conditions: g.conditions },
  };
}

/** A status write of `o`: each condition copied with a new heartbeat, some of them with a new status. */
function heartbeat(o: Node, flips: boolean[]): Node {
  const conds = o.status?.conditions?.map((c, i) => ({ ...c, lastHeartbeatTime: 't9', status: flips[i] ? (c.status === 'True' ? 'False' : 'True') : c.status }));
  return { ...o, status: { ...o.status, conditions: conds } };
}

describe('nodeSchedulingPropertiesChange against the straightforward comparison', () => {
  it('gives the same events for any two nodes', () => {
    fc.assert(
      fc.property(node, node, (a, b) => {
        const n = build(a);
        const o = build(b);
        expect(nodeSchedulingPropertiesChange(n, o).map((e) => e.label)).toEqual(refEvents(n, o));
        expect(sameConditionStatuses(n, o)).toBe(refSameConditionStatuses(n, o));
      }),
      { numRuns: 2000 },
    );
  });
  it('gives the same events for a heartbeat-like write (same types in order, shared labels)', () => {
    fc.assert(
      fc.property(node, fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }), (a, flips) => {
        const o = build(a);
        const n = heartbeat(o, flips);
        expect(nodeSchedulingPropertiesChange(n, o).map((e) => e.label)).toEqual(refEvents(n, o));
        expect(sameConditionStatuses(n, o)).toBe(refSameConditionStatuses(n, o));
      }),
      { numRuns: 2000 },
    );
  });
  it('treats a repeated type by its last entry and a null status as none', () => {
    const mk = (conds: Array<[string, string | null]>): Node => ({ status: { conditions: conds.map(([type, status]) => ({ type, status }) as NodeCondition) } });
    // Pairwise different, the same by type (the last Ready wins on both sides).
    expect(sameConditionStatuses(mk([['Ready', 'True'], ['Ready', 'False']]), mk([['Ready', 'False'], ['Ready', 'False']]))).toBe(true);
    expect(sameConditionStatuses(mk([['Ready', 'False'], ['Ready', 'True']]), mk([['Ready', 'True'], ['Ready', 'False']]))).toBe(false);
    expect(sameConditionStatuses(mk([['Ready', null]]), { status: { conditions: [{ type: 'Ready' } as NodeCondition] } })).toBe(true);
    expect(sameConditionStatuses(mk([['Ready', 'True'], ['DiskPressure', 'False']]), mk([['DiskPressure', 'False'], ['Ready', 'True']]))).toBe(true);
    expect(sameConditionStatuses(mk([['Ready', 'True']]), mk([['Ready', 'Unknown']]))).toBe(false);
  });
  it('returns one shared empty list when nothing changed', () => {
    const o = build({ labels: { a: '1' }, annotations: undefined, unschedulable: false, cpu: '1', taint: false, conditions: [{ type: 'Ready', status: 'True' }] });
    const n = heartbeat(o, [false]);
    const first = nodeSchedulingPropertiesChange(n, o);
    expect(first).toEqual([]);
    expect(nodeSchedulingPropertiesChange(o, n)).toBe(first);
  });
});

/** The straightforward PodSchedulingPropertiesChange: labels through labelsEqual, requests recomputed, a fresh list. */
function refPodEvents(n: Pod, o: Pod): string[] {
  const r = n.spec?.nodeName ? 'AssignedPod' : 'UnscheduledPod';
  const out: string[] = [];
  if (!labelsEqual(n.metadata?.labels, o.metadata?.labels)) out.push(`${r}UpdatePodLabel`);
  const np = podRequests(n);
  for (const [name, q] of podRequests(o)) {
    const nq = np.get(name);
    if (!nq || q.milliValue() > nq.milliValue()) {
      out.push(`${r}UpdatePodScaleDown`);
      break;
    }
  }
  if ((n.spec?.schedulingGates?.length ?? 0) === 0 && (o.spec?.schedulingGates?.length ?? 0) > 0) out.push(`${r}UpdatePodSchedulingGatesEliminated`);
  if (!sameJSON(n.spec?.tolerations, o.spec?.tolerations)) out.push(`${r}UpdatePodTolerations`);
  return out.length === 0 ? [`${r}Update`] : out;
}

const podGen = fc.record({
  labels: fc.constantFrom('shared', 'copy', 'other', 'none'),
  cpu: fc.constantFrom('100m', '200m'),
  gated: fc.boolean(),
  tolerate: fc.boolean(),
  nodeName: fc.constantFrom('', 'n1'),
});
type PodGen = typeof podGen extends fc.Arbitrary<infer T> ? T : never;

describe('podSchedulingPropertiesChange against the straightforward comparison', () => {
  it('gives the same events for any update of a pod', () => {
    const sharedLabels = { app: 'x' };
    const build = (g: PodGen): Pod => ({
      metadata: { name: 'p', labels: g.labels === 'shared' ? sharedLabels : g.labels === 'copy' ? { app: 'x' } : g.labels === 'other' ? { app: 'y' } : undefined },
      spec: {
        nodeName: g.nodeName || undefined,
        containers: [{ name: 'c', resources: { requests: { cpu: g.cpu } } }],
        schedulingGates: g.gated ? [{ name: 'g' }] : undefined,
        tolerations: g.tolerate ? [{ key: 'k', operator: 'Exists' }] : undefined,
      },
    });
    fc.assert(
      fc.property(podGen, podGen, (a, b) => {
        const n = build(a);
        const o = build(b);
        expect(podSchedulingPropertiesChange(n, o).map((e) => e.label)).toEqual(refPodEvents(n, o));
      }),
      { numRuns: 1000 },
    );
  });
});
