import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { pluginPaths, preloadPlugins } from '../../src/cli/plugins.ts';

async function runWithPlugins(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const plugins = await preloadPlugins(args);
  const code = main(args, { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s), env: {}, plugins });
  return { code, stdout, stderr };
}

describe('--plugin: out-of-tree scheduler plugins', () => {
  it('finds every --plugin value in argv', () => {
    expect(pluginPaths(['run', 'a.yaml', '--plugin', 'x.ts', '--plugin=y.ts', '--', '--plugin', 'z.ts'])).toEqual(['x.ts', 'y.ts']);
  });

  it('a user Score plugin named in the profile decides placement', async () => {
    const r = await runWithPlugins(['run', 'test/fixtures/plugins/prefer-node.yaml', '--plugin', 'test/fixtures/plugins/PreferNamedNode.ts', '--output', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { objects: Array<{ kind: string; metadata: { name: string }; spec: { nodeName?: string } }> };
    expect(out.objects.find((o) => o.kind === 'Pod' && o.metadata.name === 'web')?.spec.nodeName).toBe('node-2');
  });

  it('without the module the profile names an unknown plugin: a clear error, not a crash', async () => {
    const r = await runWithPlugins(['run', 'test/fixtures/plugins/prefer-node.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'test/fixtures/plugins/prefer-node.yaml: document 1 (Scenario user-plugin), line 16, column 19: spec.config.scheduler.profiles[0].plugins.score.enabled[0]: Invalid value: ScorePlugin "PreferNamedNode" does not exist',
    );
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('validate checks plugin names against the registry, with --plugin too', async () => {
    expect((await runWithPlugins(['validate', 'test/fixtures/plugins/prefer-node.yaml'])).code).toBe(2);
    const ok = await runWithPlugins(['validate', 'test/fixtures/plugins/prefer-node.yaml', '--plugin', 'test/fixtures/plugins/PreferNamedNode.ts']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok: /);
  });

  it('a module that exports no plugin is rejected with its path', async () => {
    await expect(preloadPlugins(['run', 'x.yaml', '--plugin', 'test/fixtures/plugins/prefer-node.yaml'])).rejects.toThrow(/prefer-node\.yaml/);
  });
});
