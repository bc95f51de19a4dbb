// ksim's NUMA layout annotation (ksim.dev/numa-topology): shape and consistency with node capacity.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Node } from 'kubernetes-types/core/v1';
import { formatFieldError } from '../../src/api/errors.ts';
import { Quantity } from '../../src/api/quantity.ts';
import { NUMA_TOPOLOGY_ANNOTATION, numaLayoutOf, uniformNumaLayout, validateNumaLayout } from '../../src/api/numa.ts';

describe('uniformNumaLayout', () => {
  it('splits cpus and memory evenly', () => {
    expect(uniformNumaLayout(2, 8, '16Gi')).toEqual({
      nodes: [
        { id: 0, cpus: [0, 1, 2, 3], memory: '8Gi' },
        { id: 1, cpus: [4, 5, 6, 7], memory: '8Gi' },
      ],
    });
  });
  it('property: a uniform layout validates against the capacity it was built from', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 128 }), fc.integer({ min: 1, max: 1 << 16 }), (n, cpus, memMi) => {
        const layout = uniformNumaLayout(n, cpus, `${memMi}Mi`);
        expect(validateNumaLayout(layout, 'x', { cpu: String(cpus), memory: `${memMi}Mi` })).toEqual([]);
        const total = layout.nodes.reduce((q, node) => q.add(Quantity.parse(node.memory)), Quantity.zero());
        expect(total.cmp(Quantity.parse(`${memMi}Mi`))).toBe(0);
      }),
    );
  });
});

describe('validateNumaLayout', () => {
  const v = (l: unknown, cap?: Record<string, string>) => validateNumaLayout(l, 'numa', cap).map(formatFieldError);
  it('duplicate ids and cpus', () => {
    expect(v({ nodes: [{ id: 0, cpus: [0, 1], memory: '1Gi' }, { id: 0, cpus: [1], memory: '1Gi' }] })).toEqual([
      'numa.nodes[1].id: Duplicate value: 0',
      'numa.nodes[1].cpus[0]: Duplicate value: 1',
    ]);
  });
  it('cpu total must equal capacity, memory must fit', () => {
    const out = v({ nodes: [{ id: 0, cpus: [0, 1], memory: '4Gi' }] }, { cpu: '4', memory: '2Gi' });
    expect(out).toEqual([
      "numa.nodes: Invalid value: 2: total number of CPUs must equal the node's cpu capacity (4)",
      'numa.nodes: Invalid value: "4Gi": total memory must not exceed the node\'s memory capacity (2Gi)',
    ]);
  });
  it('unknown fields and bad quantities', () => {
    expect(v({ nodes: [{ id: 0, cpus: [], memory: 'lots', gpus: 1 }] })[0]).toBe('numa.nodes[0].gpus: Unknown field');
  });
  it('reads the annotation from a Node', () => {
    const layout = uniformNumaLayout(2, 4, '8Gi');
    const node: Node = { metadata: { name: 'n', annotations: { [NUMA_TOPOLOGY_ANNOTATION]: JSON.stringify(layout) } }, status: { capacity: { cpu: '4', memory: '8Gi' } } };
    expect(numaLayoutOf(node)).toEqual({ layout, errors: [] });
    const bad: Node = { metadata: { name: 'n', annotations: { [NUMA_TOPOLOGY_ANNOTATION]: '{' } } };
    expect(numaLayoutOf(bad)!.errors[0]!.path).toBe('metadata.annotations[ksim.dev/numa-topology]');
    expect(numaLayoutOf({ metadata: { name: 'n' } })).toBeUndefined();
  });
});
