/**
 * The loader at full cluster scale (issue 10): 5,000 Nodes and 150,000 Pods
 * (100m CPU / 200Mi pause pods with labels and a toleration) written in each
 * of the three layouts a user may give `ksim`:
 *
 *   inline     one Scenario file with every object under spec.objects
 *   include    a Scenario whose spec.include names nodes.yaml and pods.yaml
 *   manifests  plain multi-document nodes.yaml and pods.yaml on the command line
 *
 * plus `deployments` (5,000 Nodes and 300 Deployments of 500 replicas as plain
 * manifests: small text). Each layout is checked with `ksim validate` in a
 * fresh process running the CLI's own main() (so the same code path as the
 * command: load, then assemble the cluster at time 0), and the bench prints
 * the process's wall time (with the time in main() and the CPU seconds the
 * process used beside it: on a shared machine CPU time is the steadier
 * figure) and peak RSS:
 *
 *   loader.validate.<layout>: N s (target < 10 s)
 *   loader.validate.<layout>.peak_rss: N MiB
 *
 *   npm run bench -- loader
 *   npx tsx bench/loader.ts [layout...] [--scale F] [--keep]
 *
 * --scale F generates a fraction of the cluster (0 < F <= 1); --keep leaves
 * the generated files in the temporary directory (printed). Wall time is
 * measured with performance.now(), which only bench/ may use.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LAYOUTS = ['inline', 'include', 'manifests', 'deployments'] as const;
type Layout = (typeof LAYOUTS)[number];

const benchFile = fileURLToPath(import.meta.url);
const root = dirname(dirname(benchFile));

/** Child mode: run the CLI's main() on the arguments and report the result and peak RSS as one JSON line. */
async function child(argv: string[]): Promise<void> {
  const { main } = (await import('../src/cli/main.ts')) as typeof import('../src/cli/main.ts');
  let out = '';
  let err = '';
  const start = performance.now();
  const code = main(argv, { stdout: (s) => void (out += s), stderr: (s) => void (err.length < 4000 && (err += s)), env: process.env });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ code, seconds, cpuSeconds, rssMiB, out: out.slice(0, 500), err: err.slice(0, 2000) })}\n`);
}

function pod(i: number, indent: string): string {
  const name = `pod-${String(i).padStart(6, '0')}`;
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    '  labels:',
    `    app: app-${i % 300}`,
    '    tier: backend',
    'spec:',
    '  containers:',
    '  - name: pause',
    '    image: registry.k8s.io/pause:3.10',
    '    resources:',
    '      requests:',
    '        cpu: 100m',
    '        memory: 200Mi',
    '  tolerations:',
    '  - key: example.com/dedicated',
    '    operator: Exists',
    '    effect: NoSchedule',
  ]
    .map((l, k) => (k === 0 ? `${indent.slice(0, -2)}- ${l}` : `${indent}${l}`))
    .join('\n');
}

function node(i: number, indent: string): string {
  const name = `node-${String(i).padStart(4, '0')}`;
  return [
    'apiVersion: v1',
    'kind: Node',
    'metadata:',
    `  name: ${name}`,
    '  labels:',
    `    kubernetes.io/hostname: ${name}`,
    `    topology.kubernetes.io/zone: zone-${i % 3}`,
    'status:',
    '  capacity: {cpu: "4", memory: 32Gi, pods: "110"}',
    '  allocatable: {cpu: "4", memory: 32Gi, pods: "110"}',
  ]
    .map((l, k) => (k === 0 ? `${indent.slice(0, -2)}- ${l}` : `${indent}${l}`))
    .join('\n');
}

function deployment(d: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${d}
  namespace: default
spec:
  replicas: 500
  selector:
    matchLabels: {app: app-${d}}
  template:
    metadata:
      labels: {app: app-${d}, tier: backend}
    spec:
      containers:
      - name: pause
        image: registry.k8s.io/pause:3.10
        resources:
          requests: {cpu: 100m, memory: 200Mi}
      tolerations:
      - {key: example.com/dedicated, operator: Exists, effect: NoSchedule}
`;
}

/** Documents as a multi-document stream (each document without the sequence dash). */
function stream(count: number, one: (i: number, indent: string) => string): string {
  const parts: string[] = [];
  // indent "  " and then strip the leading "- ": a top-level document.
  for (let i = 0; i < count; i++) parts.push(`---\n${one(i, '  ').replace(/^- /, '').replace(/\n {2}/g, '\n')}\n`);
  return parts.join('');
}

function sequence(count: number, one: (i: number, indent: string) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(`${one(i, '      ')}\n`);
  return parts.join('');
}

const SCENARIO_HEAD = `apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata:
  name: loader-bench
spec:
  seed: 1
  until: 10m
`;

function generate(dir: string, layout: Layout, nodes: number, pods: number, deployments: number): string[] {
  const f = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  switch (layout) {
    case 'inline':
      return [f('inline.yaml', `${SCENARIO_HEAD}  objects:\n${sequence(nodes, node)}${sequence(pods, pod)}`)];
    case 'include':
      f('nodes.yaml', stream(nodes, node));
      f('pods.yaml', stream(pods, pod));
      return [f('include.yaml', `${SCENARIO_HEAD}  include:\n    - nodes.yaml\n    - pods.yaml\n`)];
    case 'manifests':
      return [f('nodes.yaml', stream(nodes, node)), f('pods.yaml', stream(pods, pod))];
    case 'deployments': {
      const parts: string[] = [];
      for (let d = 0; d < deployments; d++) parts.push(`---\n${deployment(d)}`);
      return [f('nodes.yaml', stream(nodes, node)), f('deployments.yaml', parts.join(''))];
    }
  }
}

interface ChildResult {
  code: number;
  seconds: number;
  cpuSeconds: number;
  rssMiB: number;
  out: string;
  err: string;
}

function parent(args: string[]): number {
  let scale = 1;
  let keep = false;
  const wanted: Layout[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--scale') scale = Number(args[++i]);
    else if (a === '--keep') keep = true;
    else if ((LAYOUTS as readonly string[]).includes(a)) wanted.push(a as Layout);
    else {
      console.error(`usage: bench/loader.ts [${LAYOUTS.join('|')}]... [--scale F] [--keep]`);
      return 2;
    }
  }
  if (!(scale > 0 && scale <= 1)) {
    console.error('--scale takes a fraction in (0, 1]');
    return 2;
  }
  const layouts = wanted.length > 0 ? wanted : [...LAYOUTS];
  const nodes = Math.round(5000 * scale);
  const pods = Math.round(150_000 * scale);
  const deployments = Math.max(1, Math.round(300 * scale));
  const size = scale === 1 ? '' : ` at scale ${scale}`;
  let status = 0;
  for (const layout of layouts) {
    const dir = mkdtempSync(join(tmpdir(), `ksim-loader-${layout}-`));
    const files = generate(dir, layout, nodes, pods, deployments);
    const start = performance.now();
    // The child gets the young generation `ksim` runs with (bench/run.ts gives it to this process).
    // Run as this file runs: compiled by bench/run.ts (a .mjs, plain node), or as TypeScript through tsx.
    const loader = benchFile.endsWith('.ts') ? ['--import', 'tsx'] : [];
    const r = spawnSync(process.execPath, [...process.execArgv.filter((a) => a.startsWith('--max-semi-space-size')), ...loader, benchFile, '--child', 'validate', ...files], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const wall = (performance.now() - start) / 1000;
    const line = (r.stdout ?? '').trim().split('\n').pop() ?? '';
    let res: ChildResult | undefined;
    try {
      res = JSON.parse(line) as ChildResult;
    } catch {
      res = undefined;
    }
    const what = layout === 'deployments' ? `${nodes} Nodes + ${deployments} Deployments x 500` : `${nodes} Nodes + ${pods} Pods`;
    if (!res || res.code !== 0) {
      console.error(`loader.validate.${layout}: failed (exit ${res?.code ?? r.status ?? r.signal}) after ${wall.toFixed(1)} s\n${res ? res.err : r.stderr}`);
      status = 1;
    } else {
      console.log(`loader.validate.${layout}: ${wall.toFixed(1)} s (target < 10 s; ${what}${size}; ${res.seconds.toFixed(1)} s in main(), ${res.cpuSeconds.toFixed(1)} CPU-s for the whole process)`);
      console.log(`loader.validate.${layout}.peak_rss: ${Math.round(res.rssMiB)} MiB (the whole run's target is < 2048 MiB)`);
    }
    if (keep) console.error(`  files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return status;
}

const argv = process.argv.slice(2);
if (argv[0] === '--child') await child(argv.slice(1));
else process.exitCode = parent(argv);
