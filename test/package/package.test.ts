// The package as another project installs it: `npm run build` emits JavaScript and
// declarations that the package.json "exports" map points at, and the compiled library
// and command work under plain node (no tsx).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..', '..');
interface Pkg {
  main: string;
  types: string;
  exports: Record<string, string | { types: string; import: string }>;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Pkg;

describe('the ksim package', () => {
  // A copy laid out as node_modules/ksim would be: package.json, bin and the build, no .git.
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ksim-pkg-'));
    const installed = join(dir, 'node_modules', 'ksim');
    mkdirSync(installed, { recursive: true });
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', join(installed, 'dist')], { stdio: 'pipe' });
    cpSync(join(root, 'package.json'), join(installed, 'package.json'));
    cpSync(join(root, 'bin'), join(installed, 'bin'), { recursive: true });
    cpSync(join(root, 'scenarios'), join(installed, 'scenarios'), { recursive: true });
    // The runtime dependencies, as npm would install them beside the package.
    for (const dep of Object.keys(pkg.dependencies)) symlinkSync(join(root, 'node_modules', dep), join(dir, 'node_modules', dep));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exports map, main and types point at files the build produced', () => {
    const installed = join(dir, 'node_modules', 'ksim');
    const targets = [pkg.main, pkg.types, ...Object.values(pkg.exports).flatMap((e) => (typeof e === 'string' ? [e] : [e.types, e.import]))];
    for (const t of targets) expect(existsSync(join(installed, t)), t).toBe(true);
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'bin']));
    expect(pkg.scripts['prepack']).toBe('npm run build');
    expect(pkg.dependencies['tsx']).toBeUndefined();
  });

  it("import { Simulation } from 'ksim' works under plain node", () => {
    const script = join(dir, 'use.mjs');
    writeFileSync(
      script,
      `import { Simulation, startComponents, loadScenarioFromText, runScenario } from 'ksim';\nimport { cluster } from 'ksim/testing';\nconst sim = Simulation.create({ seed: 1 });\nstartComponents(sim, {});\nconst loaded = loadScenarioFromText([{ file: 'n.yaml', text: 'apiVersion: v1\\nkind: Node\\nmetadata: {name: n1}\\nstatus: {capacity: {cpu: "2", memory: 4Gi, pods: "10"}}\\n' }]);\nconst r = runScenario(loaded, { until: 1000 });\nconsole.log(JSON.stringify({ passed: r.passed, cluster: typeof cluster }));\n`,
    );
    const out = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    expect(JSON.parse(out.stdout)).toMatchObject({ passed: true, cluster: 'function' });
  });

  it('its declarations type-check in a project using moduleResolution nodenext, with skipLibCheck off', () => {
    writeFileSync(
      join(dir, 'use.ts'),
      `import { Simulation, type SimulationOptions } from 'ksim';\nimport { cluster } from 'ksim/testing';\nconst opts: SimulationOptions = { seed: 1 };\nexport const sim: Simulation = Simulation.create(opts);\nexport const arb = cluster;\n`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['use.ts'] }),
    );
    const out = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(dir, 'tsconfig.json')], { cwd: dir, encoding: 'utf8' });
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  it('the ksim command runs the compiled CLI', () => {
    const bin = join(dir, 'node_modules', 'ksim', pkg.bin['ksim']!);
    const out = spawnSync(process.execPath, [bin, 'run', join(dir, 'node_modules', 'ksim', 'scenarios', 'quickstart.yaml'), '--output', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect((JSON.parse(out.stdout) as { expectations: Array<{ passed: boolean }> }).expectations.every((e) => e.passed)).toBe(true);
    expect(pathToFileURL(bin).href).toMatch(/node_modules\/ksim\/bin\/ksim\.js$/);
  });
});
