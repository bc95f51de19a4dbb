/**
 * NodeAffinity, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/plugins/nodeaffinity/node_affinity.go and
 * k8s.io/component-helpers/scheduling/corev1/nodeaffinity:
 *
 *   - PreFilter: skipped when the pod has no nodeSelector, no required node
 *     affinity and the plugin has no addedAffinity. When every required term
 *     pins `metadata.name` (matchFields, operator In), only those nodes are
 *     evaluated (PreFilterResult); terms pinning disjoint names make the pod
 *     unschedulable ("pod affinity terms conflict");
 *   - Filter: the node must match args.addedAffinity's required selector
 *     ("node(s) didn't match scheduler-enforced node affinity"), then the
 *     pod's spec.nodeSelector AND its required terms (ORed) ("node(s) didn't
 *     match Pod's node affinity/selector"); both unresolvable. A pod term that
 *     fails to parse never matches (upstream's lazy-error selector);
 *   - PreScore/Score: the sum of the weights of the matching preferred terms
 *     (the pod's plus addedAffinity's), skipped when there are none;
 *     NormalizeScore scales the highest to MaxNodeScore.
 */
import type { Node, NodeSelector, NodeSelectorTerm, Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import { ActionType, Code, MaxNodeScore, Status, PreFilterSkip, PreFilterNone, SkipStatus } from '../framework/types.ts';
import type {
  ClusterEventWithHint,
  CycleState,
  EnqueueExtensions,
  FilterPlugin,
  NodeInfo,
  NodeScore,
  PluginFactory,
  PodInfo,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  QueueingHint,
  Result,
  ScorePlugin,
} from '../framework/types.ts';
import type { Stored } from '../../sim/types.ts';
import { FieldErrorList, type FieldError } from '../../api/errors.ts';
import { compileNodeSelector, compilePreferredSchedulingTerms, NodeSelectorError } from '../../api/nodeSelector.ts';
import type { CompiledNodeSelector, CompiledPreferredTerms } from '../../api/nodeSelector.ts';
import { decodeArgs } from './helper/args.ts';
import { defaultNormalizeScore, defaultNormalizeScores } from './helper/normalizeScore.ts';
import { StateSlot, sameState } from '../framework/cycleState.ts';

export const name = 'NodeAffinity';

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;

/** ErrReasonPod */
export const ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";
/** errReasonEnforced */
export const ErrReasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
/** errReasonConflict */
export const ErrReasonConflict = 'pod affinity terms conflict';

/** metav1.ObjectNameField */
const objectNameField = 'metadata.name';

/** nodeaffinity.RequiredNodeAffinity: spec.nodeSelector AND the required terms. */
export interface RequiredNodeAffinity {
  match(node: Node): boolean;
}

/** nodeaffinity.GetRequiredNodeAffinity */
export function getRequiredNodeAffinity(pod: Pod): RequiredNodeAffinity {
  const selector = pod.spec?.nodeSelector;
  const pairs: Array<[string, string]> = selector ? Object.entries(selector) : [];
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  // compileNodeSelector is upstream's lazy-error selector: a term that does not parse never matches.
  const terms: CompiledNodeSelector | null = required ? compileNodeSelector(required) : null;
  return {
    match(node: Node): boolean {
      if (pairs.length > 0) {
        const labels = node.metadata?.labels;
        if (!labels) return false;
        for (let i = 0; i < pairs.length; i++) if (labels[pairs[i]![0]] !== pairs[i]![1]) return false;
      }
      return terms === null || terms.matches(node);
    },
  };
}

export interface NodeAffinityArgs {
  addedAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
    preferredDuringSchedulingIgnoredDuringExecution?: PreferredSchedulingTerm[];
  };
}

interface CompiledArgs {
  addedNodeSelector: CompiledNodeSelector | null;
  addedPrefSchedTerms: CompiledPreferredTerms | null;
}

/** Field errors relative to a selector, re-rooted under `path` (upstream's field.WithPath). */
function under(path: string, errs: readonly FieldError[]): FieldError[] {
  return errs.map((fe) => ({ ...fe, path: fe.path === '' ? path : fe.path.startsWith('[') ? path + fe.path : `${path}.${fe.path}` }));
}

/** An error from the api layer as field errors under `path`. */
function asFieldErrors(e: unknown, path: string): FieldError[] {
  if (e instanceof NodeSelectorError || e instanceof FieldErrorList) return under(path, e.errors);
  return [{ path, type: 'Invalid', detail: e instanceof Error ? e.message : String(e) }];
}

/** Decode and validate NodeAffinityArgs (ValidateNodeAffinityArgs: the added selectors must parse). */
export function parseNodeAffinityArgs(raw: unknown): CompiledArgs {
  const obj = decodeArgs(raw, 'NodeAffinityArgs', ['addedAffinity']);
  const out: CompiledArgs = { addedNodeSelector: null, addedPrefSchedTerms: null };
  const aff = obj['addedAffinity'];
  if (aff === undefined || aff === null) return out;
  const errs: FieldError[] = [];
  if (typeof aff !== 'object' || Array.isArray(aff)) {
    throw new FieldErrorList([{ path: 'addedAffinity', type: 'TypeInvalid', value: aff, detail: 'must be an object' }]);
  }
  const a = aff as Record<string, unknown>;
  for (const k of Object.keys(a)) {
    if (k !== 'requiredDuringSchedulingIgnoredDuringExecution' && k !== 'preferredDuringSchedulingIgnoredDuringExecution') {
      errs.push({ path: `addedAffinity.${k}`, type: 'FieldValueUnknown', detail: '' });
    }
  }
  const req = a['requiredDuringSchedulingIgnoredDuringExecution'];
  if (req !== undefined && req !== null) {
    const path = 'addedAffinity.requiredDuringSchedulingIgnoredDuringExecution';
    try {
      const sel = compileNodeSelector(req as NodeSelector);
      // Upstream parses the added selector strictly here: a bad term is a config error.
      if (sel.parseErrors.length > 0) errs.push(...under(path, sel.parseErrors));
      out.addedNodeSelector = sel;
    } catch (e) {
      errs.push(...asFieldErrors(e, path));
    }
  }
  const pref = a['preferredDuringSchedulingIgnoredDuringExecution'];
  if (Array.isArray(pref) && pref.length > 0) {
    const path = 'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution';
    try {
      out.addedPrefSchedTerms = compilePreferredSchedulingTerms(pref as PreferredSchedulingTerm[]);
    } catch (e) {
      errs.push(...asFieldErrors(e, path));
    }
  } else if (pref !== undefined && pref !== null && !Array.isArray(pref)) {
    errs.push({ path: 'addedAffinity.preferredDuringSchedulingIgnoredDuringExecution', type: 'TypeInvalid', value: pref, detail: 'must be a list' });
  }
  if (errs.length > 0) throw new FieldErrorList(errs);
  return out;
}

/**
 * Filter's rejections, shared by every rejected node (perf: a workload pinned
 * to a fifth of the nodes allocated a Status for each of the others, every
 * cycle). The framework only ever tags them with this plugin's name; the
 * frozen reasons make any other change fail loudly.
 */
const rejectedEnforced = new Status(Code.UnschedulableAndUnresolvable, Object.freeze([ErrReasonEnforced]) as string[]);
const rejectedPod = new Status(Code.UnschedulableAndUnresolvable, Object.freeze([ErrReasonPod]) as string[]);

interface PreFilterState {
  required: RequiredNodeAffinity;
  clone(): PreFilterState;
}

interface PreScoreState {
  preferred: CompiledPreferredTerms | null;
  clone(): PreScoreState;
}

/**
 * The node names every required term pins via matchFields metadata.name In;
 * undefined when some term does not pin names (all nodes stay eligible).
 */
export function requiredNodeNames(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  let nodeNames: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== objectNameField || r.operator !== 'In') continue;
      // Requirements within a term are ANDed: intersect.
      const s = new Set<string>(r.values ?? []);
      termNames = termNames === undefined ? s : new Set([...termNames].filter((n) => s.has(n)));
    }
    // A term without a name requirement can match any node, as terms are ORed.
    if (termNames === undefined) return undefined;
    nodeNames ??= new Set();
    for (const n of termNames) nodeNames.add(n);
  }
  return nodeNames;
}

/** Preferred terms of the pod; throws when they do not parse (upstream PreScore then fails with an error). */
function podPreferredNodeAffinity(pod: Pod): CompiledPreferredTerms | null {
  const terms = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (terms === undefined || terms === null) return null;
  return compilePreferredSchedulingTerms(terms);
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;
  /** Filter/Score read only the pod and this NodeInfo (fast-path memo, framework/nodeMemo.ts). */
  readonly nodeLocal = true;
  readonly podSpecOnly = true;
  /** NormalizeScore is DefaultNormalizeScore (fast path: equal raw scores cannot change the winner). */
  readonly normalizesEqualToEqual = true;
  private readonly preFilterSlot = new StateSlot<PreFilterState>(preFilterStateKey);
  private readonly preScoreSlot = new StateSlot<PreScoreState>(preScoreStateKey);
  private readonly addedNodeSelector: CompiledNodeSelector | null;
  private readonly addedPrefSchedTerms: CompiledPreferredTerms | null;

  constructor(args: CompiledArgs) {
    this.addedNodeSelector = args.addedNodeSelector;
    this.addedPrefSchedTerms = args.addedPrefSchedTerms;
  }

  preFilter(state: CycleState, pod: PodInfo): { result: PreFilterResult | null; status: Result } {
    const spec = pod.pod.spec;
    const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    const noNodeAffinity = required === undefined || required === null;
    if (noNodeAffinity && this.addedNodeSelector === null && (spec?.nodeSelector === undefined || spec.nodeSelector === null)) {
      return PreFilterSkip;
    }
    const s: PreFilterState = { required: getRequiredNodeAffinity(pod.pod), clone: sameState };
    state.write(preFilterStateKey, s);
    if (noNodeAffinity || (required.nodeSelectorTerms ?? []).length === 0) return PreFilterNone;
    const names = requiredNodeNames(required.nodeSelectorTerms);
    if (names === undefined) return PreFilterNone;
    // Every term pins names, but no name survives: nothing can match.
    if (names.size === 0) return { result: null, status: Status.unresolvable(ErrReasonConflict) };
    return { result: { nodeNames: names }, status: null };
  }

  preFilterExtensions(): null {
    return null;
  }

  filter(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): Result {
    const node = nodeInfo.node;
    if (this.addedNodeSelector !== null && !this.addedNodeSelector.matches(node)) return rejectedEnforced;
    // Fallback when PreFilter did not run (disabled).
    const s = this.preFilterSlot.read(state);
    const required = s ? s.required : getRequiredNodeAffinity(pod.pod);
    if (!required.match(node)) return rejectedPod;
    return null;
  }

  preScore(state: CycleState, pod: PodInfo): Result {
    let preferred: CompiledPreferredTerms | null;
    try {
      preferred = podPreferredNodeAffinity(pod.pod);
    } catch (e) {
      return Status.error(e instanceof Error ? e.message : String(e));
    }
    // The shared Skip (perf: a new Status per cycle of every pod without preferred terms).
    if (preferred === null && this.addedPrefSchedTerms === null) return SkipStatus;
    const s: PreScoreState = { preferred, clone: sameState };
    state.write(preScoreStateKey, s);
    return null;
  }

  score(state: CycleState, pod: PodInfo, nodeInfo: NodeInfo): number | Status {
    const node = nodeInfo.node;
    let count = 0;
    if (this.addedPrefSchedTerms !== null) count += this.addedPrefSchedTerms.score(node);
    let s = this.preScoreSlot.read(state);
    if (!s) {
      // Fallback when PreScore did not run (disabled).
      try {
        s = { preferred: podPreferredNodeAffinity(pod.pod), clone: sameState };
      } catch (e) {
        return Status.error(e instanceof Error ? e.message : String(e));
      }
    }
    if (s.preferred !== null) count += s.preferred.score(node);
    return count;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScore[]): Result {
    return defaultNormalizeScore(MaxNodeScore, false, scores);
  }

  normalizeAll(_state: CycleState, _pod: PodInfo, scores: Float64Array, n: number): boolean {
    defaultNormalizeScores(MaxNodeScore, false, scores, n);
    return true;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    // With queueing hints off (the default before v1.32) upstream adds UpdateNodeTaint
    // (kubernetes#109437); with them on the hint below skips what does not matter.
    return [
      {
        event: { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
        hint: (pod, oldObj, newObj) => this.isSchedulableAfterNodeChange(pod, oldObj, newObj),
      },
    ];
  }

  /** Queue when the node (now) matches and, for updates, did not match before. */
  isSchedulableAfterNodeChange(pod: Stored, oldObj: Stored | undefined, newObj: Stored | undefined): QueueingHint {
    const modified = newObj as Node | undefined;
    if (!modified) return 'Queue';
    if (this.addedNodeSelector !== null && !this.addedNodeSelector.matches(modified)) return 'QueueSkip';
    const required = getRequiredNodeAffinity(pod as unknown as Pod);
    if (!required.match(modified)) return 'QueueSkip';
    const original = oldObj as Node | undefined;
    if (original === undefined) return 'Queue';
    return required.match(original) ? 'QueueSkip' : 'Queue';
  }
}

export const factory: PluginFactory = (args) => new NodeAffinity(parseNodeAffinityArgs(args));
