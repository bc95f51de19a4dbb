// The cache table's count of nodes carrying a label key (framework/nodeLabelKeys.ts): after any
// nodes joining, changing labels and leaving, and whenever a key is first asked about, it is the
// number of the table's nodes that have the key (PodTopologySpread treats 0 as "no node has a
// zone", so an undercount would change its scores).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node } from 'kubernetes-types/core/v1';
import { NodeInfoImpl } from '../../src/scheduler/framework/nodeInfo.ts';
import { NodeResourceTable } from '../../src/scheduler/framework/resourceTable.ts';

const ZONE = 'topology.kubernetes.io/zone';
const node = (name: string, zone: string | null, rack: boolean): Node => ({
  metadata: { name, labels: { ...(zone === null ? {} : { [ZONE]: zone }), ...(rack ? { rack: 'r1' } : {}) } },
  status: { allocatable: { cpu: '4', memory: '1Gi', pods: '110' } },
});

const op = fc.record({ kind: fc.constantFrom('add', 'relabel', 'remove'), node: fc.nat(5), zone: fc.option(fc.constantFrom('a', '', 'b'), { nil: null }), rack: fc.boolean() });

describe('NodeLabelKeys', () => {
  it('counts the table nodes with a key, whenever it is first asked (300 runs)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), fc.nat(40), (ops, askZoneAt) => {
        const table = new NodeResourceTable();
        const live = new Map<number, NodeInfoImpl>();
        const check = (key: string) => expect(table.nodeLabelKeys.nodesWith(key)).toBe([...live.values()].filter((ni) => ni.node.metadata?.labels?.[key] !== undefined).length);
        ops.forEach((o, i) => {
          if (i === askZoneAt) check(ZONE);
          const ni = live.get(o.node);
          if (o.kind === 'add' && ni === undefined) {
            const fresh = new NodeInfoImpl(node(`n${o.node}`, o.zone, o.rack), o.node);
            fresh.attachTable(table);
            live.set(o.node, fresh);
          } else if (o.kind === 'relabel' && ni !== undefined) ni.setNode(node(`n${o.node}`, o.zone, o.rack));
          else if (o.kind === 'remove' && ni !== undefined) {
            ni.detachTable();
            live.delete(o.node);
          }
        });
        check(ZONE);
        check('rack');
      }),
      { numRuns: 300 },
    );
  });
});
