/**
 * The generator and runner of the DaemonSet property tests. DaemonSet properties over random small clusters (200 runs each): nodes with
 * random labels and taints (some added, relabelled or removed during the
 * run), a DaemonSet with a random node selector and tolerations:
 *  - when the run settles, every eligible node runs exactly one of its pods
 *    and no other node runs one, except that a pod created for a node that
 *    is then tainted NoSchedule may stay (Running, or Pending if it was not
 *    yet scheduled), as upstream's shouldContinueRunning allows (eligibility computed here from the
 *    generator's own model of selectors and taints, not from the controller);
 *  (the same-seed determinism property is in daemonset.determinism.test.ts).
 */
import fc from 'fast-check';
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { cluster, node } from './statefulset.helpers.ts';


interface NodeGen {
  role: 'a' | 'b' | undefined;
  taint: 'none' | 'gpu-noschedule' | 'gpu-noexecute' | 'preferred';
}
const nodeArb: fc.Arbitrary<NodeGen> = fc.record({
  role: fc.constantFrom<NodeGen['role']>('a', 'b', undefined),
  taint: fc.constantFrom<NodeGen['taint']>('none', 'gpu-noschedule', 'gpu-noexecute', 'preferred'),
});
export const caseArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 5 }),
  later: fc.array(fc.record({ at: fc.integer({ min: 0, max: 20_000 }), index: fc.integer({ min: 0, max: 6 }), node: fc.option(nodeArb) }), { maxLength: 3 }),
  selector: fc.constantFrom<'a' | 'b' | undefined>('a', 'b', undefined),
  tolerate: fc.constantFrom('none', 'gpu', 'all'),
  seed: fc.integer({ min: 1, max: 1000 }),
});
export type Case = { nodes: NodeGen[]; later: Array<{ at: number; index: number; node: NodeGen | null }>; selector: 'a' | 'b' | undefined; tolerate: string; seed: number };

function taintsOf(n: NodeGen): unknown[] | undefined {
  switch (n.taint) {
    case 'gpu-noschedule':
      return [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }];
    case 'gpu-noexecute':
      return [{ key: 'dedicated', value: 'gpu', effect: 'NoExecute' }];
    case 'preferred':
      return [{ key: 'dedicated', value: 'gpu', effect: 'PreferNoSchedule' }];
    default:
      return undefined;
  }
}

/** The model: selector matches the role label, and NoSchedule/NoExecute gpu taints need a toleration. */
function eligible(n: NodeGen, c: Case): boolean {
  if (c.selector !== undefined && n.role !== c.selector) return false;
  if ((n.taint === 'gpu-noschedule' || n.taint === 'gpu-noexecute') && c.tolerate === 'none') return false;
  return true;
}

export function run(c: Case): { problems: string[]; trace: string } {
  const sim = cluster(0, c.seed);
  const trace: string[] = [];
  sim.store.watch('*', (ev) => {
    if (ev.object.kind === 'Event') return;
    trace.push(`${sim.engine.now} ${ev.type} ${ev.object.kind} ${ev.object.metadata.name} ${ev.object.metadata.resourceVersion}`);
  });
  const model = new Map<string, NodeGen>();
  const put = (name: string, n: NodeGen) => {
    model.set(name, n);
    sim.apply(node(name, { labels: n.role ? { role: n.role } : {}, taints: taintsOf(n) }));
  };
  c.nodes.forEach((n, i) => put(`node-${i}`, n));
  const tolerations = c.tolerate === 'gpu' ? [{ key: 'dedicated', operator: 'Equal', value: 'gpu' }] : c.tolerate === 'all' ? [{ operator: 'Exists' }] : [];
  sim.apply({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'a', image: 'agent' }], tolerations, ...(c.selector ? { nodeSelector: { role: c.selector } } : {}) },
      },
    },
  });
  for (const l of c.later.slice().sort((a, b) => a.at - b.at)) {
    sim.runUntil(l.at);
    const name = `node-${l.index}`;
    if (l.node) put(name, l.node);
    else if (model.has(name)) {
      model.delete(name);
      sim.store.delete('Node', '', name);
    }
  }
  sim.runUntilQuiet(sim.engine.now + 600_000);
  const problems: string[] = [];
  const pods = (sim.list('Pod', 'default') as Array<Pod & KObject>).filter((p) => !p.metadata.deletionTimestamp && p.metadata.labels?.['app'] === 'agent');
  for (const [name, n] of [...model.entries()].sort()) {
    const here = pods.filter((p) => p.spec?.nodeName === name);
    const want = eligible(n, c) ? 1 : 0;
    // A pod already on a node that is then tainted NoSchedule may continue running (shouldContinueRunning).
    const mayKeep = !eligible(n, c) && n.taint === 'gpu-noschedule' && (c.selector === undefined || n.role === c.selector);
    if (here.length !== want && !(mayKeep && here.length === 1)) problems.push(`${name} (${JSON.stringify(n)}) has ${here.length} daemon pods, wants ${want}`);
    for (const p of here) if (p.status?.phase !== 'Running') problems.push(`${p.metadata.name} on ${name} is ${p.status?.phase}`);
  }
  for (const p of pods) {
    if (p.spec?.nodeName && !model.has(p.spec.nodeName) && p.status?.phase === 'Running') {
      // A pod left on a removed node is the pod garbage collector's (orphaned pods), not the DaemonSet's.
      continue;
    }
    if (!p.spec?.nodeName) {
      // A pod created for a node that was then tainted NoSchedule stays (shouldContinueRunning), Pending, as upstream.
      const target = p.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0] ?? '';
      const n = model.get(target);
      const keptPending = n !== undefined && !eligible(n, c) && n.taint === 'gpu-noschedule' && (c.selector === undefined || n.role === c.selector);
      if (!keptPending) problems.push(`${p.metadata.name} never scheduled`);
    }
  }
  return { problems, trace: trace.join('\n') };
}

