/**
 * The broken-file corpus: every file in test/fixtures/broken must be
 * rejected by `ksim validate` with exit code 2, one clear message per
 * problem naming file, document, line, column and field path, and no stack
 * trace. Messages follow upstream wording where upstream has one
 * (field.Error rendering, apimachinery NotFound/AlreadyExists, Go's
 * time.ParseDuration).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE } from './helpers.ts';

const DIR = 'test/fixtures/broken';
const f = (name: string): string => `${DIR}/${name}`;

/** file -> substrings that must all appear in stderr (each a line of its own unless noted). */
const CASES: Record<string, string[]> = {
  'yaml-syntax.yaml': [`${f('yaml-syntax.yaml')}: document 1, line 7, column 3: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }`],
  'tab-indent.yaml': [`${f('tab-indent.yaml')}: document 1, line 4, column 1: YAML syntax error: Tabs are not allowed as indentation`],
  'not-a-mapping.yaml': [`${f('not-a-mapping.yaml')}: document 2, line 6, column 1: expected a mapping (a Kubernetes object), got a sequence`],
  'missing-kind.yaml': [`${f('missing-kind.yaml')}: document 1 (<no kind> default/web), line 1, column 1: kind: Required value`],
  'unknown-field.yaml': [`${f('unknown-field.yaml')}: document 1 (Pod default/web), line 9, column 7: spec.containers[0].resourcez: Unknown field: did you mean "resources"?`],
  'wrong-type.yaml': [`${f('wrong-type.yaml')}: document 1 (Deployment default/web), line 6, column 13: spec.replicas: Invalid value: "three": expected integer, got string`],
  'invalid-quantity.yaml': [
    `${f('invalid-quantity.yaml')}: document 2 (Pod shop/web), line 17, column 16: spec.containers[0].resources.requests[cpu]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  ],
  'negative-quantity.yaml': [`${f('negative-quantity.yaml')}: document 1 (Pod default/web), line 11, column 19: spec.containers[0].resources.requests[memory]: Invalid value: "-1Gi": must be greater than or equal to 0`],
  'bad-duration.yaml': [`${f('bad-duration.yaml')}: document 1 (Scenario bad-duration), line 6, column 10: spec.until: Invalid value: "5 minutes": time: unknown unit " minutes" in duration "5 minutes"`],
  'unknown-action.yaml': [
    `${f('unknown-action.yaml')}: document 1 (Scenario unknown-action), line 11, column 15: spec.timeline[0].reboot: Unsupported value: "reboot": supported values: "apply", "delete", "scale", "patch", "evict", "cordon", "uncordon", "drain", "nodeDown", "nodeUp"`,
  ],
  'scale-missing.yaml': [`${f('scale-missing.yaml')}: document 1 (Scenario scale-missing), line 11, column 39: spec.timeline[0].scale.name: Not found: deployments.apps "web" not found`],
  'duplicate-pods.yaml': [
    `${f('duplicate-pods.yaml')}: document 2 (Pod default/web), line 13, column 9: metadata.name: Duplicate value: "web": pods "web" already exists (first defined in ${f('duplicate-pods.yaml')}, document 1)`,
  ],
  'include-missing.yaml': [`${f('include-missing.yaml')}: document 1 (Scenario include-missing), line 7, column 7: spec.include[0]: Not found: "does-not-exist.yaml": open test/fixtures/broken/does-not-exist.yaml: no such file or directory`],
  'bad-template.yaml': [
    `${f('bad-template.yaml')}: document 1 (Scenario bad-template), line 11, column 38: spec.nodes[0].labels[topology.kubernetes.io/zone]: Invalid value: "zone-{{ index %% 3 }}": template: in "{{ index %% 3 }}": unexpected "%"`,
  ],
  'bad-label-value.yaml': [`${f('bad-label-value.yaml')}: document 1 (Pod default/web), line 6, column 10: metadata.labels: Invalid value: "has spaces": a valid label must be an empty string or consist of alphanumeric characters`],
  'priorityclass-missing.yaml': [`${f('priorityclass-missing.yaml')}: document 2 (Pod default/web), line 12, column 22: spec.priorityClassName: Not found: no PriorityClass with name gold was found`],
  'node-count-negative.yaml': [`${f('node-count-negative.yaml')}: document 1 (Scenario node-count-negative), line 7, column 14: spec.nodes[0].count: Invalid value: -3: must be greater than or equal to 0`],
  'start-time.yaml': [`${f('start-time.yaml')}: document 1 (Scenario start-time), line 6, column 14: spec.startTime: Invalid value: "January 1st 2025": must be an RFC 3339 timestamp`],
  'expect-bad-path.yaml': [`${f('expect-bad-path.yaml')}: document 1 (Scenario expect-bad-path), line 16, column 13: spec.expect[0].path: Invalid value: "{.status.phase}": unsupported path syntax`],
  'namespace-missing.yaml': [`${f('namespace-missing.yaml')}: document 1 (Pod shop/web), line 5, column 14: metadata.namespace: Not found: namespaces "shop" not found`],
  'unknown-scenario-field.yaml': [`${f('unknown-scenario-field.yaml')}: document 1 (Scenario unknown-scenario-field), line 7, column 3: spec.nodez: Unknown field\n`],
  'cordon-missing-node.yaml': [`${f('cordon-missing-node.yaml')}: document 1 (Scenario cordon-missing-node), line 11, column 15: spec.timeline[0].cordon: Not found: nodes "node-9" not found`],
  'wrong-api-version.yaml': [`${f('wrong-api-version.yaml')}: document 1 (Deployment default/web), line 1, column 13: apiVersion: no matches for kind "Deployment" in version "apps/v1beta1"`],
  'two-actions.yaml': [`${f('two-actions.yaml')}: document 1 (Scenario two-actions), line 12, column 14: spec.timeline[0].drain: Forbidden: only one action per timeline entry (also has cordon)`],
  'missing-name.yaml': [`${f('missing-name.yaml')}: document 1 (Pod default/<no name>), line 3, column 1: metadata.name: Required value: name or generateName is required`],
  'seed-not-integer.yaml': [`${f('seed-not-integer.yaml')}: document 1 (Scenario seed-not-integer), line 6, column 9: spec.seed: Invalid value: "abc": expected integer, got string`],
  'timeline-apply-invalid.yaml': [
    `${f('timeline-apply-invalid.yaml')}: document 1 (Pod default/late at spec.timeline[0].apply), line 20, column 31: spec.containers[0].resources.limits[cpu]: Invalid value: "1.5.0": quantities must match the regular expression`,
  ],
  'many-problems.yaml': [
    `${f('many-problems.yaml')}: document 1 (Pod default/a), line 10, column 25: spec.containers[0].resources.requests[cpu]: Invalid value: "lots"`,
    `${f('many-problems.yaml')}: document 2 (Pod nowhere/b), line 16, column 14: metadata.namespace: Not found: namespaces "nowhere" not found`,
    `${f('many-problems.yaml')}: document 3 (Scenario many), line 27, column 10: spec.until: Invalid value: "10 mins": time: unknown unit " mins" in duration "10 mins"`,
    `${f('many-problems.yaml')}: document 3 (Scenario many), line 30, column 23: spec.nodes[0].capacity[cpu]: Invalid value: "two": quantities must match the regular expression`,
    `${f('many-problems.yaml')}: document 3 (Scenario many), line 35, column 13: spec.expect[0].path: Invalid value: "status..phase": empty field name`,
    'ksim validate: 5 problems found',
  ],
  'bad-capacity.yaml': [`${f('bad-capacity.yaml')}: document 1 (Scenario bad-capacity), line 11, column 17: spec.nodes[0].capacity[memory]: Invalid value: "32GB of RAM": quantities must match the regular expression`],
  'two-scenarios.yaml': [`${f('two-scenarios.yaml')}: document 2, line 7, column 1: only one Scenario document is allowed (the first is in ${f('two-scenarios.yaml')}, document 1)`],
  'duplicate-node-groups.yaml': [
    `${f('duplicate-node-groups.yaml')}: document 1 (Node node-0 from spec.nodes[1]), line 9, column 7: metadata.name: Duplicate value: "node-0": nodes "node-0" already exists (first defined in ${f('duplicate-node-groups.yaml')}, document 1)`,
  ],
};

describe('broken-file corpus', () => {
  it('has at least 20 files, each with expectations', () => {
    const files = readdirSync(DIR).filter((x) => x.endsWith('.yaml')).sort();
    expect(files.length).toBeGreaterThanOrEqual(20);
    expect(files).toEqual(Object.keys(CASES).sort());
  });

  it.each(Object.entries(CASES))('%s', (file, wanted) => {
    const r = runCli(['validate', f(file)]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    for (const w of wanted) expect(r.stderr).toContain(w);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stderr).not.toContain('internal error');
    // One message per problem: no line is repeated.
    const lines = r.stderr.trim().split('\n');
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('`ksim run` rejects them the same way, before running anything', () => {
    for (const file of ['invalid-quantity.yaml', 'scale-missing.yaml', 'yaml-syntax.yaml']) {
      const r = runCli(['run', f(file)]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(f(file));
    }
  });
});
