/**
 * The scale subresource (autoscaling/v1 Scale) of Deployment, ReplicaSet,
 * ReplicationController and StatefulSet, as their registries' ScaleREST
 * (pkg/registry/apps/{deployment,replicaset,statefulset}/storage and
 * pkg/registry/core/replicationcontroller/storage):
 *  - get: spec.replicas from the object's spec, status.replicas from its
 *    status, status.selector the label selector as a string
 *    (LabelSelectorAsSelector(...).String(); a ReplicationController's label
 *    map through SelectorFromSet); metadata name, namespace, uid,
 *    resourceVersion and creationTimestamp of the object.
 *  - update: ValidateScale (replicas >= 0, else `Scale.autoscaling "web" is
 *    invalid: spec.replicas: Invalid value: -1: must be greater than or equal
 *    to 0`), then spec.replicas written to the object through the main
 *    resource (its generation moves, admission runs); an optional
 *    resourceVersion is an optimistic-concurrency precondition.
 * Other kinds have no scale subresource: NotFound, as the API server answers
 * for a path it does not serve.
 *
 * Used by the scenario timeline's `scale` action and by the
 * HorizontalPodAutoscaler (getScale / updateScale).
 */
import type { KObject, Store, StoreReader, WriteOptions } from './types.ts';
import { ApiError } from './errors.ts';
import { kindInfo } from '../api/discovery.ts';
import { labelSelectorAsSelector, selectorFromSet } from '../api/labels.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';

export interface Scale {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: { name: string; namespace: string; uid?: string; resourceVersion?: string; creationTimestamp?: string };
  spec: { replicas: number };
  status: { replicas: number; selector?: string };
}

type Scalable = KObject & { spec?: { replicas?: number; selector?: LabelSelector | Record<string, string> }; status?: { replicas?: number } };

function checkScalable(kind: string): void {
  if (!kindInfo(kind)?.scalable) {
    throw new ApiError('NotFound', 404, `the server could not find the requested resource (${kind} has no scale subresource)`);
  }
}

/** The selector string of the scale status; undefined when the object has none or it is invalid. */
function selectorString(o: Scalable): string | undefined {
  const sel = o.spec?.selector;
  if (sel === undefined || sel === null) return undefined;
  try {
    if (o.kind === 'ReplicationController') return selectorFromSet(sel as Record<string, string>).toString();
    return labelSelectorAsSelector(sel as LabelSelector).toString();
  } catch {
    return undefined;
  }
}

function toScale(o: Scalable): Scale {
  const meta: Scale['metadata'] = { name: o.metadata.name ?? '', namespace: o.metadata.namespace ?? '' };
  if (o.metadata.uid) meta.uid = o.metadata.uid;
  if (o.metadata.resourceVersion) meta.resourceVersion = o.metadata.resourceVersion;
  if (o.metadata.creationTimestamp) meta.creationTimestamp = o.metadata.creationTimestamp;
  const status: Scale['status'] = { replicas: o.status?.replicas ?? 0 };
  const selector = selectorString(o);
  if (selector !== undefined) status.selector = selector;
  return { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: meta, spec: { replicas: o.spec?.replicas ?? 0 }, status };
}

/** GET .../<resource>/<name>/scale */
export function getScale(store: StoreReader, kind: string, namespace: string, name: string): Scale {
  checkScalable(kind);
  const o = store.get<Scalable>(kind, namespace, name);
  if (!o) throw ApiError.notFound(kind, name);
  return toScale(o);
}

/** PUT .../<resource>/<name>/scale with spec.replicas. */
export function updateScale(
  store: Store,
  kind: string,
  namespace: string,
  name: string,
  replicas: number,
  opts: WriteOptions & { resourceVersion?: string } = {},
): Scale {
  checkScalable(kind);
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw ApiError.invalid('Scale', name, [{ path: 'spec.replicas', type: 'Invalid', value: replicas, detail: 'must be greater than or equal to 0' }], 'autoscaling/v1');
  }
  const updated = store.patch<Scalable>(
    kind,
    namespace,
    name,
    (d) => {
      const spec = (d.spec ??= {});
      spec.replicas = replicas;
    },
    opts,
  );
  return toScale(updated);
}
