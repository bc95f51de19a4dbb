/**
 * The node lifecycle, taint eviction and pod GC controllers read one
 * spec.nodeName index of the Pod informer (sharedPodNodeIndex), as upstream's
 * controllers share the pod informer's indexer. Between deliveries it must
 * hold what an index of one controller's own, fed the same informer events,
 * would hold: for any sequence of pod creations, bindings, rebinds, deletions
 * and re-creations in a simulation running the three controllers, podsOn and
 * nodeNames answer alike.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Simulation } from '../../src/sim/simulation.ts';
import { createNodeLifecycleController } from '../../src/controllers/nodelifecycle/nodeLifecycleController.ts';
import { createTaintEvictionController } from '../../src/controllers/tainteviction/taintEvictionController.ts';
import { createPodGCController } from '../../src/controllers/podgc/podGCController.ts';
import { PodNodeIndex, sharedPodNodeIndex, type PodObj } from '../../src/controllers/podNodeIndex.ts';
import { pod } from '../sim/helpers.ts';

const NODES = ['n1', 'n2', 'n3'];
type Step = { op: 'create'; pod: number; node: number } | { op: 'bind'; pod: number; node: number } | { op: 'delete'; pod: number } | { op: 'run'; ms: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), pod: fc.nat(5), node: fc.nat(NODES.length) }),
  fc.record({ op: fc.constant('bind' as const), pod: fc.nat(5), node: fc.nat(NODES.length - 1) }),
  fc.record({ op: fc.constant('delete' as const), pod: fc.nat(5) }),
  fc.record({ op: fc.constant('run' as const), ms: fc.constantFrom(0, 1, 2, 50) }),
);

const ids = (ps: readonly PodObj[]): string[] => ps.map((p) => `${p.metadata.namespace}/${p.metadata.name}:${p.metadata.uid}@${p.metadata.resourceVersion}`);

describe('the Pod informer’s shared spec.nodeName index', () => {
  it('answers as an index of one controller’s own fed the same events (property)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const sim = Simulation.create({ seed: 1 });
        for (const n of NODES) sim.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: n } });
        sim.use(createNodeLifecycleController({}));
        sim.use(createTaintEvictionController());
        sim.use(createPodGCController({}));
        const shared = sharedPodNodeIndex(sim.runtime);
        // An index of its own, registered after the controllers, as each of them kept before.
        let pods: ReturnType<typeof sim.runtime.lister<PodObj>> | undefined;
        const own = new PodNodeIndex((ns, name) => pods!.get(ns, name));
        pods = sim.runtime.informer<PodObj>('Pod', { onAdd: (p) => own.add(p), onUpdate: (o, p) => own.update(o, p), onDelete: (p) => own.delete(p) }, 'test');
        const check = (): void => {
          expect(shared.nodeNames()).toEqual(own.nodeNames());
          for (const n of NODES) expect(ids(shared.podsOn(n))).toEqual(ids(own.podsOn(n)));
        };
        for (const s of steps) {
          const name = s.op === 'run' ? '' : `p${s.pod}`;
          const cur = name ? sim.store.get('Pod', 'default', name) : undefined;
          if (s.op === 'create' && !cur) sim.store.create(pod(name, s.node < NODES.length ? { nodeName: NODES[s.node] } : {}));
          else if (s.op === 'bind' && cur) {
            sim.store.patch<PodObj>('Pod', 'default', name, (d) => {
              (d.spec ??= { containers: [] }).nodeName = NODES[s.node];
            }, { subresource: 'binding' });
          } else if (s.op === 'delete' && cur) sim.store.delete('Pod', 'default', name, { gracePeriodSeconds: 0 });
          else if (s.op === 'run') sim.runUntil(sim.now + s.ms);
          check();
        }
        sim.runUntil(sim.now + 5);
        check();
      }),
      { numRuns: 200 },
    );
  });
});
