// Permit waiting (upstream RunPermitPlugins / WaitOnPermit) and out-of-tree plugin loading.
import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../src/sim/types.ts';
import { Simulation } from '../../src/sim/simulation.ts';
import { createScheduler } from '../../src/scheduler/scheduler.ts';
import { newRegistry, registerPlugin, RegistryError } from '../../src/scheduler/registry.ts';
import { loadPluginModule } from '../../src/scheduler/userPlugins.ts';
import { Code, Status, type Handle, type Plugin } from '../../src/scheduler/framework/types.ts';

const node = (name: string): Node & KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu: '4', memory: '8Gi', pods: '110' } } });
const pod = (name: string, labels: Record<string, string> = {}): Pod & KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] },
});

/** Holds pods labelled gang=x at Permit for 5s unless released by a pod labelled release=x. */
function gangRegistry(handles: Handle[]) {
  const reg = newRegistry();
  registerPlugin(reg, 'Gang', (_args, h) => {
    handles.push(h);
    return {
      name: 'Gang',
      permit: (_s: unknown, p: { pod: Pod }) => (p.pod.metadata?.labels?.['gang'] ? { status: new Status(Code.Wait), timeout: 5000 } : { status: null, timeout: 0 }),
    } as unknown as Plugin;
  });
  return reg;
}

const cfg = { profiles: [{ schedulerName: 'default-scheduler', plugins: { permit: { enabled: [{ name: 'Gang' }] } } }] };

describe('Permit', () => {
  it('binds a waiting pod once allowed', () => {
    const handles: Handle[] = [];
    const sim = Simulation.create();
    sim.use(createScheduler({ config: cfg, registry: gangRegistry(handles) }));
    sim.apply(node('n1'));
    sim.apply(pod('w', { gang: 'x' }));
    sim.runUntil(1000);
    const p = sim.store.get<Pod & KObject>('Pod', 'default', 'w')!;
    expect(p.spec!.nodeName).toBeUndefined();
    let waiting = 0;
    handles[0]!.iterateOverWaitingPods!((wp) => {
      waiting++;
      expect(wp.getPendingPlugins()).toEqual(['Gang']);
      wp.allow('Gang');
    });
    expect(waiting).toBe(1);
    sim.runUntil(2000);
    expect(sim.store.get<Pod & KObject>('Pod', 'default', 'w')!.spec!.nodeName).toBe('n1');
  });

  it('rejects a waiting pod at its timeout with upstream wording', () => {
    const sim = Simulation.create();
    sim.use(createScheduler({ config: cfg, registry: gangRegistry([]) }));
    sim.apply(node('n1'));
    sim.apply(pod('w', { gang: 'x' }));
    sim.runUntil(7000);
    const ev = sim.events().find((e) => e.reason === 'FailedScheduling')!;
    expect(ev.message).toBe('0/1 nodes are available: 1 rejected due to timeout after waiting 5s at plugin Gang.');
    const c = sim.store.get<Pod & KObject>('Pod', 'default', 'w')!.status!.conditions![0]!;
    expect(c.reason).toBe('Unschedulable');
  });
});

describe('registry', () => {
  it('refuses duplicate names', () => {
    const reg = newRegistry();
    expect(() => registerPlugin(reg, 'NodeName', () => ({ name: 'x' }))).toThrow(RegistryError);
    expect(reg.has('DefaultPreemption')).toBe(true);
    expect(reg.has('VolumeRestrictions')).toBe(false);
  });

  it('loads out-of-tree plugin modules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-plugins-'));
    const one = join(dir, 'one.mjs');
    writeFileSync(one, "export const name = 'One'; export const factory = () => ({ name: 'One' });\n");
    const many = join(dir, 'many.mjs');
    writeFileSync(many, "export const plugins = [{ name: 'A', factory: () => ({ name: 'A' }) }, { name: 'B', factory: () => ({ name: 'B' }) }];\n");
    const bad = join(dir, 'bad.mjs');
    writeFileSync(bad, 'export const x = 1;\n');
    expect((await loadPluginModule(one)).map((m) => m.name)).toEqual(['One']);
    expect((await loadPluginModule(many)).map((m) => m.name)).toEqual(['A', 'B']);
    await expect(loadPluginModule(bad)).rejects.toThrow('must export "name" and "factory"');
    await expect(loadPluginModule(join(dir, 'missing.mjs'))).rejects.toThrow('cannot load plugin module');
  });
});
