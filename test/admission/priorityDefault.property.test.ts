import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject, Stored } from '../../src/sim/types.ts';
import { ApiError } from '../../src/sim/errors.ts';

/**
 * The Priority plugin keeps the default class it found until a PriorityClass is written. Whatever the
 * sequence of class creates, updates and deletes, a pod that names no class must get what a fresh search
 * of the store's classes gives at that moment (the lowest-valued global default, else 0).
 */
type Op =
  | { op: 'create'; name: string; value: number; globalDefault: boolean }
  | { op: 'toggle'; name: string }
  | { op: 'delete'; name: string }
  | { op: 'pod' };

const className = fc.constantFrom('a', 'b', 'c', 'd');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), name: className, value: fc.integer({ min: -5, max: 5 }), globalDefault: fc.boolean() }),
  fc.record({ op: fc.constant('toggle' as const), name: className }),
  fc.record({ op: fc.constant('delete' as const), name: className }),
  fc.constant({ op: 'pod' as const }),
);

interface Expected {
  name: string | undefined;
  value: number;
}

function expectedDefault(sim: Simulation): Expected {
  let best: Stored | undefined;
  for (const pc of sim.list('PriorityClass')) {
    if (pc['globalDefault'] === true && (best === undefined || (pc['value'] as number) < (best['value'] as number))) best = pc;
  }
  return best ? { name: best.metadata.name, value: best['value'] as number } : { name: undefined, value: 0 };
}

function tolerate(f: () => void): void {
  try {
    f();
  } catch (e) {
    // A second default or a name taken is refused by admission, as upstream refuses it.
    if (!(e instanceof ApiError)) throw e;
  }
}

describe('Priority admission: the kept default class', () => {
  it('equals a fresh search after any sequence of PriorityClass writes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 30 }), (ops) => {
        const sim = Simulation.create({ seed: 1 });
        startComponents(sim, {});
        let pods = 0;
        for (const o of ops) {
          if (o.op === 'create') {
            const pc: KObject = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: o.name }, value: o.value, globalDefault: o.globalDefault };
            tolerate(() => sim.apply(pc));
          } else if (o.op === 'toggle') {
            if (!sim.get('PriorityClass', '', o.name)) continue;
            tolerate(() => sim.store.patch<KObject>('PriorityClass', '', o.name, (d) => void (d['globalDefault'] = d['globalDefault'] !== true)));
          } else if (o.op === 'delete') {
            if (sim.get('PriorityClass', '', o.name)) sim.store.delete('PriorityClass', '', o.name);
          } else {
            const want = expectedDefault(sim);
            const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${pods++}`, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
            const [got] = sim.apply(pod);
            const spec = got!['spec'] as Record<string, unknown>;
            expect(spec['priority']).toBe(want.value);
            expect(spec['priorityClassName']).toBe(want.name);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
