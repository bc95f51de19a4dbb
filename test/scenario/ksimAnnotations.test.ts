// ksim.dev/* annotations are checked at load time: a typo or an unparseable value
// is a located problem, not a pod that silently runs forever. Pods whose owner
// will not exist are reported as the garbage collector's next victims.
import { describe, expect, it } from 'vitest';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';
import { ksimAnnotationProblem } from '../../src/api/ksimAnnotations.ts';

const podWith = (annotations: Record<string, string>) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  annotations:\n${Object.entries(annotations)
    .map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`)
    .join('\n')}\nspec:\n  containers: [{name: app, image: nginx}]\n`;

function problems(text: string): string[] {
  try {
    loadScenarioFromText([{ file: 'p.yaml', text }]);
    return [];
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return e.problems.map((p) => `${p.path ?? ''}: ${p.message}`);
  }
}

describe('ksim.dev annotations', () => {
  it.each([
    [{ 'ksim.dev/run-duration': '10m' }, []],
    [{ 'ksim.dev/run-duration': '0s', 'ksim.dev/exit-code': '137', 'ksim.dev/shutdown-duration': '5s' }, []],
    [{ 'ksim.dev/run-duration': 'ten minutes' }, ['ksim.dev/run-duration must be a Go duration']],
    [{ 'ksim.dev/run-duration': '-5s' }, ['must be a non-negative Go duration']],
    [{ 'ksim.dev/exit-code': '256' }, ['must be an exit code, an integer from 0 to 255']],
    [{ 'ksim.dev/exit-code': 'failed' }, ['must be an exit code']],
    [{ 'ksim.dev/run-duraton': '10m' }, ['unknown ksim annotation "ksim.dev/run-duraton" (did you mean "ksim.dev/run-duration"?)']],
    [{ 'ksim.dev/numa-topology': '{}' }, ['"ksim.dev/numa-topology" is read on a Node, not on a Pod']],
    [{ 'example.com/other': 'x' }, []],
  ] as Array<[Record<string, string>, string[]]>)('%j', (annotations, expected) => {
    const got = problems(podWith(annotations));
    expect(got).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(got[i]).toContain(e));
    for (const g of got) expect(g).toMatch(/^metadata\.annotations\.ksim\.dev\//);
  });

  it('pod templates of workloads are checked at their own path', () => {
    const got = problems(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata:\n      labels: {app: web}\n      annotations: {ksim.dev/exit-code: "x"}\n    spec:\n      containers: [{name: app, image: nginx}]\n`,
    );
    expect(got).toEqual([expect.stringMatching(/^spec\.template\.metadata\.annotations\.ksim\.dev\/exit-code: Invalid value: "x"/)]);
  });

  it('unknown keys list what is known', () => {
    expect(ksimAnnotationProblem('ksim.dev/zzz', '1', 'Pod')).toMatch(/known on a Pod: ksim.dev\/run-duration, ksim.dev\/exit-code, ksim.dev\/shutdown-duration/);
  });
});

describe('ownerReferences to owners that will not exist', () => {
  it('warns that the garbage collector will delete the object', () => {
    const loaded = loadScenarioFromText([
      {
        file: 'o.yaml',
        text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-7c9d5-abcde\n  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7c9d5, uid: 1b4e28ba-2fa1-11d2-883f-0016d3cca427, controller: true}]\nspec:\n  containers: [{name: app, image: nginx}]\n`,
      },
    ]);
    expect(loaded.warnings.join('\n')).toMatch(/Pod default\/web-7c9d5-abcde has ownerReferences \(ReplicaSet web-7c9d5\).*garbage collector will delete it/);
  });
});
