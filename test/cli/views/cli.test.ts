import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.ts';
import { ProgressSink, PROGRESS_DELAY_MS } from '../../../src/cli/progress.ts';
import { runCli } from '../helpers.ts';

const QUICKSTART = 'scenarios/quickstart.yaml';
const dir = mkdtempSync(join(tmpdir(), 'ksim-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ksim run summary', () => {
  const r = runCli(['run', QUICKSTART]);

  it('names the Pending pod with the scheduler reason and message, and points to ksim explain', () => {
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Pods not Running or Succeeded (1)\n');
    expect(r.stdout).toMatch(/^default\/huge\s+Pending\s+Unschedulable\s+0\/6 nodes are available: 6 Insufficient cpu\./m);
    expect(r.stdout).toContain(`Why is default/huge Pending? ksim explain ${QUICKSTART} --pod default/huge\n`);
  });

  it('--quiet prints nothing when every expectation passes; --output json is unchanged by the summary', () => {
    const q = runCli(['run', QUICKSTART, '--quiet']);
    expect(q).toEqual({ code: 0, stdout: '', stderr: '' });
    const j = JSON.parse(runCli(['run', QUICKSTART, '-o', 'json']).stdout) as Record<string, unknown>;
    expect(Object.keys(j)).toEqual(['seed', 'startTime', 'endTime', 'endTimeMs', 'objects', 'events', 'expectations', 'warnings']);
  });

  it('--quiet and --verbose together is a usage error', () => {
    const q = runCli(['run', QUICKSTART, '--quiet', '--verbose']);
    expect(q.code).toBe(2);
    expect(q.stderr).toContain('--quiet and --verbose cannot be used together');
  });

  it('never draws a progress line when stderr is not a terminal', () => {
    let stderr = '';
    const code = main(['run', 'scenarios/deployment-rolling-update.yaml'], { stdout: () => {}, stderr: (s) => void (stderr += s), env: {}, stderrIsTTY: false });
    expect(code).toBe(0);
    expect(stderr).not.toContain('\r');
    expect(stderr).not.toContain('virtual time');
  });
});

describe('watching a run for the progress line does not change it', () => {
  it('ksim run -o json is byte-identical with stderr a terminal or not', () => {
    const run = (tty: boolean): string => {
      let stdout = '';
      main(['run', 'scenarios/deployment-rolling-update.yaml', '-o', 'json'], { stdout: (s) => void (stdout += s), stderr: () => {}, env: {}, stderrIsTTY: tty });
      return stdout;
    };
    expect(run(true)).toBe(run(false));
  });
});

describe('the progress line', () => {
  it('appears only after the delay, redrawn in place, and is erased at the end', () => {
    let wall = 0;
    let out = '';
    const p = new ProgressSink((s) => void (out += s), undefined, () => wall);
    for (let i = 0; i < 2048; i++) p.write({ t: i, type: 'create', kind: 'Pod', namespace: 'd', name: `p${i}`, resourceVersion: '1' });
    expect(out).toBe('');
    wall = PROGRESS_DELAY_MS + 500;
    for (let i = 0; i < 512; i++) p.write({ t: 60_000, type: 'note', message: 'x' });
    expect(out).toBe('\r\x1b[Kksim: virtual time 1m0s, 1280 writes+events/s, 2048 objects');
    p.clear();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('ksim get/describe/events/top on the command line', () => {
  it('get pods at a moment, by -f', () => {
    const r = runCli(['get', 'pods', '-f', QUICKSTART, '--at', '30s']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('NAME    READY   STATUS    RESTARTS   AGE');
    expect(r.stdout).toMatch(/^huge {4}0\/1 {5}Pending {3}0 {10}30s$/m);
  });

  it('a saved run log replays to the same views as the scenario', () => {
    const log = join(dir, 'run.ndjson');
    expect(runCli(['run', QUICKSTART, '--log', log]).code).toBe(0);
    for (const at of ['30s', '90s', '5m']) {
      for (const kind of ['pods', 'nodes']) {
        const fromScenario = runCli(['get', kind, '-o', 'wide', '-f', QUICKSTART, '--at', at]);
        const fromLog = runCli(['get', kind, '-o', 'wide', '--log', log, '--at', at]);
        expect(fromLog.stdout).toBe(fromScenario.stdout);
      }
    }
    expect(runCli(['get', 'nodes', 'node-5', '--log', log, '--at', '90s']).stdout).toContain('Ready,SchedulingDisabled');
    expect(runCli(['describe', 'pod', 'huge', '--log', log]).stdout).toContain('Warning  FailedScheduling');
  });

  it('events --for and top without metrics', () => {
    const e = runCli(['events', '-f', QUICKSTART, '--for', 'pod/huge']);
    expect(e.stdout).toMatch(/^LAST SEEN +TYPE +REASON +OBJECT +MESSAGE\n.*Warning +FailedScheduling +Pod\/huge +0\/6 nodes/);
    const t = runCli(['top', 'nodes', '-f', QUICKSTART]);
    expect(t).toMatchObject({ code: 1, stdout: '', stderr: 'error: Metrics API not available\n' });
  });

  it('bad input is a clear message, not a stack trace', () => {
    const noInput = runCli(['get', 'pods']);
    expect(noInput.code).toBe(2);
    expect(noInput.stderr).toContain('a scenario (-f FILE) or a run log (--log FILE) is required');
    const badAt = runCli(['get', 'pods', '-f', QUICKSTART, '--at', 'soon']);
    expect(badAt.stderr).toContain('invalid --at "soon": time: invalid duration "soon"');
    const kind = runCli(['get', 'widgets', '-f', QUICKSTART]);
    expect(kind.stderr).toContain('the server doesn\'t have a resource type "widgets"');
    expect(runCli(['describe', 'pod', 'nope', '-f', QUICKSTART]).stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
  });
});
