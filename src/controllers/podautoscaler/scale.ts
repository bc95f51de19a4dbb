/**
 * The scale subresource as the HPA uses it: the REST mapping check of
 * scaleTargetRef (apiVersion's group and kind must name a served kind,
 * upstream's `no matches for kind "X" in group "g"` otherwise), then GET and
 * PUT of autoscaling/v1 Scale through src/sim/scale.ts.
 */
import { kindInfo } from '../../api/discovery.ts';
import { getScale as getScaleSubresource, updateScale as updateScaleSubresource } from '../../sim/scale.ts';
import type { Store, StoreReader } from '../../sim/types.ts';

export interface Scale {
  specReplicas: number;
  statusReplicas: number;
  /** "" when the target has no selector. */
  selector: string;
}

/** Upstream's message when a group/kind has no REST mapping. */
export function noMatchesMessage(kind: string, group: string): string {
  return `no matches for kind "${kind}" in group "${group}"`;
}

function groupOf(apiVersion: string | undefined): string {
  if (!apiVersion) return '';
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** RESTMappings(targetGK): an error message when the group/kind is not served. */
export function scaleTargetProblem(ref: { apiVersion?: string; kind: string }): string | undefined {
  const info = kindInfo(ref.kind);
  const group = groupOf(ref.apiVersion);
  if (!info || info.group !== group) return noMatchesMessage(ref.kind, group);
  return undefined;
}

/** GET .../scale. Throws ApiError (NotFound) or Error with upstream's message. */
export function getScale(store: StoreReader, namespace: string, ref: { apiVersion?: string; kind: string; name: string }): Scale {
  const problem = scaleTargetProblem(ref);
  if (problem) throw new Error(problem);
  const s = getScaleSubresource(store, ref.kind, namespace, ref.name);
  return { specReplicas: s.spec.replicas, statusReplicas: s.status.replicas, selector: s.status.selector ?? '' };
}

/** PUT .../scale with spec.replicas. */
export function updateScale(store: Store, namespace: string, ref: { kind: string; name: string }, replicas: number, actor: string): void {
  updateScaleSubresource(store, ref.kind, namespace, ref.name, replicas, { actor });
}
