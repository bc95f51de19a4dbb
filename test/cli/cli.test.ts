import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE } from './helpers.ts';
import { reportError } from '../../src/cli/main.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';

describe('ksim help and usage', () => {
  it('--version prints the package version and the Kubernetes release it emulates', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ksim \d+\.\d+\.\d+ \(emulates Kubernetes v1\.\d+ by default; --emulated-version [\d., ]+\)\n$/);
  });

  it('--help lists the commands', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: ksim COMMAND');
    expect(r.stdout).toMatch(/^\s+run\s+Run scenario/m);
    expect(r.stdout).toMatch(/^\s+validate\s+Check scenario/m);
  });

  it('no arguments prints usage to stderr, exit 2', () => {
    const r = runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: ksim COMMAND');
  });

  it.each([['run'], ['validate']])('%s --help / -h', (cmd) => {
    for (const flag of ['--help', '-h']) {
      const r = runCli([cmd, flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: ksim ${cmd} FILE...`);
    }
  });

  it('an unknown flag is a usage error', () => {
    const r = runCli(['run', '--sed', '3', 'scenarios/quickstart.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ksim run: unknown flag: --sed\nRun 'ksim run --help' for usage.\n");
  });

  it('an unknown command is a usage error', () => {
    const r = runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ksim: unknown command "frobnicate"');
  });

  it.each([
    [['run', '--seed', 'abc', 'x.yaml'], 'invalid --seed "abc": must be a non-negative integer'],
    [['run', '--until', '5 minutes', 'x.yaml'], 'invalid --until "5 minutes": time: unknown unit " minutes" in duration "5 minutes"'],
    [['run', '--output', 'yaml', 'x.yaml'], 'invalid --output "yaml": must be table or json'],
    [['run'], 'at least one FILE is required'],
    [['validate'], 'at least one FILE is required'],
  ])('%j', (args, msg) => {
    const r = runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(msg);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a missing file', () => {
    const r = runCli(['validate', 'no/such/file.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no/such/file.yaml: cannot read file: no such file or directory');
  });
});

describe('ksim validate', () => {
  it('prints a summary for valid files', () => {
    const r = runCli(['validate', 'scenarios/quickstart.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok: 12 objects, 2 timeline actions, 6 expectations\n');
    expect(r.code).toBe(0);
  });

  it('validates every example scenario', () => {
    for (const f of ['scenarios/zone-outage.yaml', 'scenarios/plain-manifests.yaml', 'scenarios/large-cluster.yaml']) {
      const r = runCli(['validate', f]);
      expect(r.code, r.stderr).toBe(0);
    }
  });

  it('prints warnings to stderr and still succeeds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-cli-'));
    const file = join(dir, 'w.yaml');
    writeFileSync(file, 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
    const r = runCli(['validate', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: ignoring unknown kind Widget (apiVersion example.com/v1) in ${file}, document 1\n`);
    expect(r.stdout).toBe('ok: 0 objects, 0 timeline actions, 0 expectations\n');
  });
});

describe('ksim run', () => {
  it('quickstart: table output, expectations pass, FailedScheduling shown', () => {
    const r = runCli(['run', 'scenarios/quickstart.yaml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Scenario: quickstart');
    expect(r.stdout).toContain('Seed:     1');
    expect(r.stdout).toContain('End:      5m0s (2025-01-01T00:05:00Z)');
    expect(r.stdout).toMatch(/^Warning\s+FailedScheduling\s+\d+$/m);
    expect(r.stdout).toMatch(/^node-5\s+Ready,SchedulingDisabled\s/m);
    expect(r.stdout).not.toMatch(/^FAIL\s/m);
    expect(r.stdout).toContain('Expectations (6/6 passed)');
    expect(r.code).toBe(0);
  });

  it('json output is one document with the documented keys', () => {
    const r = runCli(['run', 'scenarios/quickstart.yaml', '-o', 'json', '--seed', '9', '--until', '2m']);
    // The 3m count expectation, evaluated at 2m, cannot see the pod created at 2m running: exit 1.
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['seed', 'startTime', 'endTime', 'endTimeMs', 'objects', 'events', 'expectations', 'warnings']);
    expect(doc['seed']).toBe(9);
    expect(doc['endTime']).toBe('2025-01-01T00:02:00Z');
    expect(doc['endTimeMs']).toBe(120_000);
    const exps = doc['expectations'] as Array<{ note?: string }>;
    // The 3m expectation is past the 2m end: evaluated at the end, and says so.
    expect(exps.some((e) => e.note?.includes('past the end'))).toBe(true);
    const objs = doc['objects'] as Array<{ kind: string; metadata: { namespace?: string; name: string } }>;
    const keys = objs.map((o) => `${o.kind}\u0000${o.metadata.namespace ?? ''}\u0000${o.metadata.name}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('a failed expectation exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-cli-'));
    const file = join(dir, 'fail.yaml');
    writeFileSync(
      file,
      `apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: fail}
spec:
  until: 1m
  nodes: [{count: 1, capacity: {cpu: "1", memory: 1Gi}}]
  expect:
    - {at: 30s, kind: Node, name: node-0, path: spec.unschedulable, equals: true}
`,
    );
    const r = runCli(['run', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^FAIL\s+30s\s+Node node-0 spec.unschedulable equals true\s+<none>$/m);
  });

  it('--log writes the NDJSON run log with timeline actions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-cli-'));
    const log = join(dir, 'run.ndjson');
    const r = runCli(['run', 'scenarios/quickstart.yaml', '--log', log, '-o', 'json']);
    expect(r.code).toBe(0);
    const records = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; action?: string });
    expect(records.filter((x) => x.type === 'action').map((x) => x.action)).toEqual(['cordon', 'apply']);
  });

  it('a directory given as FILE', () => {
    const r = runCli(['run', 'scenarios']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('scenarios: cannot read file: is a directory');
  });
});

describe('error reporting', () => {
  const capture = (env: Record<string, string>) => {
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (s: string) => void (stderr += s), env };
    return { io, get stderr() { return stderr; } };
  };

  it('an internal error is one line, exit 70', () => {
    const c = capture({});
    expect(reportError(new Error('boom'), 'run', c.io)).toBe(70);
    expect(c.stderr).toBe('ksim: internal error: boom\n');
  });

  it('the stack only with KSIM_DEBUG=1', () => {
    const c = capture({ KSIM_DEBUG: '1' });
    expect(reportError(new Error('boom'), 'run', c.io)).toBe(70);
    expect(c.stderr.startsWith('ksim: internal error: boom\n')).toBe(true);
    expect(c.stderr).toMatch(STACK_LINE);
  });

  it('a ScenarioError prints each problem, exit 2', () => {
    const c = capture({});
    const e = new ScenarioError([
      { file: 'a.yaml', document: 2, object: 'Pod default/web', line: 14, column: 16, path: 'spec.containers[0].resources.requests[cpu]', message: 'Invalid value: "lots": bad' },
      { file: 'b.yaml', message: 'cannot read file: no such file or directory' },
    ]);
    expect(reportError(e, 'validate', c.io)).toBe(2);
    expect(c.stderr).toBe(
      'a.yaml: document 2 (Pod default/web), line 14, column 16: spec.containers[0].resources.requests[cpu]: Invalid value: "lots": bad\n' +
        'b.yaml: cannot read file: no such file or directory\n' +
        'ksim validate: 2 problems found\n',
    );
  });
});
