/**
 * Variants for `ksim compare`: the same scenario run several times, each run
 * with some time-0 objects (or the scenario's spec.config) changed by JSON
 * merge patches (RFC 7386, `kubectl patch --type merge`), and a sample of
 * every HorizontalPodAutoscaler's target at fixed times: replicas, the HPA's
 * current metric (usage) and the pending pods of the target.
 *
 * A variant file holds one or more YAML documents, each a partial manifest
 * naming the object it patches by kind, metadata.name and metadata.namespace
 * (default "default"):
 *
 *   kind: HorizontalPodAutoscaler
 *   metadata: {name: php-apache}
 *   spec: {behavior: {scaleDown: {stabilizationWindowSeconds: 60}}}
 *
 * or `kind: Scenario` with `spec.config` to patch component settings, e.g.
 * `spec: {config: {controllers: {horizontalPodAutoscaler: {syncPeriod: 30s}}}}`.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { LoadedScenario } from '../scenario/types.ts';
import { applyMergePatch } from '../sim/runLog.ts';
import type { KObject, Time } from '../sim/types.ts';
import type { Simulation } from '../sim/simulation.ts';
import { getScale } from '../sim/scale.ts';
import { isClusterScoped } from '../api/discovery.ts';
import { parseSelector } from '../api/labels.ts';
import { UsageError } from './io.ts';

export interface VariantPatch {
  kind: string;
  namespace: string;
  name: string;
  /** The document without apiVersion/kind and with metadata.name/namespace removed. */
  patch: Record<string, unknown>;
  /** "FILE, document N". */
  where: string;
}

export interface Variant {
  name: string;
  file?: string;
  patches: VariantPatch[];
}

const NAME_RE = /^[A-Za-z0-9][-A-Za-z0-9_.]*$/;

function plain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parse `--variant NAME=FILE`; errors are UsageErrors naming the variant. */
export function parseVariantArg(arg: string, read: (p: string) => string = (p) => readFileSync(p, 'utf8')): Variant {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) throw new UsageError(`invalid --variant ${JSON.stringify(arg)}: expected NAME=FILE`, 'compare');
  const name = arg.slice(0, eq);
  const file = arg.slice(eq + 1);
  if (!NAME_RE.test(name)) throw new UsageError(`invalid --variant name ${JSON.stringify(name)}: use letters, digits, '-', '_' and '.'`, 'compare');
  if (name === 'baseline') throw new UsageError(`invalid --variant name "baseline": the unchanged run is already called baseline`, 'compare');
  let text: string;
  try {
    text = read(file);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    throw new UsageError(`--variant ${name}: cannot read ${file}: ${code === 'ENOENT' ? 'no such file or directory' : e instanceof Error ? e.message : String(e)}`, 'compare');
  }
  const patches: VariantPatch[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true });
  const list = Array.isArray(docs) ? docs : [];
  list.forEach((doc, i) => {
    const where = `${file}, document ${i + 1}`;
    if (doc.errors.length > 0) throw new UsageError(`--variant ${name}: ${where}: ${doc.errors[0]!.message}`, 'compare');
    const v: unknown = doc.toJS();
    if (v === null || v === undefined) return;
    if (!plain(v)) throw new UsageError(`--variant ${name}: ${where}: expected a mapping (a partial manifest with kind and metadata.name)`, 'compare');
    const kind = v['kind'];
    if (typeof kind !== 'string' || kind === '') throw new UsageError(`--variant ${name}: ${where}: kind is required`, 'compare');
    const { apiVersion: _a, kind: _k, metadata, ...rest } = v;
    if (kind === 'Scenario') {
      const spec = rest['spec'];
      const keys = plain(spec) ? Object.keys(spec) : [];
      if (!plain(spec) || keys.some((k) => k !== 'config') || Object.keys(rest).some((k) => k !== 'spec')) {
        throw new UsageError(`--variant ${name}: ${where}: a Scenario patch may only set spec.config`, 'compare');
      }
      patches.push({ kind, namespace: '', name: '', patch: rest, where });
      return;
    }
    const meta = plain(metadata) ? metadata : {};
    const objName = meta['name'];
    if (typeof objName !== 'string' || objName === '') throw new UsageError(`--variant ${name}: ${where}: metadata.name is required`, 'compare');
    const ns = typeof meta['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
    const { name: _n, namespace: _ns, ...metaRest } = meta;
    const patch: Record<string, unknown> = { ...rest, ...(Object.keys(metaRest).length ? { metadata: metaRest } : {}) };
    patches.push({ kind, namespace: isClusterScoped(kind) ? '' : ns, name: objName, patch, where });
  });
  if (patches.length === 0) throw new UsageError(`--variant ${name}: ${file} has no patches`, 'compare');
  return { name, file, patches };
}

/** The scenario with the variant's patches applied (a copy; the input is not changed). */
export function applyVariant(loaded: LoadedScenario, v: Variant): LoadedScenario {
  const objects = loaded.objects.map((lo) => ({ ...lo }));
  let config = loaded.config;
  for (const p of v.patches) {
    if (p.kind === 'Scenario') {
      const spec = p.patch['spec'] as Record<string, unknown>;
      config = applyMergePatch(config, spec['config']) as typeof config;
      continue;
    }
    const i = objects.findIndex((lo) => {
      const o = lo.object;
      const ns = isClusterScoped(o.kind) ? '' : o.metadata.namespace || 'default';
      return o.kind === p.kind && o.metadata.name === p.name && ns === p.namespace;
    });
    if (i < 0) {
      const ref = p.namespace ? `${p.namespace}/${p.name}` : p.name;
      throw new UsageError(`--variant ${v.name}: ${p.where}: no ${p.kind} ${ref} among the scenario's objects at time 0`, 'compare');
    }
    objects[i] = { ...objects[i]!, object: applyMergePatch(objects[i]!.object, p.patch) as KObject };
  }
  return { ...loaded, objects, config };
}

/** One HPA's view at a sample time. */
export interface HpaSample {
  /** The target's spec.replicas (what the HPA set). */
  replicas: number | null;
  /** The first metric's current value as the HPA reports it ("250%", "1500m"), or null. */
  usage: string | null;
  /** The target's pods in phase Pending. */
  pending: number;
}

export interface Sample {
  t: Time;
  hpas: Record<string, HpaSample>;
}

type HpaLike = KObject & {
  spec?: { scaleTargetRef?: { kind?: string; name?: string } };
  status?: { currentMetrics?: Array<Record<string, { current?: { averageUtilization?: number; averageValue?: string; value?: string } } | string>>; currentCPUUtilizationPercentage?: number };
};

function usageOf(h: HpaLike): string | null {
  if (typeof h.status?.currentCPUUtilizationPercentage === 'number') return `${h.status.currentCPUUtilizationPercentage}%`;
  const m = h.status?.currentMetrics?.[0];
  if (!m) return null;
  const type = m['type'];
  if (typeof type !== 'string' || type === '') return null;
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  const src = m[key];
  const cur = typeof src === 'object' ? src.current : undefined;
  if (!cur) return null;
  if (typeof cur.averageUtilization === 'number') return `${cur.averageUtilization}%`;
  return cur.averageValue ?? cur.value ?? null;
}

/** Every HPA's sample now, keyed "namespace/name". */
export function sampleHpas(sim: Simulation): Record<string, HpaSample> {
  const out: Record<string, HpaSample> = {};
  for (const h of sim.store.list<HpaLike>('HorizontalPodAutoscaler')) {
    const ns = h.metadata.namespace ?? 'default';
    const ref = h.spec?.scaleTargetRef ?? {};
    let replicas: number | null = null;
    let pending = 0;
    try {
      const s = getScale(sim.store, ref.kind ?? '', ns, ref.name ?? '');
      replicas = s.spec.replicas;
      if (s.status.selector) {
        const sel = parseSelector(s.status.selector);
        for (const p of sim.store.list<KObject & { status?: { phase?: string } }>('Pod', ns)) {
          if (p.status?.phase === 'Pending' && !p.metadata.deletionTimestamp && sel.matches(p.metadata.labels ?? {})) pending++;
        }
      }
    } catch {
      // A missing target samples as null replicas.
    }
    out[`${ns}/${h.metadata.name ?? ''}`] = { replicas, usage: usageOf(h), pending };
  }
  return out;
}
