// --emulated-version / --feature-gates and spec.config.emulatedVersion / featureGates:
// the same scenario under different releases gives each release's behaviour.
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';

const FILE = 'test/fixtures/versions/too-big.yaml';

function failedScheduling(args: string[]): string {
  const r = runCli(['run', FILE, '--output', 'json', ...args]);
  expect(r.stderr).toBe('');
  const out = JSON.parse(r.stdout) as { events: Array<{ reason: string; message: string }> };
  return out.events.find((e) => e.reason === 'FailedScheduling')!.message;
}

describe('emulated versions from the command line', () => {
  it('v1.34+ makes a request beyond allocatable unresolvable: preemption is not helpful anywhere', () => {
    const absent = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].";
    expect(failedScheduling([])).toBe(`${absent} preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`);
    expect(failedScheduling(['--emulated-version', '1.34'])).toBe(`${absent} preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.`);
    expect(failedScheduling(['--emulated-version', '1.33'])).toBe(
      `${absent} preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.`,
    );
  });

  it('bad versions and gates are usage errors in upstream words', () => {
    const old = runCli(['run', FILE, '--emulated-version', '1.29']);
    expect(old.code).toBe(2);
    expect(old.stderr).toContain('emulation version 1.29 is not between [1.32, 1.35]');
    const locked = runCli(['run', FILE, '--feature-gates', 'SchedulerQueueingHints=false']);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toContain('cannot set feature gate SchedulerQueueingHints to false, feature is locked to true');
    const unknown = runCli(['validate', FILE, '--feature-gates', 'Nope=true']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unrecognized feature gate: Nope');
    expect(runCli(['validate', FILE, '--emulated-version', '1.33', '--feature-gates', 'SchedulerQueueingHints=false']).code).toBe(0);
  });
});

describe('emulated versions in the scenario', () => {
  const scenario = (config: string) => `apiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  config:\n${config}\n`;
  const problems = (config: string): string[] => {
    try {
      loadScenarioFromText([{ file: 's.yaml', text: scenario(config) }]);
      return [];
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      return e.problems.map((p) => `${p.path}: ${p.message}`);
    }
  };

  it('accepts a quoted release and known gates', () => {
    const loaded = loadScenarioFromText([{ file: 's.yaml', text: scenario('    emulatedVersion: "1.33"\n    featureGates: {SchedulerQueueingHints: false, PodLevelResources: true}') }]);
    expect(loaded.config.emulatedVersion).toBe('1.33');
    expect(loaded.config.featureGates).toEqual({ SchedulerQueueingHints: false, PodLevelResources: true });
  });

  it('locates each problem at its field', () => {
    expect(problems('    emulatedVersion: 1.30')).toEqual(['spec.config.emulatedVersion: Invalid value: 1.3: must be a string, e.g. "1.35" (quoted: an unquoted 1.30 is the number 1.3)']);
    expect(problems('    emulatedVersion: "1.20"')[0]).toContain('emulation version 1.20 is not between [1.32, 1.35]');
    expect(problems('    featureGates: {SchedulerQueueingHints: false}')[0]).toMatch(/^spec\.config\.featureGates\.SchedulerQueueingHints: Invalid value: false: cannot set feature gate SchedulerQueueingHints to false, feature is locked to true/);
    expect(problems('    featureGates: {Bogus: "yes"}')[0]).toMatch(/^spec\.config\.featureGates\.Bogus: Invalid value: "yes": expected boolean/);
  });
});

describe('the kubelet reports the emulated release', () => {
  it.each([
    [[], 'v1.35.0'],
    [['--emulated-version', '1.33'], 'v1.33.0'],
  ] as Array<[string[], string]>)('get nodes %j shows VERSION %s', (args, want) => {
    const r = runCli(['get', 'nodes', '-f', FILE, ...args]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[1]).toMatch(new RegExp(`^node-0\\s+Ready\\s+<none>\\s+\\S+\\s+${want.replace(/\./g, '\\.')}$`));
  });
});
