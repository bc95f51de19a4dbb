// Out-of-tree plugins: an exception names the plugin, extension point, pod and node and
// fails the attempt as a plugin error does upstream (FailedScheduling, retried); a NaN,
// fractional or out-of-range score is upstream's invalid-score error.
import { describe, expect, it } from 'vitest';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { newRegistry, registerPlugin } from '../../src/scheduler/registry.ts';
import type { FilterPlugin, PluginFactory, ScorePlugin } from '../../src/scheduler/framework/types.ts';

const node = (name: string): Node & KObject => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: {},
  status: { capacity: { cpu: '4', memory: '16Gi', pods: '110' }, allocatable: { cpu: '4', memory: '16Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] },
});
const pod: Pod & KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } };

function run(name: string, factory: PluginFactory, point: 'filter' | 'score'): { bound: string | undefined; messages: string[] } {
  const registry = newRegistry();
  registerPlugin(registry, name, factory);
  const config = {
    apiVersion: 'kubescheduler.config.k8s.io/v1',
    kind: 'KubeSchedulerConfiguration',
    profiles: [{ schedulerName: 'default-scheduler', plugins: { [point]: { enabled: [{ name, ...(point === 'score' ? { weight: 1 } : {}) }] } } }],
  };
  const sim = Simulation.create({ seed: 1 });
  sim.use(createScheduler({ config, registry }));
  sim.apply([node('n1'), node('n2')]);
  sim.apply(pod);
  sim.runUntil(5_000);
  return {
    bound: sim.store.get<Pod & KObject>('Pod', 'default', 'web')?.spec?.nodeName,
    messages: sim.events().filter((e) => e.reason === 'FailedScheduling').map((e) => e.message),
  };
}

describe('out-of-tree plugin failures', () => {
  it('an exception in Filter names plugin, point, pod and node; the pod stays Pending', () => {
    const factory: PluginFactory = () =>
      ({
        name: 'Broken',
        filter: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'labels')");
        },
      }) as FilterPlugin;
    const r = run('Broken', factory, 'filter');
    expect(r.bound).toBeUndefined();
    expect(r.messages[0]).toMatch(/plugin "Broken" threw at Filter for pod "default\/web" on node "n[12]": TypeError: Cannot read properties of undefined \(reading .labels.\)/);
  });

  it.each([
    [Number.NaN, 'NaN'],
    [101, '101'],
    [-1, '-1'],
    [50.5, '50.5'],
  ])('a score of %s is an invalid score', (score, text) => {
    const factory: PluginFactory = () => ({ name: 'OddScore', score: () => score }) as ScorePlugin;
    const r = run('OddScore', factory, 'score');
    expect(r.bound).toBeUndefined();
    expect(r.messages[0]).toContain(`plugin "OddScore" returns an invalid score ${text}, it should in the range of [0, 100] after normalizing`);
  });

  it('a valid score binds', () => {
    const factory: PluginFactory = () => ({ name: 'Fine', score: () => 42 }) as ScorePlugin;
    expect(run('Fine', factory, 'score').bound).toMatch(/^n[12]$/);
  });
});
