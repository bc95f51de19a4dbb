/** spec.load, spec.config.images and spec.config.metricsServer through the scenario loader: parsed, and errors located. */
import { describe, expect, it } from 'vitest';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError, formatProblem } from '../../src/scenario/problems.ts';
import { evaluate } from '../../src/load/index.ts';

function files(map: Record<string, string>): (p: string) => string {
  return (p) => {
    const t = map[p];
    if (t === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
    return t;
  };
}

const scenario = (load: string, config = '') => `apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: l}
spec:
${config}  load:
${load}`;

function problems(text: string, extra: Record<string, string> = {}): string[] {
  try {
    loadScenarioFromText([{ file: 'dir/s.yaml', text }], { readFile: files(extra) });
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

describe('spec.load in a scenario', () => {
  it('parses entries, series and a CSV trace relative to the scenario file', () => {
    const text = scenario(`    - {namespace: default, selector: {matchLabels: {app: web}}, cpu: {type: trace, file: traces/cpu.csv}}
    - {series: queue, model: {type: constant, value: 7}}
`, `  config:
    images: {"nginx:1.27": {size: 180Mi, pullTime: 3s}}
    metricsServer: {metricResolution: 30s}
`);
    const loaded = loadScenarioFromText([{ file: 'dir/s.yaml', text }], { readFile: files({ 'dir/traces/cpu.csv': 'time,value\n0s,100m\n1m,300m\n' }) });
    const spec = loaded.config.load!;
    expect(spec.pods).toHaveLength(1);
    expect(evaluate(spec.pods[0]!.models.cpu!, 30_000)).toBeCloseTo(0.2, 9);
    expect(spec.series.map((s) => s.name)).toEqual(['queue']);
    expect(loaded.config.images).toEqual({ 'nginx:1.27': { size: '180Mi', pullTime: '3s' } });
    expect(loaded.config.metricsServer).toEqual({ metricResolution: '30s' });
  });

  it('reports problems with file, line, column and field path', () => {
    const text = scenario(`    - namespace: default
      memory: {type: leak, rate: fast}
    - {namespace: default, cpu: {type: trace, file: missing.csv}}
`);
    expect(problems(text)).toEqual([
      `dir/s.yaml: document 1 (Scenario l), line 7, column 34: spec.load[0].memory.rate: Invalid value: "fast": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      `dir/s.yaml: document 1 (Scenario l), line 8, column 53: spec.load[1].cpu.file: Invalid value: "missing.csv": cannot read the trace: ENOENT: no such file or directory, open 'dir/missing.csv'`,
    ]);
  });

  it('rejects bad images and metrics-server settings', () => {
    const text = scenario(`    - {namespace: default, cpu: 1}
`, `  config:
    images: {"a:1": {size: huge, pull: 1s}}
    metricsServer: {metricResolution: 0s}
`);
    expect(problems(text).map((p) => p.replace(/^.*?: (spec\.)/, '$1'))).toEqual([
      'spec.config.images[a:1].size: Invalid value: "huge": must be a non-negative quantity such as "250Mi"',
      'spec.config.images[a:1].pull: Unknown field',
      'spec.config.metricsServer.metricResolution: Invalid value: "0s": must be a positive duration such as "15s", as metrics-server --metric-resolution',
    ]);
  });
});

describe('spec.load warnings', () => {
  it('warns when a workload entry names a workload the scenario never creates', () => {
    const text = scenario(`    - {workload: {kind: Deployment, name: web}, cpu: 1}
    - {workload: {kind: Deployment, name: api}, containers: [c, sidecar], cpu: 1}
`, `  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: api}
      spec: {selector: {matchLabels: {app: api}}, template: {metadata: {labels: {app: api}}, spec: {containers: [{name: c, image: nginx}]}}}
`);
    const loaded = loadScenarioFromText([{ file: 'dir/s.yaml', text }], { readFile: files({}) });
    expect(loaded.warnings.filter((w) => w.includes('spec.load'))).toEqual([
      'dir/s.yaml: spec.load[0].workload: the scenario creates no Deployment default/web; the entry drives no pods unless one is created',
      'dir/s.yaml: spec.load[1].containers[1]: Deployment default/api has no container "sidecar"; it gets no usage',
    ]);
  });
});
