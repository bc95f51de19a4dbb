/**
 * `ksim explain FILE... --pod NS/NAME`: why a pod lands where it does, or
 * why it cannot be scheduled. Runs the scenario up to the pod's first
 * scheduling attempt (or --at TIME, or the end), then evaluates EVERY node
 * for the pod with explainPod (no sampling, no side effects): each node's
 * filter verdict, each score plugin's raw/normalized/weighted score, the
 * totals, the best node or the FitError message, and for an unschedulable
 * pod what would have to change (resources, tolerations, labels, and the
 * victims preemption would evict).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { formatDuration, parseDuration } from '../../api/duration.ts';
import { loadScenario } from '../../scenario/load.ts';
import { buildSimulation, DEFAULT_MAX_TIME } from '../../scenario/run.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { KObject, Stored } from '../../sim/types.ts';
import { explainPod, ExplainError } from '../../scheduler/explain/explain.ts';
import type { AttemptRecord, AttemptRecorder } from '../../scheduler/explain/record.ts';
import { preemptionWhatIf, suggestChanges, type PreemptionWhatIf } from '../../scheduler/explain/whatIf.ts';
import { schedulerOf } from '../../scheduler/scheduler.ts';
import type { Command } from '../command.ts';
import { EXIT_OK, UsageError } from '../io.ts';
import { grid } from '../output/table.ts';
import { pluginRegistry } from '../plugins.ts';
import { CONFIG_OPTION_HELP, inputFiles, VERSION_OPTION_DEFS, VERSION_OPTIONS_HELP, versionOptions } from '../inputs.ts';
import type { PluginFactory } from '../../scheduler/framework/types.ts';
import { kubeletVerdict, renderKubeletVerdict, type KubeletVerdict } from '../../kubelet/admissionVerdict.ts';
import type { KubeletConfiguration } from '../../api/kubeletConfig.ts';
import type { Node } from 'kubernetes-types/core/v1.js';

/** The kubelet's admission decision for a bound pod, from the pod, its node and the cluster kubelet config. */
function kubeletVerdictOf(sim: Simulation, pod: Pod, kubeletConfig: unknown): KubeletVerdict | undefined {
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) return undefined;
  const node = sim.get<Node & KObject>('Node', '', nodeName);
  return kubeletVerdict(pod, node, (kubeletConfig ?? {}) as Partial<KubeletConfiguration>);
}

/** How many nodes the score table shows without --all-nodes. */
export const TOP_SCORED_NODES = 10;

export interface Explanation extends AttemptRecord {
  /** RFC3339 of the moment explained. */
  timestamp: string;
  /** What chose the moment: the pod's first scheduling attempt, --at, or the end of the run. */
  trigger: 'first-attempt' | 'at' | 'end';
  /** Set when the pod is already bound at that moment (its own requests then count on that node). */
  boundTo?: string;
  /** The scheduler's own first attempt (node sampling and tie-break included), when trigger is first-attempt. */
  firstAttempt?: AttemptRecord;
  preemption?: PreemptionWhatIf;
  whatWouldHaveToChange: string[];
  /** For a bound pod: what the node's kubelet decided at admission (read from the pod and node). */
  kubelet?: KubeletVerdict;
}

function parsePodKey(v: unknown): string {
  if (typeof v !== 'string' || v === '') throw new UsageError('--pod NS/NAME is required', 'explain');
  const parts = v.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new UsageError(`invalid --pod ${JSON.stringify(v)}: want NAMESPACE/NAME or NAME`, 'explain');
  return parts.length === 1 ? `default/${parts[0]}` : v;
}

function preemptionFromAttempt(sim: Simulation, a: AttemptRecord): PreemptionWhatIf | undefined {
  const pf = a.postFilter;
  if (!pf) return undefined;
  const ok = pf.status.code === 'Success';
  const out: PreemptionWhatIf = { eligible: ok || (pf.candidates?.length ?? 0) > 0, message: pf.status.reasons.join(', '), candidates: pf.candidates ?? [] };
  if (pf.nominatedNodeName) {
    out.nominatedNodeName = pf.nominatedNodeName;
    out.victims = (pf.victims ?? []).map((ref) => {
      const [ns, name] = ref.split('/') as [string, string];
      return { pod: ref, priority: sim.get<Pod & KObject>('Pod', ns, name)?.spec?.priority ?? 0 };
    });
  }
  if (!ok && !pf.nominatedNodeName) out.eligible = !pf.status.reasons.some((r) => r.includes('not eligible'));
  return out;
}

/** Evaluate the pod now. */
export function explainNow(sim: Simulation, key: string, trigger: Explanation['trigger'], firstAttempt?: AttemptRecord, kubeletConfig?: unknown): Explanation {
  const [ns, name] = key.split('/') as [string, string];
  const pod = sim.get<Pod & KObject>('Pod', ns, name) as Stored<Pod & KObject> | undefined;
  if (!pod) throw new ExplainError(`pod "${key}" not found at ${formatDuration(sim.now)} (${sim.timestamp()})`);
  const record = explainPod(sim, key);
  const nodes = schedulerOf(sim)?.cache.list() ?? [];
  let preemption: PreemptionWhatIf | undefined;
  if (!record.chosen) preemption = (firstAttempt && preemptionFromAttempt(sim, firstAttempt)) ?? preemptionWhatIf(sim, pod, record);
  const out: Explanation = {
    ...record,
    timestamp: sim.timestamp(),
    trigger,
    ...(pod.spec?.nodeName ? { boundTo: pod.spec.nodeName } : {}),
    ...(firstAttempt ? { firstAttempt } : {}),
    ...(preemption ? { preemption } : {}),
    whatWouldHaveToChange: suggestChanges(record, pod, nodes, preemption),
  };
  const verdict = kubeletVerdictOf(sim, pod, kubeletConfig);
  if (verdict) out.kubelet = verdict;
  return out;
}

/** Run the scenario to the moment to explain and explain the pod there. */
export interface ExplainScenarioOptions {
  seed?: number;
  at?: number;
  /** Scheduler plugins by name (in-tree plus --plugin modules). */
  registry?: Map<string, PluginFactory>;
  emulatedVersion?: string;
  featureGates?: Record<string, boolean>;
}

export function explainScenario(files: string[], key: string, opts: ExplainScenarioOptions): { explanation: Explanation; warnings: string[] } {
  const loaded = loadScenario(files);
  let captured: Explanation | undefined;
  let failure: unknown;
  let sim: Simulation | undefined;
  // Follows only the target pod: the scheduler builds no records for the others.
  const recorder: AttemptRecorder = {
    wants: (p) => captured === undefined && failure === undefined && p === key,
    record: (r) => {
      if (captured || failure || r.pod !== key || !sim) return;
      // Called inside the scheduling cycle, before the pod is assumed: the cache is what the scheduler saw.
      try {
        captured = explainNow(sim, key, 'first-attempt', r);
      } catch (e) {
        failure = e;
      }
    },
  };
  const registry = opts.registry ? { registry: opts.registry } : {};
  sim = buildSimulation(loaded, {
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.emulatedVersion !== undefined ? { emulatedVersion: opts.emulatedVersion } : {}),
    ...(opts.featureGates !== undefined ? { featureGates: opts.featureGates } : {}),
    components: opts.at === undefined ? { ...registry, schedulingRecorder: recorder } : registry,
  });
  const until = loaded.until;
  if (opts.at !== undefined) {
    sim.runUntil(opts.at);
    return { explanation: explainNow(sim, key, 'at', undefined, loaded.config.kubelet), warnings: loaded.warnings };
  }
  const engine = sim.engine;
  while (captured === undefined && failure === undefined) {
    const t = engine.peekTime();
    if (t === undefined) break;
    if (until !== undefined ? t > until : engine.pendingNonPeriodic === 0 || t > DEFAULT_MAX_TIME) break;
    sim.step();
  }
  if (failure !== undefined) throw failure;
  if (captured) {
    // The node's kubelet has the last word: follow the bound pod through its admission (a minute at most).
    if (captured.firstAttempt?.chosen) {
      const [ns, name] = key.split('/') as [string, string];
      const limit = sim.now + 60_000;
      const decided = (): boolean => {
        const p = sim!.get<Pod & KObject>('Pod', ns, name);
        const v = p ? kubeletVerdictOf(sim!, p, loaded.config.kubelet) : undefined;
        return !p || (v !== undefined && v.decision !== 'pending');
      };
      while (!decided() && (engine.peekTime() ?? Infinity) <= Math.min(limit, until ?? Infinity)) sim.step();
      const p = sim.get<Pod & KObject>('Pod', ns, name);
      const v = p ? kubeletVerdictOf(sim, p, loaded.config.kubelet) : undefined;
      if (v) captured.kubelet = v;
    }
    return { explanation: captured, warnings: loaded.warnings };
  }
  if (until !== undefined) sim.runUntil(until);
  return { explanation: explainNow(sim, key, 'end', undefined, loaded.config.kubelet), warnings: loaded.warnings };
}


function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/** The human-readable explanation. */
export function renderExplanation(e: Explanation, allNodes: boolean): string {
  const out: string[] = [];
  const when = e.trigger === 'first-attempt' ? 'its first scheduling attempt' : e.trigger === 'at' ? '--at' : 'the end of the run';
  out.push(`Pod ${e.pod} (profile ${e.profile}) at ${formatDuration(e.time)} (${e.timestamp}), ${when}`);
  if (e.boundTo) out.push(`Note: the pod is already bound to ${e.boundTo}; its own requests count on that node.`);
  out.push(`Nodes: ${e.nodesTotal} total, ${e.nodesEvaluated} evaluated, ${e.feasible} feasible`);
  const best = e.totals.length > 0 ? e.totals.reduce((a, b) => (b.score > a.score ? b : a)) : undefined;
  if (e.chosen) {
    const ties = e.bestNodes && e.bestNodes.length > 1 ? ` (tied with ${e.bestNodes.length - 1} other node(s); the scheduler breaks ties at random)` : '';
    out.push(`Result: schedulable; best node ${e.chosen}${best ? ` (score ${num(best.score)})` : ''}${ties}`);
  } else {
    out.push(`Result: unschedulable: ${e.error ?? ''}`);
  }
  const fa = e.firstAttempt;
  if (fa) {
    const what = fa.chosen ? `chose ${fa.chosen}` : `failed: ${fa.error ?? ''}`;
    out.push(`The scheduler's attempt ${fa.attempt} (${fa.nodesEvaluated} of ${fa.nodesTotal} nodes evaluated) ${what}`);
  }
  if (e.preFilter.status) out.push(`PreFilter: ${e.preFilter.status.plugin} ${e.preFilter.status.code}: ${e.preFilter.status.reasons.join(', ')}`);
  if (e.preFilter.nodeNames) out.push(`PreFilter narrowed the nodes to ${e.preFilter.nodeNames.length}`);

  // Filter reasons histogram.
  const hist = new Map<string, { plugin: string; code: string; reason: string; count: number }>();
  for (const f of e.filter) {
    if (f.code === 'Success') continue;
    for (const r of f.reasons.length > 0 ? f.reasons : ['']) {
      const k = `${f.plugin}\u0000${f.code}\u0000${r}`;
      const h = hist.get(k);
      if (h) h.count++;
      else hist.set(k, { plugin: f.plugin, code: f.code, reason: r, count: 1 });
    }
  }
  const rejected = e.filter.filter((f) => f.code !== 'Success').length;
  out.push('');
  out.push(`Filter: ${rejected} node(s) rejected`);
  if (hist.size > 0) {
    const rows = [...hist.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
    out.push(grid([['COUNT', 'PLUGIN', 'CODE', 'REASON'], ...rows.map((h) => [String(h.count), h.plugin, h.code, h.reason])]));
  }

  // Scores.
  if (e.totals.length > 0) {
    const plugins: string[] = [];
    const cell = new Map<string, string>();
    for (const s of e.scores) {
      if (!plugins.includes(s.plugin)) plugins.push(s.plugin);
      cell.set(`${s.node}\u0000${s.plugin}`, `${num(s.weighted)} (${num(s.raw)}→${num(s.normalized)}×${s.weight})`);
    }
    const sorted = [...e.totals].sort((a, b) => b.score - a.score || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    const shown = allNodes ? sorted : sorted.slice(0, TOP_SCORED_NODES);
    const actual = e.firstAttempt?.chosen;
    // The node the scheduler chose is always shown, even when it is not among the top ones.
    if (actual && !shown.some((t) => t.node === actual)) {
      const t = sorted.find((x) => x.node === actual);
      if (t) shown.push(t);
    }
    out.push('');
    out.push(`Scores (${allNodes ? 'all' : `top ${Math.min(TOP_SCORED_NODES, sorted.length)} of ${sorted.length}`} feasible nodes; weighted (raw→normalized×weight))`);
    // "*" marks the node the scheduler actually chose when known (ties are broken at random), else the best one.
    const mark = e.firstAttempt?.chosen ?? e.chosen;
    const rows = shown.map((t) => [t.node === mark ? `${t.node}*` : t.node, num(t.score), ...plugins.map((p) => cell.get(`${t.node}\u0000${p}`) ?? '-')]);
    out.push(grid([['NODE', 'TOTAL', ...plugins], ...rows]));
  }

  if (allNodes) {
    out.push('');
    out.push('Nodes');
    const total = new Map(e.totals.map((t) => [t.node, t.score]));
    const rows = [...e.filter]
      .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0))
      .map((f) => [f.node, f.code === 'Success' ? 'feasible' : f.code, f.plugin, f.reasons.join(', '), total.has(f.node) ? num(total.get(f.node)!) : '-']);
    out.push(grid([['NODE', 'FILTER', 'PLUGIN', 'REASON', 'SCORE'], ...rows]));
  }

  const p = e.preemption;
  if (p && (p.nominatedNodeName || p.candidates.length > 0)) {
    out.push('');
    out.push(`Preemption: ${p.nominatedNodeName ? `nominate ${p.nominatedNodeName}` : 'no candidate'} (${p.candidates.length} candidate node(s))`);
    if (p.victims && p.victims.length > 0) out.push(grid([['VICTIM', 'PRIORITY'], ...p.victims.map((v) => [v.pod, String(v.priority)])]));
  }
  if (e.kubelet) {
    out.push('');
    out.push(...renderKubeletVerdict(e.kubelet));
  }
  if (e.whatWouldHaveToChange.length > 0) {
    out.push('');
    out.push('What would have to change');
    for (const s of e.whatWouldHaveToChange) out.push(`  - ${s}`);
  }
  return `${out.join('\n')}\n`;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: 'Explain where a pod would be scheduled and why (every node, every plugin)',
  help: `Usage: ksim explain FILE... --pod NS/NAME [--at DURATION] [--output table|json] [--seed N] [--all-nodes] [--config FILE] [--plugin MODULE]...

Runs the scenario until the pod's first scheduling attempt (or --at, or the
end of the run when the pod is never attempted), then evaluates every node
for the pod without side effects: each node's filter verdict (plugin, code,
reason), each score plugin's raw, normalized and weighted score, the total
per feasible node, the best node or the scheduling failure message, and for
an unschedulable pod what would have to change (resources, tolerations,
node labels, and the victims preemption would evict). For a pod the
scheduler binds, it follows the pod to its node's kubelet and says whether
the kubelet admitted it (with its CPU, memory, device and NUMA assignment)
or rejected it, with the reason (OutOfcpu, TopologyAffinityError, ...) and why.

Options:
  --pod NS/NAME        The pod to explain (NAME alone means namespace default)
  --at DURATION        Explain at this virtual time, e.g. 90s (default: first attempt)
  -o, --output FORMAT  table (default) or json (the full record)
  --seed N             Random seed (overrides spec.seed)
  --all-nodes          List every node (default: top ${TOP_SCORED_NODES} by score and a histogram of filter reasons)
  --plugin MODULE      Load out-of-tree scheduler plugins the configuration names (repeatable)
${CONFIG_OPTION_HELP}
${VERSION_OPTIONS_HELP}
  -h, --help           Show this help

Exit status: 0 when the pod was explained, 2 for invalid input or usage
(or a pod that does not exist), 70 for an internal error.`,
  options: {
    pod: { type: 'string' },
    at: { type: 'string' },
    output: { type: 'string', short: 'o' },
    seed: { type: 'string' },
    'all-nodes': { type: 'boolean' },
    plugin: { type: 'string', multiple: true },
    config: { type: 'string' },
    ...VERSION_OPTION_DEFS,
  },
  run(args, io) {
    const files = inputFiles(args, 'explain');
    const key = parsePodKey(args.values['pod']);
    const opts: ExplainScenarioOptions = { ...pluginRegistry(args, io, 'explain'), ...versionOptions(args, 'explain') };
    const seed = args.values['seed'];
    if (typeof seed === 'string') {
      if (!/^\d+$/.test(seed) || !Number.isSafeInteger(Number(seed))) throw new UsageError(`invalid --seed ${JSON.stringify(seed)}: must be a non-negative integer`, 'explain');
      opts.seed = Number(seed);
    }
    const at = args.values['at'];
    if (typeof at === 'string') {
      let ms: number;
      try {
        ms = parseDuration(at);
      } catch (e) {
        throw new UsageError(`invalid --at ${JSON.stringify(at)}: ${e instanceof Error ? e.message : String(e)}`, 'explain');
      }
      if (ms < 0) throw new UsageError(`invalid --at ${JSON.stringify(at)}: must not be negative`, 'explain');
      opts.at = ms;
    }
    const output = args.values['output'] ?? 'table';
    if (output !== 'table' && output !== 'json') throw new UsageError(`invalid --output ${JSON.stringify(output)}: must be table or json`, 'explain');
    let result: { explanation: Explanation; warnings: string[] };
    try {
      result = explainScenario(files, key, opts);
    } catch (e) {
      if (e instanceof ExplainError) throw new UsageError(e.message, 'explain');
      throw e;
    }
    for (const w of result.warnings) io.stderr(`warning: ${w}\n`);
    io.stdout(output === 'json' ? `${JSON.stringify(result.explanation, null, 2)}\n` : renderExplanation(result.explanation, args.values['all-nodes'] === true));
    return EXIT_OK;
  },
};
