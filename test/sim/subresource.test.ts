import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/sim/simulation.ts';
import type { AdmissionRequest, KObject } from '../../src/sim/types.ts';
import { pod } from './helpers.ts';

function seen(): { sim: Simulation; main: string[]; withStatus: string[] } {
  const sim = Simulation.create({ seed: 1 });
  const main: string[] = [];
  const withStatus: string[] = [];
  const note = (into: string[]) => (r: AdmissionRequest) => void into.push(`${r.operation}${r.subresource ? `/${r.subresource}` : ''}`);
  sim.store.addAdmission({ name: 'main-only', kinds: ['Pod'], validate: note(main) });
  sim.store.addAdmission({ name: 'status-too', kinds: ['Pod'], subresources: ['status'], validate: note(withStatus) });
  return { sim, main, withStatus };
}

describe('subresource writes and admission', () => {
  it('a plugin sees subresource writes only for the subresources it lists', () => {
    const { sim, main, withStatus } = seen();
    sim.store.create(pod('p'));
    sim.store.patch('Pod', 'default', 'p', (d: KObject) => void (d['status'] = { phase: 'Running' }), { subresource: 'status' });
    sim.store.patch('Pod', 'default', 'p', (d: KObject) => void ((d['spec'] as Record<string, unknown>)['nodeName'] = 'n1'), { subresource: 'binding' });
    sim.store.patch('Pod', 'default', 'p', (d: KObject) => void (d.metadata.labels = { a: 'b' }));
    expect(main).toEqual(['CREATE', 'UPDATE']);
    expect(withStatus).toEqual(['CREATE', 'UPDATE/status', 'UPDATE']);
  });

  it('binding sets spec.nodeName and status without moving generation; a spec write moves it', () => {
    const sim = Simulation.create({ seed: 1 });
    const created = sim.store.create(pod('p'));
    const bound = sim.store.patch('Pod', 'default', 'p', (d: KObject) => {
      (d['spec'] as Record<string, unknown>)['nodeName'] = 'n1';
      d['status'] = { conditions: [{ type: 'PodScheduled', status: 'True' }] };
    }, { subresource: 'binding' });
    expect((bound['spec'] as { nodeName?: string }).nodeName).toBe('n1');
    expect((bound['status'] as { conditions: unknown[] }).conditions).toHaveLength(1);
    expect(bound.metadata.generation).toBe(created.metadata.generation);
    const edited = sim.store.patch('Pod', 'default', 'p', (d: KObject) => void ((d['spec'] as Record<string, unknown>)['activeDeadlineSeconds'] = 5));
    expect(edited.metadata.generation).toBe((created.metadata.generation ?? 0) + 1);
  });

  it('the status subresource keeps spec as stored', () => {
    const sim = Simulation.create({ seed: 1 });
    sim.store.create(pod('p'));
    const after = sim.store.patch('Pod', 'default', 'p', (d: KObject) => {
      (d['spec'] as Record<string, unknown>)['nodeName'] = 'sneaky';
      d['status'] = { phase: 'Running' };
    }, { subresource: 'status' });
    expect((after['spec'] as { nodeName?: string }).nodeName).toBeUndefined();
    expect((after['status'] as { phase: string }).phase).toBe('Running');
  });
});
