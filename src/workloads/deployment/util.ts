/**
 * The Deployment controller's pure rules, as pkg/controller/deployment/util
 * (deployment_util.go, newest upstream) and the ReplicaSet sort orders of
 * pkg/controller/controller_utils.go: fenceposts (maxSurge rounded up,
 * maxUnavailable down, both zero -> maxUnavailable 1), proportions for
 * scaling during a rollout, replica counts over ReplicaSets, the revision and
 * replicas annotations, which ReplicaSet is new and which are old, and the
 * Progressing / Available condition helpers.
 */
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet, ReplicaSetCondition } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KObject, Time } from '../../sim/types.ts';

export type DeploymentObj = Deployment & KObject;
export type ReplicaSetObj = ReplicaSet & KObject;
export type IntOrString = number | string;

export const RevisionAnnotation = 'deployment.kubernetes.io/revision';
export const RevisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const DesiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const MaxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const DeprecatedRollbackTo = 'deprecated.deployment.rollback.to';
export const LastAppliedConfigAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';
/** apps.DefaultDeploymentUniqueLabelKey */
export const DefaultDeploymentUniqueLabelKey = 'pod-template-hash';
/** The longest revision-history annotation upstream writes. */
export const MaxRevHistoryLengthInChars = 2000;

// Progressing reasons
export const ReplicaSetUpdatedReason = 'ReplicaSetUpdated';
export const FailedRSCreateReason = 'ReplicaSetCreateError';
export const NewReplicaSetReason = 'NewReplicaSetCreated';
export const FoundNewRSReason = 'FoundNewReplicaSet';
export const NewRSAvailableReason = 'NewReplicaSetAvailable';
export const TimedOutReason = 'ProgressDeadlineExceeded';
export const PausedDeployReason = 'DeploymentPaused';
export const ResumedDeployReason = 'DeploymentResumed';
// Available reasons
export const MinimumReplicasAvailable = 'MinimumReplicasAvailable';
export const MinimumReplicasUnavailable = 'MinimumReplicasUnavailable';

/** Annotations never copied between a Deployment and its ReplicaSets (annotationsToSkip). */
export const AnnotationsToSkip: ReadonlySet<string> = new Set([
  LastAppliedConfigAnnotation,
  RevisionAnnotation,
  RevisionHistoryAnnotation,
  DesiredReplicasAnnotation,
  MaxReplicasAnnotation,
  DeprecatedRollbackTo,
]);

/** math.MaxInt32: "no deadline" / "no history limit" as upstream's sentinel. */
const MaxInt32 = 2147483647;

export function replicasOf(o: { spec?: { replicas?: number } } | undefined): number {
  return o?.spec?.replicas ?? 0;
}

// ---- intstr and fenceposts ----

/** intstr.GetScaledValueFromIntOrPercent: an int as is, "N%" of total rounded up or down. */
export function getScaledValueFromIntOrPercent(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error(`invalid type: string is not a percentage`);
  const n = v.slice(0, -1);
  if (!/^[+-]?[0-9]+$/.test(n)) throw new Error(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${n}": invalid syntax`);
  const pct = Number(n);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

/** ResolveFenceposts: surge rounded up, unavailable down; both zero -> unavailable 1 (surge might be blocked by quota). */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): [surge: number, unavailable: number] {
  const surge = getScaledValueFromIntOrPercent(maxSurge ?? 0, desired, true);
  let unavailable = getScaledValueFromIntOrPercent(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function isRollingUpdate(d: Deployment): boolean {
  return d.spec?.strategy?.type === 'RollingUpdate';
}

function fenceposts(d: Deployment): [number, number] {
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge as IntOrString | undefined, ru?.maxUnavailable as IntOrString | undefined, replicasOf(d));
}

/** MaxUnavailable: 0 unless RollingUpdate with replicas > 0; never more than replicas. */
export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d)[1], replicas);
}

export function minAvailable(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return replicasOf(d) - maxUnavailable(d);
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  return fenceposts(d)[0];
}

// ---- replica counts ----

type MaybeRS = ReplicaSet | undefined | null;

export function getReplicaCountForReplicaSets(rss: readonly MaybeRS[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.spec?.replicas ?? 0;
  return n;
}

export function getActualReplicaCountForReplicaSets(rss: readonly MaybeRS[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.status?.replicas ?? 0;
  return n;
}

export function getReadyReplicaCountForReplicaSets(rss: readonly MaybeRS[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.status?.readyReplicas ?? 0;
  return n;
}

/**
 * GetTerminatingReplicaCountForReplicaSets (DeploymentReplicaSetTerminatingReplicas, beta in v1.35):
 * undefined as soon as one ReplicaSet does not report the field.
 */
export function getTerminatingReplicaCountForReplicaSets(rss: readonly MaybeRS[]): number | undefined {
  let n = 0;
  for (const rs of rss) {
    if (!rs) continue;
    const t = (rs.status as { terminatingReplicas?: number } | undefined)?.terminatingReplicas;
    if (t === undefined || t === null) return undefined;
    n += t;
  }
  return n;
}

export function getAvailableReplicaCountForReplicaSets(rss: readonly MaybeRS[]): number {
  let n = 0;
  for (const rs of rss) if (rs) n += rs.status?.availableReplicas ?? 0;
  return n;
}

/** FilterActiveReplicaSets: ReplicaSets with spec.replicas > 0. */
export function filterActiveReplicaSets<T extends ReplicaSet>(rss: readonly (T | undefined | null)[]): T[] {
  return rss.filter((rs): rs is T => !!rs && (rs.spec?.replicas ?? 0) > 0);
}

// ---- annotations ----

function intFromAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^[+-]?[0-9]+$/.test(v)) return undefined;
  return Number(v);
}

export function getDesiredReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intFromAnnotation(rs, DesiredReplicasAnnotation);
}

export function getMaxReplicasAnnotation(rs: ReplicaSet): number | undefined {
  return intFromAnnotation(rs, MaxReplicasAnnotation);
}

/** SetReplicasAnnotations on a mutable copy; true when anything changed. */
export function setReplicasAnnotations(rs: { metadata?: { annotations?: Record<string, string> } }, desired: number, max: number): boolean {
  const meta = (rs.metadata ??= {});
  const ann = (meta.annotations ??= {});
  let updated = false;
  if (ann[DesiredReplicasAnnotation] !== String(desired)) {
    ann[DesiredReplicasAnnotation] = String(desired);
    updated = true;
  }
  if (ann[MaxReplicasAnnotation] !== String(max)) {
    ann[MaxReplicasAnnotation] = String(max);
    updated = true;
  }
  return updated;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const ann = rs.metadata?.annotations;
  if (!ann) return true;
  return ann[DesiredReplicasAnnotation] !== String(desired) || ann[MaxReplicasAnnotation] !== String(max);
}

/** Revision: the revision annotation as an int (0 when absent; NaN when unparsable). */
export function revision(o: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = o.metadata?.annotations?.[RevisionAnnotation];
  if (v === undefined) return 0;
  return /^[+-]?[0-9]+$/.test(v) ? Number(v) : Number.NaN;
}

/** MaxRevision: the highest parsable revision. */
export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revision(rs);
    if (!Number.isNaN(v) && v > max) max = v;
  }
  return max;
}

/** LastRevision: the second highest revision. */
export function lastRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  let sec = 0;
  for (const rs of rss) {
    const v = revision(rs);
    if (Number.isNaN(v)) continue;
    if (v >= max) {
      sec = max;
      max = v;
    } else if (v > sec) sec = v;
  }
  return sec;
}

/** copyDeploymentAnnotationsToReplicaSet; true when the ReplicaSet's annotations changed. */
function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: { metadata?: { annotations?: Record<string, string> } }): boolean {
  const meta = (rs.metadata ??= {});
  const ann = (meta.annotations ??= {});
  let changed = false;
  const src = d.metadata?.annotations ?? {};
  for (const k of Object.keys(src).sort()) {
    if (AnnotationsToSkip.has(k) || ann[k] === src[k]) continue;
    ann[k] = src[k]!;
    changed = true;
  }
  return changed;
}

/** SetNewReplicaSetAnnotations: copy annotations, raise the revision (keeping the revision history), replicas annotations on creation. */
export function setNewReplicaSetAnnotations(d: Deployment, rs: { metadata?: { name?: string; annotations?: Record<string, string> } }, newRevision: string, exists: boolean, revHistoryLimitInChars = MaxRevHistoryLengthInChars): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const ann = rs.metadata!.annotations!;
  const hadRevision = RevisionAnnotation in ann;
  const oldRevision = ann[RevisionAnnotation] ?? '';
  let oldRevisionInt = 0;
  if (oldRevision !== '') {
    if (!/^[+-]?[0-9]+$/.test(oldRevision)) return false;
    oldRevisionInt = Number(oldRevision);
  }
  if (!/^[+-]?[0-9]+$/.test(newRevision)) return false;
  const newRevisionInt = Number(newRevision);
  if (oldRevisionInt < newRevisionInt) {
    ann[RevisionAnnotation] = newRevision;
    changed = true;
  }
  // A ReplicaSet that had a revision and gets a newer one is being rolled back to: keep its old revisions.
  if (hadRevision && oldRevisionInt < newRevisionInt) {
    const history = ann[RevisionHistoryAnnotation] ?? '';
    const oldRevisions = history.split(',');
    if (oldRevisions[0]!.length === 0) {
      ann[RevisionHistoryAnnotation] = oldRevision;
    } else {
      let totalLen = history.length + oldRevision.length + 1;
      let start = 0;
      while (totalLen > revHistoryLimitInChars && start < oldRevisions.length) {
        totalLen = totalLen - oldRevisions[start]!.length - 1;
        start++;
      }
      if (totalLen <= revHistoryLimitInChars) ann[RevisionHistoryAnnotation] = [...oldRevisions.slice(start), oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision on a mutable copy; true when it changed. */
export function setDeploymentRevision(d: { metadata?: { annotations?: Record<string, string> } }, rev: string): boolean {
  const meta = (d.metadata ??= {});
  const ann = (meta.annotations ??= {});
  if (ann[RevisionAnnotation] === rev) return false;
  ann[RevisionAnnotation] = rev;
  return true;
}

// ---- proportions ----

/** getReplicaSetFraction: the change of this ReplicaSet's size when the deployment's max size changes. */
export function getReplicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (replicasOf(d) === 0) return -replicasOf(rs);
  const deploymentMaxReplicas = replicasOf(d) + maxSurge(d);
  let before = getMaxReplicasAnnotation(rs);
  // Without the annotation (someone edited the ReplicaSet) fall back to the current deployment size.
  if (before === undefined || before === 0) before = d.status?.replicas ?? 0;
  if (before === 0) return 0;
  const newRSsize = (replicasOf(rs) * deploymentMaxReplicas) / before;
  return goRound(newRSsize) - replicasOf(rs);
}

/** math.Round: half away from zero. */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** GetProportion: this ReplicaSet's share of the replicas to add (or remove), bounded by what is left. */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || replicasOf(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = getReplicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newRSNewReplicas(d: Deployment, allRSs: readonly MaybeRS[], newRS: ReplicaSet): number {
  switch (d.spec?.strategy?.type) {
    case 'RollingUpdate': {
      const surge = getScaledValueFromIntOrPercent((d.spec.strategy.rollingUpdate?.maxSurge ?? 0) as IntOrString, replicasOf(d), true);
      const current = getReplicaCountForReplicaSets(allRSs);
      const maxTotal = replicasOf(d) + surge;
      if (current >= maxTotal) return replicasOf(newRS);
      const scaleUp = Math.min(maxTotal - current, replicasOf(d) - replicasOf(newRS));
      return replicasOf(newRS) + scaleUp;
    }
    case 'Recreate':
      return replicasOf(d);
    default:
      throw new Error(`deployment type ${d.spec?.strategy?.type ?? ''} isn't supported`);
  }
}

/** IsSaturated: the new ReplicaSet has, wants and makes available all of the deployment's replicas. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = getDesiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  return replicasOf(rs) === replicasOf(d) && desired === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** FindActiveOrLatest: the only active ReplicaSet, or the newest when none is active; undefined when several are. */
export function findActiveOrLatest<T extends ReplicaSet>(newRS: T | undefined, oldRSs: T[]): T | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sortedOld = [...oldRSs].sort((a, b) => rsByCreation(b, a));
  const active = filterActiveReplicaSets<T>([...sortedOld, newRS]);
  if (active.length === 0) return newRS ?? sortedOld[0];
  if (active.length === 1) return active[0];
  return undefined;
}

// ---- templates and new/old ----

/** A canonical form for Semantic.DeepEqual: key order ignored, empty maps and slices equal to absent. */
function canonical(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.length === 0 ? '' : `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const parts: string[] = [];
    for (const k of Object.keys(o).sort()) {
      const c = canonical(o[k]);
      if (c !== '') parts.push(`${JSON.stringify(k)}:${c}`);
    }
    return parts.length === 0 ? '' : `{${parts.join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Canonical text of a template without its pod-template-hash label, memoised per (immutable) template object. */
const canonicalTemplates = new WeakMap<object, string>();

function canonicalTemplate(t: PodTemplateSpec | undefined): string {
  if (!t) return '';
  const cached = canonicalTemplates.get(t);
  if (cached !== undefined) return cached;
  const labels = { ...(t.metadata?.labels ?? {}) };
  delete labels[DefaultDeploymentUniqueLabelKey];
  const text = canonical({ ...t, metadata: { ...(t.metadata ?? {}), labels } });
  // Only frozen (stored) templates cannot change behind the cache's back.
  if (Object.isFrozen(t)) canonicalTemplates.set(t, text);
  return text;
}

/** EqualIgnoreHash: templates equal apart from the pod-template-hash label. */
export function equalIgnoreHash(t1: PodTemplateSpec | undefined, t2: PodTemplateSpec | undefined): boolean {
  return canonicalTemplate(t1) === canonicalTemplate(t2);
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the deployment's. */
export function findNewReplicaSet<T extends ReplicaSet>(d: Deployment, rsList: readonly T[]): T | undefined {
  const sorted = [...rsList].sort(rsByCreation);
  return sorted.find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** FindOldReplicaSets: [old ones with replicas, all old ones]. */
export function findOldReplicaSets<T extends ReplicaSet>(d: Deployment, rsList: readonly T[]): [required: T[], all: T[]] {
  const newRS = findNewReplicaSet(d, rsList);
  const required: T[] = [];
  const all: T[] = [];
  for (const rs of rsList) {
    if (newRS && rs.metadata?.uid === newRS.metadata?.uid) continue;
    all.push(rs);
    if (replicasOf(rs) !== 0) required.push(rs);
  }
  return [required, all];
}

// ---- sort orders (controller_utils.go) ----

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function rsByCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta === tb) return cmpStr(a.metadata?.name ?? '', b.metadata?.name ?? '');
  return ta < tb ? -1 : 1;
}

/** ReplicaSetsBySizeOlder: larger first; equal sizes older first. */
export function rsBySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  if (replicasOf(a) === replicasOf(b)) return rsByCreation(a, b);
  return replicasOf(b) - replicasOf(a);
}

/** ReplicaSetsBySizeNewer: larger first; equal sizes newer first. */
export function rsBySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  if (replicasOf(a) === replicasOf(b)) return rsByCreation(b, a);
  return replicasOf(b) - replicasOf(a);
}

/** ReplicaSetsByRevision: lower revision first, then by creation. */
export function rsByRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revision(a);
  const rb = revision(b);
  if (ra === rb || (Number.isNaN(ra) && Number.isNaN(rb))) return rsByCreation(a, b);
  return (Number.isNaN(ra) ? 0 : ra) - (Number.isNaN(rb) ? 0 : rb);
}

// ---- conditions ----

export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== MaxInt32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== MaxInt32;
}

export function newDeploymentCondition(type: string, status: string, reason: string, message: string, time: string): DeploymentCondition {
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}

export function getDeploymentCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** SetDeploymentCondition: no-op for the same status and reason; lastTransitionTime kept when the status is unchanged; moved to the end. */
export function setDeploymentCondition(status: { conditions?: DeploymentCondition[] }, cond: DeploymentCondition): void {
  const cur = status.conditions?.find((c) => c.type === cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const next = { ...cond };
  if (cur && cur.status === cond.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeDeploymentCondition(status: { conditions?: DeploymentCondition[] }, type: string): void {
  const conds = (status.conditions ?? []).filter((c) => c.type !== type);
  if (conds.length === 0) delete status.conditions;
  else status.conditions = conds;
}

/** ReplicaSetToDeploymentCondition. */
export function replicaSetToDeploymentCondition(c: ReplicaSetCondition): DeploymentCondition {
  const out: DeploymentCondition = { type: c.type, status: c.status };
  if (c.lastTransitionTime) {
    out.lastTransitionTime = c.lastTransitionTime;
    out.lastUpdateTime = c.lastTransitionTime;
  }
  if (c.reason) out.reason = c.reason;
  if (c.message) out.message = c.message;
  return out;
}

/** DeploymentComplete: every replica updated and available, and the newest spec observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const r = replicasOf(d);
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available replicas than before. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0)
  );
}

/** DeploymentTimedOut: no progress recorded within progressDeadlineSeconds of the condition's lastUpdateTime. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: Time, parseTime: (ts: string) => Time): boolean {
  if (!hasProgressDeadline(d)) return false;
  const cond = getDeploymentCondition(s, 'Progressing');
  if (!cond) return false;
  if (cond.reason === NewRSAvailableReason) return false;
  if (cond.reason === TimedOutReason) return true;
  if (!cond.lastUpdateTime) return false;
  return parseTime(cond.lastUpdateTime) + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}
