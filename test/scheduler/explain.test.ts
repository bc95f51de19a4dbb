/**
 * `ksim explain` and `ksim run --trace-scheduling`: every node evaluated,
 * per-plugin scores, the failure message, what would have to change
 * (resources, taints, labels, preemption victims), and the NDJSON trace of
 * every attempt including preemption.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../cli/helpers.ts';
import type { Explanation } from '../../src/cli/commands/explain.ts';
import type { AttemptRecord } from '../../src/scheduler/explain/record.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ksim-explain-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

const cluster = write(
  'cluster.yaml',
  `apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: explain-test}
spec:
  nodes:
    - {count: 3, namePrefix: small, capacity: {cpu: "2", memory: 4Gi}, labels: {disk: hdd}}
    - {name: tainted, capacity: {cpu: "8", memory: 16Gi}, taints: [{key: dedicated, value: gpu, effect: NoSchedule}]}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: low}
value: 10
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: mid}
value: 100
---
apiVersion: v1
kind: Pod
metadata: {name: filler-0, namespace: default}
spec:
  priorityClassName: low
  nodeName: small-0
  containers: [{name: c, image: x, resources: {requests: {cpu: "1500m"}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: filler-1, namespace: default}
spec:
  priorityClassName: mid
  nodeName: small-1
  containers: [{name: c, image: x, resources: {requests: {cpu: "1500m"}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: filler-2, namespace: default}
spec:
  priorityClassName: mid
  nodeName: small-2
  containers: [{name: c, image: x, resources: {requests: {cpu: "1500m"}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  containers: [{name: c, image: x, resources: {requests: {cpu: "500m"}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: big, namespace: default}
spec:
  priorityClassName: high
  containers: [{name: c, image: x, resources: {requests: {cpu: "1"}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: picky, namespace: default}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: x}]
`,
);

function explainJson(pod: string, extra: string[] = []): Explanation {
  const r = runCli(['explain', cluster, '--pod', pod, '--output', 'json', ...extra]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Explanation;
}

describe('ksim explain', () => {
  it('evaluates every node with filter verdicts and per-plugin scores for a schedulable pod', () => {
    const e = explainJson('default/web');
    expect(e.trigger).toBe('first-attempt');
    expect(e.nodesTotal).toBe(4);
    expect(e.nodesEvaluated).toBe(4);
    expect(e.filter.map((f) => f.node).sort()).toEqual(['small-0', 'small-1', 'small-2', 'tainted']);
    expect(e.filter.find((f) => f.node === 'tainted')).toMatchObject({ plugin: 'TaintToleration', code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] });
    // Every feasible node is scored, and only those.
    const feasible = e.filter.filter((f) => f.code === 'Success').map((f) => f.node).sort();
    expect(e.feasible).toBe(feasible.length);
    expect(feasible.length).toBeGreaterThan(0);
    expect(e.totals.map((t) => t.node).sort()).toEqual(feasible);
    for (const s of e.scores) expect(s.weighted).toBe(s.normalized * s.weight);
    for (const t of e.totals) {
      const sum = e.scores.filter((s) => s.node === t.node).reduce((a, s) => a + s.weighted, 0);
      expect(t.score).toBe(sum);
    }
    expect(e.chosen).toBeDefined();
    expect(e.firstAttempt?.chosen).toBeDefined();
    expect(e.whatWouldHaveToChange).toEqual([]);
  });

  it('explains an unschedulable pod: message, resource shortfall, toleration, preemption victims', () => {
    const e = explainJson('default/big');
    expect(e.chosen).toBeUndefined();
    expect(e.error).toBe('0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.');
    const text = e.whatWouldHaveToChange.join('\n');
    expect(text).toContain('Insufficient cpu on 3 node(s): needs 500m more cpu than the roomiest node has free: small-0 has 500m free, pod requests 1');
    expect(text).toContain('add toleration {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}');
    // The lowest-priority victim's node (upstream criterion 2).
    expect(e.preemption?.nominatedNodeName).toBe('small-0');
    expect(e.preemption?.victims).toEqual([{ pod: 'default/filler-0', priority: 10 }]);
    expect(e.whatWouldHaveToChange.at(-1)).toBe('preemption would nominate small-0 and evict default/filler-0 (priority 10)');
  });

  it('names the labels no node has for a nodeSelector', () => {
    const e = explainJson('picky');
    expect(e.error).toBe("0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 node(s) didn't match Pod's node affinity/selector.");
    expect(e.whatWouldHaveToChange.join('\n')).toContain('no node has label disk=ssd');
  });

  it('table output: result, reason histogram, score table, suggestions', () => {
    const r = runCli(['explain', cluster, '--pod', 'default/big']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Result: unschedulable: 0/4 nodes are available');
    expect(r.stdout).toMatch(/3\s+NodeResourcesFit\s+Unschedulable\s+Insufficient cpu/);
    expect(r.stdout).toContain('What would have to change');
    const ok = runCli(['explain', cluster, '--pod', 'default/web', '--all-nodes']);
    expect(ok.stdout).toMatch(/NODE\s+TOTAL\s+TaintToleration/);
    expect(ok.stdout).toMatch(/tainted\s+UnschedulableAndUnresolvable\s+TaintToleration/);
  });

  it('--at explains the cluster at a later time (the pod is bound by then)', () => {
    const e = explainJson('default/web', ['--at', '30s']);
    expect(e.trigger).toBe('at');
    expect(e.boundTo).toBeDefined();
  });

  it('bad input gives a usage error, not a stack trace', () => {
    const r = runCli(['explain', cluster]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--pod NS/NAME is required');
    const r2 = runCli(['explain', cluster, '--pod', 'default/nope', '--at', '1s']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('pod "default/nope" not found');
    expect(r2.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('ksim run --trace-scheduling', () => {
  it('writes one JSON record per attempt, with the preemption decision', () => {
    const trace = path.join(dir, 'trace.ndjson');
    const r = runCli(['run', cluster, '--until', '1m', '--trace-scheduling', trace]);
    expect(r.code).toBe(0);
    const records = fs
      .readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as AttemptRecord);
    const pods = new Set(records.map((x) => x.pod));
    expect(pods).toEqual(new Set(['default/web', 'default/big', 'default/picky']));
    const bigFirst = records.find((x) => x.pod === 'default/big')!;
    expect(bigFirst.error).toBe('0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.');
    expect(bigFirst.postFilter).toMatchObject({ status: { code: 'Success' }, nominatedNodeName: 'small-0', victims: ['default/filler-0'] });
    expect(bigFirst.postFilter?.candidates?.map((c) => c.node).sort()).toEqual(['small-0', 'small-1', 'small-2']);
    expect(bigFirst.postFilter?.candidates?.find((c) => c.node === 'small-0')).toEqual({ node: 'small-0', victims: ['default/filler-0'], numPDBViolations: 0 });
    const bigLast = records.filter((x) => x.pod === 'default/big').at(-1)!;
    expect(bigLast.chosen).toBe('small-0');
  });
});
