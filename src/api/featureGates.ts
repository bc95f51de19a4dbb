/**
 * Kubernetes versions and feature gates, as upstream's versioned feature
 * specs (k8s.io/component-base/featuregate VersionedSpecs, the table in
 * pkg/features/kube_features.go): each gate lists, per release, its default,
 * its maturity and whether it is locked. An emulated version picks the spec in
 * force at that release (the last one at or before it), as
 * `--emulated-version` does; explicit settings (`--feature-gates`, the
 * scenario's `config.featureGates`, a KubeSchedulerConfiguration's or
 * KubeletConfiguration's `featureGates`) override the defaults where upstream
 * allows it.
 *
 * Only gates whose behaviour ksim models, or that name a behaviour ksim
 * documents, are listed. Behaviour that changed between releases without a
 * gate is selected with {@link atLeast} and names the version where it reads it.
 */

/** The newest upstream release whose sources ksim follows: the default emulated version. */
export const KUBERNETES_VERSION = '1.35';
/** The releases ksim can emulate (upstream emulates back to n-3). */
export const EMULATABLE_VERSIONS = ['1.32', '1.33', '1.34', '1.35'] as const;

export type PreRelease = 'Alpha' | 'Beta' | 'GA' | 'Deprecated';

export interface GateSpec {
  /** The release this spec starts at ("1.33"). */
  version: string;
  default: boolean;
  preRelease: PreRelease;
  lockToDefault?: boolean;
}

type Row = [version: string, def: boolean, pre: PreRelease, locked?: 'locked'];

function specs(...rows: Row[]): GateSpec[] {
  return rows.map(([version, def, preRelease, locked]) => ({ version, default: def, preRelease, ...(locked ? { lockToDefault: true } : {}) }));
}

/** What each gate changes in ksim, for `ksim --feature-gates help`-style listings and the README. */
export interface GateInfo {
  specs: GateSpec[];
  /** Where ksim reads it. */
  affects: string;
}

/** The versioned specs of the gates ksim knows, from upstream's kube_features.go (v1.35). */
export const FEATURE_GATES: Readonly<Record<string, GateInfo>> = {
  SchedulerQueueingHints: { specs: specs(['1.28', false, 'Beta'], ['1.32', true, 'Beta'], ['1.34', true, 'GA', 'locked']), affects: 'scheduling queue: requeue by queueing hints, or every event a rejecting plugin registered for' },
  SchedulerAsyncPreemption: { specs: specs(['1.32', false, 'Alpha'], ['1.33', true, 'Beta']), affects: 'preemption (ksim evicts victims within the cycle either way)' },
  SchedulerPopFromBackoffQ: { specs: specs(['1.33', true, 'Beta']), affects: 'scheduling queue' },
  PodLevelResources: { specs: specs(['1.32', false, 'Alpha'], ['1.34', true, 'Beta']), affects: 'pod spec.resources in requests, QoS, scheduling and admission' },
  SidecarContainers: { specs: specs(['1.28', false, 'Alpha'], ['1.29', true, 'Beta'], ['1.33', true, 'GA', 'locked']), affects: 'restartable init containers in pod requests and the kubelet' },
  PodObservedGenerationTracking: { specs: specs(['1.33', false, 'Alpha'], ['1.34', true, 'Beta'], ['1.35', true, 'GA', 'locked']), affects: 'pod metadata.generation and status.observedGeneration' },
  HPAConfigurableTolerance: { specs: specs(['1.33', false, 'Alpha'], ['1.35', true, 'Beta']), affects: 'HPA behavior.scaleUp/scaleDown.tolerance' },
  HPAScaleToZero: { specs: specs(['1.16', false, 'Alpha']), affects: 'HPA minReplicas: 0' },
  JobSuccessPolicy: { specs: specs(['1.30', false, 'Alpha'], ['1.31', true, 'Beta'], ['1.33', true, 'GA', 'locked']), affects: 'Job successPolicy' },
  JobBackoffLimitPerIndex: { specs: specs(['1.28', false, 'Alpha'], ['1.29', true, 'Beta'], ['1.33', true, 'GA', 'locked']), affects: 'Job backoffLimitPerIndex' },
  JobPodReplacementPolicy: { specs: specs(['1.28', false, 'Alpha'], ['1.29', true, 'Beta'], ['1.34', true, 'GA', 'locked']), affects: 'Job podReplacementPolicy' },
  JobManagedBy: { specs: specs(['1.30', false, 'Alpha'], ['1.32', true, 'Beta'], ['1.35', true, 'GA', 'locked']), affects: 'Job managedBy' },
  MaxUnavailableStatefulSet: { specs: specs(['1.24', false, 'Alpha'], ['1.35', true, 'Beta']), affects: 'StatefulSet rollingUpdate.maxUnavailable' },
  DeploymentReplicaSetTerminatingReplicas: { specs: specs(['1.33', false, 'Alpha'], ['1.35', true, 'Beta']), affects: 'Deployment/ReplicaSet status.terminatingReplicas' },
  SeparateTaintEvictionController: { specs: specs(['1.29', true, 'Beta'], ['1.34', true, 'GA', 'locked']), affects: 'taint-eviction-controller' },
  PodDeletionCost: { specs: specs(['1.21', false, 'Alpha'], ['1.22', true, 'Beta']), affects: 'ReplicaSet scale-down ranking' },
  MatchLabelKeysInPodAffinity: { specs: specs(['1.29', false, 'Alpha'], ['1.31', true, 'Beta'], ['1.33', true, 'GA', 'locked']), affects: 'InterPodAffinity matchLabelKeys' },
  MatchLabelKeysInPodTopologySpread: { specs: specs(['1.25', false, 'Alpha'], ['1.27', true, 'Beta']), affects: 'PodTopologySpread matchLabelKeys' },
  NodeInclusionPolicyInPodTopologySpread: { specs: specs(['1.25', false, 'Alpha'], ['1.26', true, 'Beta'], ['1.33', true, 'GA', 'locked']), affects: 'PodTopologySpread nodeAffinityPolicy/nodeTaintsPolicy' },
  KubeletCrashLoopBackOffMax: { specs: specs(['1.32', false, 'Alpha'], ['1.35', true, 'Beta']), affects: 'kubelet crashLoopBackOff.maxContainerRestartPeriod' },
  ReduceDefaultCrashLoopBackOffDecay: { specs: specs(['1.33', false, 'Alpha']), affects: 'kubelet restart back-off (1 s initial, 60 s cap when on)' },
  GracefulNodeShutdown: { specs: specs(['1.20', false, 'Alpha'], ['1.21', true, 'Beta']), affects: 'kubelet shutdownGracePeriod' },
  GracefulNodeShutdownBasedOnPodPriority: { specs: specs(['1.23', false, 'Alpha'], ['1.24', true, 'Beta']), affects: 'kubelet shutdownGracePeriodByPodPriority' },
  CPUManagerPolicyOptions: { specs: specs(['1.22', false, 'Alpha'], ['1.23', true, 'Beta'], ['1.33', true, 'GA', 'locked']), affects: 'kubelet cpuManagerPolicyOptions' },
  CPUManagerPolicyBetaOptions: { specs: specs(['1.23', true, 'Beta']), affects: 'kubelet cpuManagerPolicyOptions (beta options)' },
  CPUManagerPolicyAlphaOptions: { specs: specs(['1.23', false, 'Alpha']), affects: 'kubelet cpuManagerPolicyOptions (alpha options)' },
  TopologyManagerPolicyOptions: { specs: specs(['1.26', false, 'Alpha'], ['1.28', true, 'Beta'], ['1.32', true, 'GA']), affects: 'kubelet topologyManagerPolicyOptions' },
  TopologyManagerPolicyBetaOptions: { specs: specs(['1.26', false, 'Beta'], ['1.28', true, 'Beta']), affects: 'kubelet topologyManagerPolicyOptions (beta options)' },
  TopologyManagerPolicyAlphaOptions: { specs: specs(['1.26', false, 'Alpha']), affects: 'kubelet topologyManagerPolicyOptions (alpha options)' },
  MemoryManager: { specs: specs(['1.21', false, 'Alpha'], ['1.22', true, 'Beta'], ['1.32', true, 'GA', 'locked']), affects: 'kubelet memoryManagerPolicy' },
  PodReadyToStartContainersCondition: { specs: specs(['1.28', false, 'Alpha'], ['1.29', true, 'Beta']), affects: 'kubelet PodReadyToStartContainers condition' },
  KubeletSeparateDiskGC: { specs: specs(['1.29', false, 'Alpha'], ['1.31', true, 'Beta']), affects: 'kubelet containerfs/imagefs signals' },
  ImageMaximumGCAge: { specs: specs(['1.29', false, 'Alpha'], ['1.30', true, 'Beta'], ['1.35', true, 'GA', 'locked']), affects: 'kubelet imageMaximumGCAge' },
  InPlacePodVerticalScaling: { specs: specs(['1.27', false, 'Alpha'], ['1.33', true, 'Beta'], ['1.35', true, 'GA', 'locked']), affects: 'not modelled: resize of running pods' },
  HonorPVReclaimPolicy: { specs: specs(['1.23', false, 'Alpha'], ['1.31', true, 'Beta'], ['1.33', true, 'GA', 'locked']), affects: 'PV reclaim policy on deletion' },
  ClearingNominatedNodeNameAfterBinding: { specs: specs(['1.34', false, 'Alpha'], ['1.35', true, 'Beta']), affects: 'scheduler: nominatedNodeName cleared at binding' },
  NominatedNodeNameForExpectation: { specs: specs(['1.34', false, 'Alpha'], ['1.35', true, 'Beta']), affects: 'scheduler: nominatedNodeName set before binding' },
  OpportunisticBatching: { specs: specs(['1.35', true, 'Beta']), affects: 'scheduler: batching of identical pods (same decisions)' },
  TaintTolerationComparisonOperators: { specs: specs(['1.35', false, 'Alpha']), affects: 'tolerations with Lt/Gt operators' },
  StorageCapacityScoring: { specs: specs(['1.33', false, 'Alpha']), affects: 'VolumeBinding storage capacity scoring' },
  PodTopologyLabelsAdmission: { specs: specs(['1.33', false, 'Alpha'], ['1.35', true, 'Beta']), affects: 'topology labels copied to pods at binding' },
};

/** A problem with a gate setting or a version, in upstream's wording. */
export class FeatureGateError extends Error {}

/** "1.33" as [1, 33]; undefined when it is not a major.minor version. */
export function parseVersion(v: string): [number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function cmpVersion(a: string, b: string): number {
  const x = parseVersion(a)!;
  const y = parseVersion(b)!;
  return x[0] - y[0] || x[1] - y[1];
}

/** The spec in force at `version`: the last one at or before it (undefined before the gate existed). */
export function specAt(gate: string, version: string): GateSpec | undefined {
  let found: GateSpec | undefined;
  for (const s of FEATURE_GATES[gate]?.specs ?? []) if (cmpVersion(s.version, version) <= 0) found = s;
  return found;
}

/** The resolved gates of one simulated cluster: an emulated version plus explicit settings. */
export class FeatureGates {
  private readonly values = new Map<string, boolean>();

  private constructor(readonly emulatedVersion: string) {}

  /**
   * Resolve gates for an emulated version (default {@link KUBERNETES_VERSION})
   * with explicit settings, validated as upstream's MutableVersionedFeatureGate.Set does.
   */
  static resolve(opts: { emulatedVersion?: string; settings?: Readonly<Record<string, boolean>> } = {}): FeatureGates {
    const version = normalizeEmulatedVersion(opts.emulatedVersion ?? KUBERNETES_VERSION);
    const gates = new FeatureGates(version);
    for (const name of Object.keys(FEATURE_GATES)) gates.values.set(name, specAt(name, version)?.default ?? false);
    for (const [name, value] of Object.entries(opts.settings ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const problem = settingProblem(name, value, version);
      if (problem) throw new FeatureGateError(problem);
      gates.values.set(name, value);
    }
    return gates;
  }

  /** The defaults of the newest release, nothing set: what a component gets when nobody configured gates. */
  static defaults(): FeatureGates {
    return DEFAULT_GATES;
  }

  enabled(gate: string): boolean {
    const v = this.values.get(gate);
    if (v === undefined) throw new Error(`feature gate ${gate} is not in ksim's table`);
    return v;
  }

  /** Behaviour that changed without a gate: whether the emulated release is `version` or newer. */
  atLeast(version: string): boolean {
    return cmpVersion(this.emulatedVersion, version) >= 0;
  }

  /** Every gate with its value, sorted by name (for output). */
  list(): Array<[string, boolean]> {
    return [...this.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/** "1.33" from "1.33", "v1.33" or "1.33.2"; an error for versions ksim cannot emulate. */
export function normalizeEmulatedVersion(v: string): string {
  const p = parseVersion(v);
  const lo = EMULATABLE_VERSIONS[0];
  const hi = EMULATABLE_VERSIONS[EMULATABLE_VERSIONS.length - 1]!;
  if (!p) throw new FeatureGateError(`invalid emulated version ${JSON.stringify(v)}: expected a version such as "${hi}"`);
  const version = `${p[0]}.${p[1]}`;
  if (cmpVersion(version, lo) < 0 || cmpVersion(version, hi) > 0) {
    // upstream: "emulation version 1.29 is not between [1.32, 1.35]"
    throw new FeatureGateError(`emulation version ${version} is not between [${lo}, ${hi}]`);
  }
  return version;
}

/** Why setting `name` to `value` is refused at `version`, in upstream's words; undefined when allowed. */
export function settingProblem(name: string, value: boolean, version: string): string | undefined {
  const info = FEATURE_GATES[name];
  if (!info) return `unrecognized feature gate: ${name}`;
  const spec = specAt(name, version);
  if (!spec) return `cannot set feature gate ${name} to ${value}, feature is PreAlpha at emulated version ${version}`;
  if (spec.lockToDefault && value !== spec.default) return `cannot set feature gate ${name} to ${value}, feature is locked to ${spec.default}`;
  return undefined;
}

/**
 * `Name=true,Other=false` as --feature-gates takes it (upstream's
 * cliflag.MapStringBool: whitespace around items is trimmed, values parse as
 * Go's strconv.ParseBool).
 */
export function parseFeatureGateFlag(text: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    if (eq < 0) throw new FeatureGateError(`missing bool value for ${item}`);
    const key = item.slice(0, eq).trim();
    const value = parseGoBool(item.slice(eq + 1).trim());
    if (value === undefined) throw new FeatureGateError(`invalid value of ${key}=${item.slice(eq + 1).trim()}, err: strconv.ParseBool: parsing ${JSON.stringify(item.slice(eq + 1).trim())}: invalid syntax`);
    out[key] = value;
  }
  return out;
}

function parseGoBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

const DEFAULT_GATES = FeatureGates.resolve();
