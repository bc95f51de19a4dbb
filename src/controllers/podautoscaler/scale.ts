/**
 * The scale subresource as the HPA uses it (autoscaling/v1 Scale):
 * spec.replicas, status.replicas and status.selector of a Deployment,
 * ReplicaSet, StatefulSet or ReplicationController, read from and written to
 * the store. status.selector is the target's selector in label-selector
 * string form (metav1.FormatLabelSelector for apps kinds,
 * labels.SelectorFromSet for a ReplicationController), as the registries'
 * scale subresources report it.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { kindInfo } from '../../api/discovery.ts';
import { labelSelectorAsSelector, selectorFromSet } from '../../api/labels.ts';
import { ApiError } from '../../sim/errors.ts';
import type { KObject, Store, StoreReader } from '../../sim/types.ts';

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

/** Validate the reference's kind and group; returns an error message or undefined. */
export function scaleTargetProblem(ref: { apiVersion?: string; kind: string }): string | undefined {
  const info = kindInfo(ref.kind);
  const group = groupOf(ref.apiVersion);
  if (!info || info.group !== group) return noMatchesMessage(ref.kind, group);
  if (!info.scalable) return 'the server could not find the requested resource';
  return undefined;
}

/** FormatLabelSelector: "<none>" for an empty selector, "<error>" for an invalid one. */
function formatLabelSelector(sel: LabelSelector | undefined): string {
  try {
    const s = labelSelectorAsSelector(sel ?? null).toString();
    return s.length === 0 ? '<none>' : s;
  } catch {
    return '<error>';
  }
}

/** GET .../scale. Throws ApiError (NotFound) or Error with upstream's message. */
export function getScale(store: StoreReader, namespace: string, ref: { apiVersion?: string; kind: string; name: string }): Scale {
  const problem = scaleTargetProblem(ref);
  if (problem) throw new Error(problem);
  const target = store.get<KObject>(ref.kind, namespace, ref.name);
  if (!target) throw ApiError.notFound(ref.kind, ref.name);
  const spec = (target['spec'] ?? {}) as { replicas?: number; selector?: unknown };
  const status = (target['status'] ?? {}) as { replicas?: number };
  let selector: string;
  if (ref.kind === 'ReplicationController') {
    selector = selectorFromSet((spec.selector ?? undefined) as Record<string, string> | undefined).toString();
  } else {
    selector = spec.selector === undefined ? '' : formatLabelSelector(spec.selector as LabelSelector);
  }
  return { specReplicas: spec.replicas ?? 1, statusReplicas: status.replicas ?? 0, selector };
}

/** PUT .../scale: set spec.replicas. */
export function updateScale(store: Store, namespace: string, ref: { kind: string; name: string }, replicas: number, actor: string): void {
  store.patch<KObject>(
    ref.kind,
    namespace,
    ref.name,
    (d) => {
      const spec = (d['spec'] ??= {}) as { replicas?: number };
      spec.replicas = replicas;
    },
    { actor },
  );
}
