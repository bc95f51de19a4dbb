/**
 * A node group's `numa:` field: either the short form `{nodes: N}` (CPUs and
 * memory of the node's capacity split evenly over N NUMA nodes, as
 * src/api/numa.ts uniformNumaLayout) or a full layout (src/api/numa.ts
 * NumaLayout). The layout travels on the Node in the annotation numa.ts
 * names, which is how the kubelet models read it.
 */
import type { FieldError } from '../api/errors.ts';
import { Quantity } from '../api/quantity.ts';
import { NUMA_TOPOLOGY_ANNOTATION, uniformNumaLayout, validateNumaLayout, type NumaLayout } from '../api/numa.ts';
import { isPlainObject } from './shape.ts';

export function numaAnnotations(v: unknown, path: string, capacity: Record<string, string>): { annotations: Record<string, string>; errors: FieldError[] } {
  let layout: NumaLayout;
  if (isPlainObject(v) && typeof v['nodes'] === 'number') {
    const errors: FieldError[] = [];
    for (const k of Object.keys(v)) {
      if (k !== 'nodes' && k !== 'threadsPerCore') errors.push({ path: `${path}.${k}`, type: 'FieldValueUnknown', detail: '' });
    }
    const n = v['nodes'];
    if (!Number.isInteger(n) || n < 1) errors.push({ path: `${path}.nodes`, type: 'Invalid', value: n, detail: 'must be greater than or equal to 1' });
    const cpu = Quantity.tryParse(capacity['cpu'] ?? '0');
    if (!cpu || cpu.milliValue() % 1000 !== 0) {
      errors.push({ path: `${path}.nodes`, type: 'Invalid', value: n, detail: 'an even NUMA split needs a whole number of CPUs in capacity.cpu' });
    }
    if (capacity['memory'] === undefined) errors.push({ path: `${path}.nodes`, type: 'Invalid', value: n, detail: 'an even NUMA split needs capacity.memory' });
    if (errors.length) return { annotations: {}, errors };
    layout = uniformNumaLayout(n, cpu!.value(), capacity['memory']!);
    const tpc = v['threadsPerCore'];
    if (tpc !== undefined) layout = { ...layout, threadsPerCore: tpc as number };
  } else {
    layout = v as NumaLayout;
  }
  const errors = validateNumaLayout(layout, path, capacity);
  if (errors.length) return { annotations: {}, errors };
  return { annotations: { [NUMA_TOPOLOGY_ANNOTATION]: JSON.stringify(layout) }, errors: [] };
}
