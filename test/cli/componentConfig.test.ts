// KubeSchedulerConfiguration and KubeletConfiguration given as documents or files of
// their own (as kube-scheduler --config and kubelet --config read them) are used,
// not skipped as unknown kinds.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { preloadPlugins } from '../../src/cli/plugins.ts';
import { loadScenarioFromText } from '../../src/scenario/load.ts';
import { ScenarioError } from '../../src/scenario/problems.ts';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const plugins = await preloadPlugins(args);
  const code = main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {}, plugins });
  return { code, stdout, stderr };
}

const PLUGIN = 'test/fixtures/plugins/PreferNamedNode.ts';

describe('component configuration documents', () => {
  it('run --config FILE uses the KubeSchedulerConfiguration in it', async () => {
    const r = await cli(['run', 'test/fixtures/config/cluster.yaml', '--config', 'test/fixtures/config/scheduler.yaml', '--plugin', PLUGIN]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('the same file given as a plain input works as well', async () => {
    const r = await cli(['run', 'test/fixtures/config/cluster.yaml', 'test/fixtures/config/scheduler.yaml', '--plugin', PLUGIN]);
    expect(r.code).toBe(0);
  });

  it('without it the expectation fails (the configuration really is what decides)', async () => {
    const r = await cli(['run', 'test/fixtures/config/cluster.yaml']);
    expect(r.code).toBe(1);
  });

  it('validate and explain take --config and --plugin', async () => {
    expect((await cli(['validate', 'test/fixtures/config/cluster.yaml', '--config', 'test/fixtures/config/scheduler.yaml', '--plugin', PLUGIN])).code).toBe(0);
    const unknown = await cli(['validate', 'test/fixtures/config/cluster.yaml', '--config', 'test/fixtures/config/scheduler.yaml']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('ScorePlugin "PreferNamedNode" does not exist');
    const ex = await cli(['explain', 'test/fixtures/config/cluster.yaml', '--config', 'test/fixtures/config/scheduler.yaml', '--plugin', PLUGIN, '--pod', 'web', '-o', 'json']);
    expect(ex.stderr).toBe('');
    expect(ex.code).toBe(0);
    expect((JSON.parse(ex.stdout) as { chosen?: string }).chosen).toBe('node-2');
  });

  it('a KubeletConfiguration document sizes the scenario nodes (maxPods -> allocatable pods)', () => {
    const text = `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: 7\n---\napiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: k}\nspec:\n  nodes:\n    - {count: 1, namePrefix: node, capacity: {cpu: "4", memory: 8Gi}}\n`;
    const loaded = loadScenarioFromText([{ file: 'k.yaml', text }]);
    expect(loaded.config.kubelet).toMatchObject({ maxPods: 7 });
    const node = loaded.objects.find((o) => o.object.kind === 'Node')!.object as unknown as { status: { allocatable: Record<string, string> } };
    expect(node.status.allocatable['pods']).toBe('7');
    expect(loaded.warnings.join('\n')).not.toContain('KubeletConfiguration');
  });

  it('a second configuration of one kind, or one given twice, is a located error', () => {
    const sched = `apiVersion: kubescheduler.config.k8s.io/v1\nkind: KubeSchedulerConfiguration\n`;
    const twice = () => loadScenarioFromText([{ file: 'a.yaml', text: `${sched}---\n${sched}` }]);
    expect(twice).toThrow(ScenarioError);
    expect(twice).toThrow(/only one KubeSchedulerConfiguration is allowed \(the first is in a.yaml, document 1\)/);
    const both = () =>
      loadScenarioFromText([
        { file: 'a.yaml', text: `${sched}---\napiVersion: ksim.dev/v1alpha1\nkind: Scenario\nmetadata: {name: s}\nspec:\n  config:\n    scheduler: {apiVersion: kubescheduler.config.k8s.io/v1, kind: KubeSchedulerConfiguration}\n` },
      ]);
    expect(both).toThrow(/spec.config.scheduler is given too/);
  });

  it('a malformed configuration document names its field', () => {
    const bad = () => loadScenarioFromText([{ file: 'a.yaml', text: `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmaxPods: lots\n` }]);
    expect(bad).toThrow(/maxPods/);
  });

  it('run --help lists every exit status', async () => {
    const r = await cli(['run', '--help']);
    expect(r.stdout).toMatch(/0 when every expectation passed, 1 when one failed,\s+2 for invalid input or usage, 70 for an internal error/);
  });
});
