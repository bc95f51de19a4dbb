import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import { startComponents } from '../../src/components.ts';
import type { KObject } from '../../src/sim/types.ts';
import { ApiError } from '../../src/sim/errors.ts';

function pod(name: string, extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...extra },
  };
}

function pc(name: string, value: number, globalDefault = false, preemptionPolicy?: string): KObject {
  return { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, globalDefault, ...(preemptionPolicy ? { preemptionPolicy } : {}) };
}

function newSim(): Simulation {
  const sim = Simulation.create({ seed: 1 });
  startComponents(sim, {});
  return sim;
}

function specOf(o: KObject): Record<string, unknown> {
  return o['spec'] as Record<string, unknown>;
}

describe('Priority admission (plugin/pkg/admission/priority)', () => {
  it('creates the two system classes with upstream values', () => {
    const sim = newSim();
    expect(sim.get('PriorityClass', '', 'system-cluster-critical')?.['value']).toBe(2000000000);
    expect(sim.get('PriorityClass', '', 'system-node-critical')?.['value']).toBe(2000001000);
  });

  it('resolves priorityClassName to priority and preemptionPolicy', () => {
    const sim = newSim();
    sim.apply(pc('high', 1000, false, 'Never'));
    const [p] = sim.apply(pod('a', { priorityClassName: 'high' }));
    expect(specOf(p!)['priority']).toBe(1000);
    expect(specOf(p!)['preemptionPolicy']).toBe('Never');
  });

  it('uses priority 0 and PreemptLowerPriority without any default class', () => {
    const sim = newSim();
    const [p] = sim.apply(pod('a'));
    expect(specOf(p!)['priority']).toBe(0);
    expect(specOf(p!)['preemptionPolicy']).toBe('PreemptLowerPriority');
    expect(specOf(p!)['priorityClassName']).toBeUndefined();
  });

  it('uses the global default class when the pod names none', () => {
    const sim = newSim();
    sim.apply(pc('default-prio', 50, true));
    const [p] = sim.apply(pod('a'));
    expect(specOf(p!)['priority']).toBe(50);
    expect(specOf(p!)['priorityClassName']).toBe('default-prio');
  });

  it('rejects an unknown class with upstream wording', () => {
    const sim = newSim();
    expect(() => sim.apply(pod('a', { priorityClassName: 'nope' }))).toThrow('pods "a" is forbidden: no PriorityClass with name nope was found');
  });

  it('rejects a spec.priority that disagrees with the class', () => {
    const sim = newSim();
    sim.apply(pc('high', 1000));
    try {
      sim.apply(pod('a', { priorityClassName: 'high', priority: 5 }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ApiError);
      expect((e as ApiError).message).toContain('the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name');
    }
  });

  it('allows only one global default class', () => {
    const sim = newSim();
    sim.apply(pc('one', 1, true));
    expect(() => sim.apply(pc('two', 2, true))).toThrow('PriorityClass one is already marked as default. Only one default can exist');
  });
});

describe('DefaultTolerationSeconds admission', () => {
  it('adds 300s NoExecute tolerations for not-ready and unreachable', () => {
    const sim = newSim();
    const [p] = sim.apply(pod('a'));
    expect(specOf(p!)['tolerations']).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
  });

  it('keeps a pod that already tolerates everything unchanged', () => {
    const sim = newSim();
    const [p] = sim.apply(pod('a', { tolerations: [{ operator: 'Exists' }] }));
    expect(specOf(p!)['tolerations']).toEqual([{ operator: 'Exists' }]);
  });
});

describe('NamespaceLifecycle admission', () => {
  it('rejects objects in a namespace that does not exist', () => {
    const sim = newSim();
    const p = pod('a');
    p.metadata.namespace = 'missing';
    expect(() => sim.apply(p)).toThrow('namespaces "missing" not found');
  });

  it('creates the initial namespaces', () => {
    const sim = newSim();
    expect(sim.list('Namespace').map((n) => n.metadata.name)).toEqual(['default', 'kube-node-lease', 'kube-public', 'kube-system']);
  });
});

describe('Pod registry strategy (PrepareForCreate)', () => {
  it('resets a new pod status to Pending with its QoS class, whatever the client sent', () => {
    const sim = newSim();
    const p = pod('a', {});
    (p as Record<string, unknown>)['status'] = { phase: 'Running', podIP: '1.2.3.4' };
    const spec = p['spec'] as { containers: Array<Record<string, unknown>> };
    spec.containers[0]!['resources'] = { limits: { cpu: '1', memory: '1Gi' } };
    const [stored] = sim.apply(p);
    expect(stored!['status']).toEqual({ phase: 'Pending', qosClass: 'Guaranteed' });
  });

  it('marks a gated pod PodScheduled=False with reason SchedulingGated', () => {
    const sim = newSim();
    const [stored] = sim.apply(pod('gated', { schedulingGates: [{ name: 'example.com/wait' }] }));
    expect((stored!['status'] as { conditions: unknown[] }).conditions).toEqual([
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ]);
  });
});
