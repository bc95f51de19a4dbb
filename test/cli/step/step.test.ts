import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/scenario/load.ts';
import { buildSimulation } from '../../../src/scenario/run.ts';
import { StepPrompt } from '../../../src/cli/step/prompt.ts';
import { StepSession } from '../../../src/cli/step/session.ts';
import { runScript } from '../../../src/cli/step/transcript.ts';
import { describeSource } from '../../../src/cli/step/narrate.ts';
import { stepViews } from '../../../src/cli/step/views.ts';
import { runCli } from '../helpers.ts';

const dir = join(import.meta.dirname, '.');
const scenario = join(dir, 'deploy-one.yaml');

function session(): StepSession {
  const loaded = loadScenario([scenario]);
  return new StepSession((log) => ({ sim: buildSimulation(loaded, { log }), until: loaded.until }));
}

describe('ksim step --script', () => {
  it('prints the golden transcript for a Deployment of one pod (deployment -> replicaset -> scheduler -> kubelet)', () => {
    const r = runCli(['step', scenario, '--script', join(dir, 'deploy-one.steps')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(dir, 'deploy-one.golden.txt'), 'utf8'));
  });

  it('names the controller and the key it reconciled, and the upstream event messages', () => {
    const out = runScript(new StepPrompt(session()), 'until ScalingReplicaSet\nuntil SuccessfulCreate\n');
    expect(out).toMatch(/^#\d+ at 2ms: deployment-controller reconciling default\/web$/m);
    expect(out).toMatch(/Event Normal ScalingReplicaSet on Deployment default\/web from deployment-controller: Scaled up replica set web-[a-z0-9]+ from 0 to 1/);
    expect(out).toMatch(/replicaset-controller reconciling default\/web-[a-z0-9]+\n {2}Pod default\/web-[a-z0-9]+-[a-z0-9]{5} created by replicaset-controller/);
    expect(out).toMatch(/\+ status.conditions\[type=Available\]: status=False reason=MinimumReplicasUnavailable/);
  });

  it('back N lands on the same state as stepping forward to it (the run is deterministic)', () => {
    const a = new StepPrompt(session());
    a.exec('next 25');
    const forward = a.exec('next 8').text;
    const b = new StepPrompt(session());
    b.exec('next 40');
    expect(b.exec('back 15').text).toMatch(/^Back at event #25 /);
    expect(b.exec('next 8').text).toBe(forward);
  });

  it('until DURATION runs every event up to that time and no further', () => {
    const s = session();
    const p = new StepPrompt(s);
    p.exec('until 12s');
    expect(s.sim.now).toBeLessThanOrEqual(12_000);
    expect(s.sim.engine.peekTime()!).toBeGreaterThan(12_000);
    expect(p.exec('where').text).toMatch(/^Virtual time 10\.001s .*after event #\d+; the run ends at 30s\.$/m);
  });

  it('stops at the end of the run and says why', () => {
    const p = new StepPrompt(session());
    const out = p.exec('until NoSuchReason').text;
    expect(out).toContain('NoSuchReason did not happen before the end of the run.');
    expect(out).toMatch(/The run is over at 30s after event #\d+: spec.until 30s reached\.\n$/);
    expect(p.exec('next').text).toMatch(/^The run is over/);
  });

  it('rejects bad arguments with a message, not a stack trace', () => {
    const p = new StepPrompt(session());
    expect(p.exec('next 0').text).toMatch(/next takes a count from 1/);
    expect(p.exec('until 5x').text).toMatch(/^until: time: unknown unit/);
    expect(p.exec('explain node x').text).toMatch(/explain takes pod NS\/NAME/);
    const r = runCli(['step', scenario, '--script', join(dir, 'missing.steps')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read --script file/);
  });

  it('until KIND/NAME stops at the first write of that object', () => {
    const p = new StepPrompt(session());
    const out = p.exec('until deployment/web').text;
    expect(out).toMatch(/^#7 at 2ms: deployment-controller reconciling default\/web\n {2}ReplicaSet default\/web-[a-z0-9]+ created by deployment-controller\n {2}Deployment default\/web updated by deployment-controller$/m);
  });

  it("offers kubectl's views of the current moment at the prompt", () => {
    const p = new StepPrompt(session(), stepViews());
    p.exec('until Started');
    const get = p.exec('get pods').text;
    expect(get).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\n/);
    expect(get).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+1s\n/m);
    expect(p.exec('describe deploy web').text).toMatch(/^Name:\s+web\nNamespace:\s+default\n/);
    expect(p.exec('events').text).toMatch(/Normal\s+ScalingReplicaSet\s+Deployment\/web\s+Scaled up replica set web-[a-z0-9]+ from 0 to 1/);
    expect(p.exec('get bogus').text).toBe('get: the server doesn\'t have a resource type "bogus"\n');
    expect(p.exec('get pods --nope').text).toMatch(/^get: Unknown option '--nope'/);
  });

  it('names actors from event sources in words', () => {
    const table: Array<[string, string]> = [
      ['watch', 'watch delivery: informers and event handlers see the latest changes'],
      ['scheduler', 'scheduler: scheduling cycle'],
      ['scheduler/bind', 'scheduler: binding (the Binding subresource)'],
      ['kubelet/node-2', 'kubelet on node-2'],
      ['kubelet/node-lease', 'kubelets renew their node Leases'],
      ['resync/replicaset-controller', 'replicaset-controller: informer resync (every cached object is handed to the controller again)'],
      ['timeline', 'timeline: a scenario action'],
    ];
    for (const [src, words] of table) expect(describeSource(src)).toBe(words);
    expect(describeSource('controller/replicaset-controller', { controller: 'replicaset-controller', key: 'default/web-7c9d5' })).toBe('replicaset-controller reconciling default/web-7c9d5');
  });
});
