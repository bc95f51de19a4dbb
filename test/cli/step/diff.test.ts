import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { diffObjects, renderChange } from '../../../src/cli/step/diff.ts';
import { loadScenario } from '../../../src/scenario/load.ts';
import { buildSimulation } from '../../../src/scenario/run.ts';
import { StepPrompt } from '../../../src/cli/step/prompt.ts';
import { StepSession } from '../../../src/cli/step/session.ts';
import { runInteractive, runScript } from '../../../src/cli/step/transcript.ts';
import { join } from 'node:path';

const lines = (a: unknown, b: unknown): string[] => diffObjects(a, b).map(renderChange);

describe('step diffs', () => {
  const table: Array<{ name: string; from: unknown; to: unknown; want: string[] }> = [
    { name: 'added field', from: { spec: {} }, to: { spec: { nodeName: 'node-1' } }, want: ['+ spec.nodeName: node-1'] },
    { name: 'changed field', from: { status: { phase: 'Pending' } }, to: { status: { phase: 'Running' } }, want: ['~ status.phase: Pending -> Running'] },
    { name: 'removed field', from: { spec: { unschedulable: true } }, to: { spec: {} }, want: ['- spec.unschedulable (was true)'] },
    { name: 'resourceVersion is noise', from: { metadata: { resourceVersion: '1' } }, to: { metadata: { resourceVersion: '2' } }, want: [] },
    {
      name: 'conditions matched by type',
      from: { status: { conditions: [{ type: 'Ready', status: 'True' }, { type: 'PodScheduled', status: 'True' }] } },
      to: { status: { conditions: [{ type: 'PodScheduled', status: 'True' }, { type: 'Ready', status: 'False', reason: 'ContainersNotReady' }] } },
      want: ['+ status.conditions[type=Ready].reason: ContainersNotReady', '~ status.conditions[type=Ready].status: True -> False'],
    },
    {
      name: 'a new condition is one line without its timestamps',
      from: {},
      to: { status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'not ready', lastTransitionTime: 'x' }] } },
      want: ['+ status.conditions[type=Ready]: status=False reason=KubeletNotReady message="not ready"'],
    },
    { name: 'unkeyed list replaced', from: { a: [1, 2] }, to: { a: [2] }, want: ['~ a: [1,2] -> [2]'] },
    { name: 'taints (no type or name key) replaced whole', from: { spec: { taints: [{ key: 'k', effect: 'NoSchedule' }] } }, to: { spec: { taints: [] } }, want: ['~ spec.taints: [{"key":"k","effect":"NoSchedule"}] -> []'] },
  ];
  for (const c of table) it(c.name, () => expect(lines(c.from, c.to)).toEqual(c.want));
});

describe('ksim step under a pipe', () => {
  it('echoes each command and prints the same transcript as --script', async () => {
    const scenario = join(import.meta.dirname, 'deploy-one.yaml');
    const loaded = loadScenario([scenario]);
    const mk = (): StepPrompt => new StepPrompt(new StepSession((log) => ({ sim: buildSimulation(loaded, { log }), until: loaded.until })));
    const script = 'next 2\nwhere\nuntil Scheduled\nquit\n';
    let out = '';
    await new Promise<void>((resolve) => runInteractive(mk(), Readable.from([script]), (s) => void (out += s), resolve));
    expect(out).toBe(runScript(mk(), script));
    expect(out).toContain('ksim> until Scheduled\n');
  });
});
