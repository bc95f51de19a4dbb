/**
 * framework.Resource arithmetic, following kube-scheduler v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * pkg/scheduler/framework/types.go (NewResource, Resource.Add) and
 * pkg/apis/core/v1/helper (IsScalarResourceName).
 *
 * CPU is kept in millicores (Quantity.MilliValue), every other resource in
 * base units (Quantity.Value), both rounded up as upstream does.
 */
import { Quantity } from '../../api/quantity.ts';
import type { Resource } from './types.ts';
import { emptyResource } from './types.ts';

/**
 * Upstream IsScalarResourceName: extended resources (a domain-prefixed name
 * outside kubernetes.io), hugepages-*, kubernetes.io/-prefixed native
 * resources and attachable-volumes-*. Unprefixed unknown names are ignored,
 * as upstream's Resource.Add ignores them.
 */
export function isScalarResourceName(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

/** Add one named quantity to `r` (upstream Resource.Add for one entry), with sign +1/-1. */
export function addQuantity(r: Resource, name: string, q: Quantity, sign = 1): void {
  switch (name) {
    case 'cpu':
      r.milliCPU += sign * q.milliValue();
      return;
    case 'memory':
      r.memory += sign * q.value();
      return;
    case 'ephemeral-storage':
      r.ephemeralStorage += sign * q.value();
      return;
    case 'pods':
      r.allowedPodNumber += sign * q.value();
      return;
    default:
      if (isScalarResourceName(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0) + sign * q.value());
  }
}

/** A Resource from parsed quantities (e.g. the result of podRequests). */
export function resourceFromQuantities(list: Iterable<[string, Quantity]>): Resource {
  const r = emptyResource();
  for (const [name, q] of list) addQuantity(r, name, q);
  return r;
}

/** upstream NewResource(v1.ResourceList): unparseable values are skipped (validation rejects them earlier). */
export function resourceFromList(list: Readonly<Record<string, unknown>> | undefined): Resource {
  const r = emptyResource();
  if (!list) return r;
  for (const name of Object.keys(list)) {
    const q = Quantity.tryParse(list[name]);
    if (q) addQuantity(r, name, q);
  }
  return r;
}

export function cloneResource(r: Resource): Resource {
  return {
    milliCPU: r.milliCPU,
    memory: r.memory,
    ephemeralStorage: r.ephemeralStorage,
    allowedPodNumber: r.allowedPodNumber,
    scalar: new Map(r.scalar),
  };
}

/** dst += sign * src (pods count excluded: a pod never requests `pods`). */
export function addResource(dst: Resource, src: Resource, sign: number): void {
  dst.milliCPU += sign * src.milliCPU;
  dst.memory += sign * src.memory;
  dst.ephemeralStorage += sign * src.ephemeralStorage;
  if (src.scalar.size > 0) {
    for (const [k, v] of src.scalar) dst.scalar.set(k, (dst.scalar.get(k) ?? 0) + sign * v);
  }
}
