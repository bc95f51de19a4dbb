/**
 * `ksim compare FILE... --variant NAME=PATCH...`: run one scenario several
 * times over the same load and seed, unchanged ("baseline") and once per
 * variant, and print each HorizontalPodAutoscaler's replicas, usage and
 * pending pods over time side by side, with a summary per variant.
 */
import { formatDuration, parseDuration } from '../../api/duration.ts';
import { loadScenario } from '../../scenario/load.ts';
import { buildSimulation, DEFAULT_SEED } from '../../scenario/run.ts';
import type { ComponentOptions } from '../../components.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { KObject } from '../../sim/types.ts';
import type { Command } from '../command.ts';
import { EXIT_OK, UsageError } from '../io.ts';
import { CONFIG_OPTION_HELP, inputFiles } from '../inputs.ts';
import { grid } from '../output/table.ts';
import { pluginRegistry } from '../plugins.ts';
import { applyVariant, parseVariantArg, sampleHpas, type Sample, type Variant } from '../variants.ts';

export const DEFAULT_EVERY = 60_000;
/** More samples than this per run is almost certainly a mistake in --every. */
const MAX_SAMPLES = 100_000;

export interface HpaSummary {
  maxReplicas: number | null;
  /** The target's replicas integrated over the run, in replica-minutes (a cost proxy). */
  replicaMinutes: number;
  /** Σ pending pods at each sample × the sample interval, in pod-minutes. */
  pendingPodMinutes: number;
  /** Rescales (changes of the HPA's status.lastScaleTime). */
  rescales: number;
  /** When the target first had more replicas than at its creation, or null. */
  firstScaleUp: string | null;
}

export interface VariantRun {
  name: string;
  file?: string;
  samples: Sample[];
  summary: Record<string, HpaSummary>;
}

export interface CompareResult {
  scenario: string;
  seed: number;
  until: string;
  every: string;
  hpas: string[];
  variants: VariantRun[];
}

function durationFlag(v: unknown, flag: string): number | undefined {
  if (typeof v !== 'string') return undefined;
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch (e) {
    throw new UsageError(`invalid --${flag} ${JSON.stringify(v)}: ${e instanceof Error ? e.message : String(e)}`, 'compare');
  }
  if (ms <= 0) throw new UsageError(`invalid --${flag} ${JSON.stringify(v)}: must be positive`, 'compare');
  return ms;
}

/** Scalable kinds whose spec.replicas an HPA sets. */
const SCALABLE = ['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'];

/** Each HPA's target's replica changes, keyed by the HPA ("namespace/name"). */
function targetsOf(sim: Simulation, changes: Map<string, Array<[number, number]>>): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const h of sim.store.list<KObject & { spec?: { scaleTargetRef?: { kind?: string; name?: string } } }>('HorizontalPodAutoscaler')) {
    const ns = h.metadata.namespace ?? 'default';
    const ref = h.spec?.scaleTargetRef;
    const list = changes.get(`${ref?.kind ?? ''}/${ns}/${ref?.name ?? ''}`);
    if (list) out.set(`${ns}/${h.metadata.name ?? ''}`, list);
  }
  return out;
}

function summarise(samples: Sample[], every: number, until: number, rescales: Map<string, number>, targets: Map<string, Array<[number, number]>>, keys: string[]): Record<string, HpaSummary> {
  const out: Record<string, HpaSummary> = {};
  for (const key of keys) {
    let max: number | null = null;
    let replicaMs = 0;
    let pendingMs = 0;
    let firstUp: string | null = null;
    const changes = (targets.get(key) ?? []).filter(([t]) => t <= until);
    const initial = changes[0]?.[1] ?? null;
    changes.forEach(([t, r], i) => {
      max = max === null ? r : Math.max(max, r);
      const next = changes[i + 1]?.[0] ?? until;
      replicaMs += r * (next - t);
      if (firstUp === null && initial !== null && r > initial) firstUp = formatDuration(t);
    });
    samples.forEach((s, i) => {
      const h = s.hpas[key];
      if (h && i > 0) pendingMs += h.pending * every;
    });
    out[key] = {
      maxReplicas: max,
      replicaMinutes: Math.round((replicaMs / 60_000) * 100) / 100,
      pendingPodMinutes: Math.round((pendingMs / 60_000) * 100) / 100,
      rescales: rescales.get(key) ?? 0,
      firstScaleUp: firstUp,
    };
  }
  return out;
}

/** Run every variant and collect samples (pure of I/O; the CLI prints the result). */
export function runComparison(files: string[], variants: Variant[], opts: { seed?: number; until?: number; every: number; components?: ComponentOptions }): CompareResult {
  const loaded = loadScenario(files);
  const until = opts.until ?? loaded.until;
  if (until === undefined) throw new UsageError('compare needs an end: set spec.until in the scenario or pass --until', 'compare');
  if (until / opts.every > MAX_SAMPLES) throw new UsageError(`--every ${formatDuration(opts.every)} gives more than ${MAX_SAMPLES} samples up to ${formatDuration(until)}`, 'compare');
  const seed = opts.seed ?? loaded.seed ?? DEFAULT_SEED;
  const runs: VariantRun[] = [];
  const rescaleCounts: Array<Map<string, number>> = [];
  const targetChanges: Array<Map<string, Array<[number, number]>>> = [];
  const allKeys = new Set<string>();
  for (const v of [{ name: 'baseline', patches: [] } as Variant, ...variants]) {
    const scenario = v.patches.length ? applyVariant(loaded, v) : loaded;
    const sim = buildSimulation(scenario, { seed, ...(opts.components ? { components: opts.components } : {}) });
    // Rescales counted from the HPAs' status.lastScaleTime (events expire after the API server's event TTL).
    const rescales = new Map<string, number>();
    sim.store.watch('HorizontalPodAutoscaler', (ev) => {
      const last = (o: unknown): unknown => (o as { status?: { lastScaleTime?: string } } | undefined)?.status?.lastScaleTime;
      const now = last(ev.object);
      if (ev.type === 'DELETED' || now === undefined || now === last(ev.oldObject)) return;
      const key = `${ev.object.metadata.namespace ?? 'default'}/${ev.object.metadata.name ?? ''}`;
      rescales.set(key, (rescales.get(key) ?? 0) + 1);
    });
    // Every change of a scalable workload's spec.replicas, for exact maxima and replica-minutes.
    const replicaChanges = new Map<string, Array<[number, number]>>();
    for (const kind of SCALABLE) {
      sim.store.watch(kind, (ev) => {
        const r = (ev.object as { spec?: { replicas?: number } }).spec?.replicas;
        const key = `${kind}/${ev.object.metadata.namespace ?? 'default'}/${ev.object.metadata.name ?? ''}`;
        const list = replicaChanges.get(key) ?? [];
        const value = ev.type === 'DELETED' ? 0 : (r ?? 0);
        if (list.length === 0 || list[list.length - 1]![1] !== value) list.push([sim.now, value]);
        replicaChanges.set(key, list);
      });
    }
    const samples: Sample[] = [];
    for (let t = 0; t <= until; t += opts.every) {
      sim.runUntil(t);
      const hpas = sampleHpas(sim);
      for (const k of Object.keys(hpas)) allKeys.add(k);
      samples.push({ t, hpas });
    }
    runs.push({ name: v.name, ...(v.file ? { file: v.file } : {}), samples, summary: {} });
    rescaleCounts.push(rescales);
    targetChanges.push(targetsOf(sim, replicaChanges));
  }
  const keys = [...allKeys].sort();
  runs.forEach((r, i) => {
    r.summary = summarise(r.samples, opts.every, until, rescaleCounts[i]!, targetChanges[i]!, keys);
  });
  return { scenario: loaded.name, seed, until: formatDuration(until), every: formatDuration(opts.every), hpas: keys, variants: runs };
}

const dash = (v: number | string | null | undefined): string => (v === null || v === undefined ? '-' : String(v));

/** The side-by-side table: per HPA, one row per sample time, three columns per variant; then the summary. */
export function renderComparison(r: CompareResult): string {
  const out: string[] = [`Scenario ${r.scenario}: ${r.variants.length} runs, seed ${r.seed}, until ${r.until}, sampled every ${r.every}`, ''];
  if (r.hpas.length === 0) {
    out.push('No HorizontalPodAutoscaler in the scenario: nothing to compare.');
    return `${out.join('\n')}\n`;
  }
  for (const key of r.hpas) {
    out.push(`HorizontalPodAutoscaler ${key}`);
    const head1 = ['TIME'];
    const head2 = [''];
    for (const v of r.variants) {
      head1.push(v.name, '', '');
      head2.push('REPLICAS', 'USAGE', 'PENDING');
    }
    const rows: string[][] = [head1, head2];
    const n = r.variants[0]?.samples.length ?? 0;
    for (let i = 0; i < n; i++) {
      const row = [formatDuration(r.variants[0]!.samples[i]!.t)];
      for (const v of r.variants) {
        const h = v.samples[i]?.hpas[key];
        row.push(dash(h?.replicas), dash(h?.usage), dash(h?.pending));
      }
      rows.push(row);
    }
    out.push(grid(rows), '');
    const sum: string[][] = [['VARIANT', 'MAX REPLICAS', 'REPLICA-MINUTES', 'PENDING POD-MINUTES', 'RESCALES', 'FIRST SCALE-UP']];
    for (const v of r.variants) {
      const s = v.summary[key];
      sum.push([v.name, dash(s?.maxReplicas), dash(s?.replicaMinutes), dash(s?.pendingPodMinutes), dash(s?.rescales), dash(s?.firstScaleUp)]);
    }
    out.push(grid(sum), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'Run a scenario once per variant (e.g. HPA behaviour settings) and compare replicas and usage over time',
  help: `Usage: ksim compare FILE... --variant NAME=PATCH.yaml... [--seed N] [--until DURATION] [--every DURATION] [--output table|json]

Runs the scenario unchanged ("baseline") and once per --variant, with the same
seed and load, and prints every HorizontalPodAutoscaler's target replicas,
current metric (usage) and pending pods at each sample time, side by side,
then a summary per variant (max replicas, replica-minutes, pending pod-minutes,
rescales, first scale-up). Expectations are not evaluated ('ksim run' does).

A PATCH file holds YAML documents, each a partial manifest merged (JSON merge
patch, as kubectl patch --type merge) into the time-0 object with the same
kind, metadata.name and metadata.namespace; 'kind: Scenario' with spec.config
patches component settings. Example:

  kind: HorizontalPodAutoscaler
  metadata: {name: php-apache}
  spec:
    behavior:
      scaleDown: {stabilizationWindowSeconds: 60}

Options:
  --variant NAME=FILE  A variant and its patch file (repeatable)
  --seed N             Random seed for every run (overrides spec.seed)
  --until DURATION     End of every run (overrides spec.until; one is required)
  --every DURATION     Sample interval (default 1m)
  -o, --output FORMAT  table (default) or json
  --plugin MODULE      Load out-of-tree scheduler plugins (repeatable)
${CONFIG_OPTION_HELP}
  -h, --help           Show this help`,
  options: {
    variant: { type: 'string', multiple: true },
    seed: { type: 'string' },
    until: { type: 'string' },
    every: { type: 'string' },
    output: { type: 'string', short: 'o' },
    plugin: { type: 'string', multiple: true },
    config: { type: 'string' },
  },
  run(args, io) {
    const files = inputFiles(args, 'compare');
    const raw = args.values['variant'];
    const list = Array.isArray(raw) ? raw.filter((x): x is string => typeof x === 'string') : [];
    const variants = list.map((a) => parseVariantArg(a));
    const names = new Set<string>();
    for (const v of variants) {
      if (names.has(v.name)) throw new UsageError(`--variant ${v.name} is given twice`, 'compare');
      names.add(v.name);
    }
    const seedRaw = args.values['seed'];
    let seed: number | undefined;
    if (typeof seedRaw === 'string') {
      if (!/^\d+$/.test(seedRaw) || !Number.isSafeInteger(Number(seedRaw))) throw new UsageError(`invalid --seed ${JSON.stringify(seedRaw)}: must be a non-negative integer`, 'compare');
      seed = Number(seedRaw);
    }
    const until = durationFlag(args.values['until'], 'until');
    const every = durationFlag(args.values['every'], 'every') ?? DEFAULT_EVERY;
    const output = args.values['output'] ?? 'table';
    if (output !== 'table' && output !== 'json') throw new UsageError(`invalid --output ${JSON.stringify(output)}: must be table or json`, 'compare');
    const components = pluginRegistry(args, io, 'compare');
    const result = runComparison(files, variants, { ...(seed !== undefined ? { seed } : {}), ...(until !== undefined ? { until } : {}), every, components });
    io.stdout(output === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderComparison(result));
    return EXIT_OK;
  },
};
