/**
 * The ResourceQuota admission plugin, following
 * k8s.io/apiserver/pkg/admission/plugin/resourcequota (controller.go
 * CheckRequest, newest release), and the resourcequotas registry strategy.
 *
 * For a request an evaluator handles (pods on create; services and claims on
 * create and update; other kinds' object counts on create), every
 * ResourceQuota of the namespace is checked in name order:
 *   - a quota matches when its status.hard names a resource the evaluator
 *     tracks and every scope (spec.scopes, spec.scopeSelector) matches;
 *   - a matching quota's constraints must hold:
 *     `failed quota: <q>: must specify limits.cpu for: app; ...`;
 *   - it must have usage for every tracked resource:
 *     `status unknown for quota: <q>, resources: pods`;
 *   - used + the request must stay within hard for every resource requested:
 *     `exceeded quota: <q>, requested: pods=1, used: pods=2, limited: pods=2`
 *     (names sorted, as prettyPrint).
 * Errors are Forbidden on the object (`pods "web-x" is forbidden: ...`).
 *
 * Upstream charges the quota as part of admission: it writes the new
 * status.used to the ResourceQuota before the object is stored, so that the
 * next request sees the usage of this one even before the quota controller
 * recounts. ksim writes the same status.used right after the admitted object
 * is committed (a request that fails after admission charges nothing, which
 * upstream's controller would correct at its next sync anyway). Dry-run
 * requests are not charged, as upstream.
 *
 * Note on new quotas: the registry clears status on create, and matching
 * reads status.hard, so a quota restricts nothing until the resource quota
 * controller first syncs it (upstream behaves the same).
 */
import { resetStatusOnMainResourceWrite } from '../statusStrategy.ts';
import type { ResourceQuota } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin, AdmissionRequest, KObject, Store, Stored, WatchEvent } from '../../sim/types.ts';
import { ApiError } from '../../sim/errors.ts';
import type { ResourceMap } from '../../api/resources.ts';
import { evaluatorFor, quotaMatches } from './evaluators.ts';
import { validateQuotaResourceNames, validateQuotaScopes } from './validation.ts';
import { addLists, equalLists, lessThanOrEqual, listToMap, mapToList, mask, negativeNames, prettyPrint, prettyPrintResourceNames, removeZeros, subtractNonNegative } from './resources.ts';

type QuotaObj = ResourceQuota & KObject;

export const ResourceQuotaPluginName = 'ResourceQuota';

/** A quota as admission sees it: name, and status.used as it will be after the request. */
export interface QuotaCharge {
  namespace: string;
  name: string;
  used: ResourceMap;
}

/**
 * CheckRequest over the namespace's quotas. Returns the quotas whose usage
 * this request changes (with their new used), or throws Forbidden.
 */
export function checkRequest(req: Pick<AdmissionRequest, 'operation' | 'kind' | 'object' | 'oldObject' | 'subresource'>, quotas: readonly Stored<QuotaObj>[]): QuotaCharge[] {
  const ev = evaluatorFor(req.kind, req.object.apiVersion);
  if (!ev.handles(req.operation, req.subresource)) return [];
  if (quotas.length === 0) return [];
  const obj = req.object;
  const name = obj.metadata.name || obj.metadata.generateName || 'Unknown';
  const forbidden = (msg: string): ApiError => ApiError.forbidden(req.kind, name, msg, obj.apiVersion);

  const interesting: Stored<QuotaObj>[] = [];
  for (const q of quotas) {
    if (!quotaMatches(ev, q, obj)) continue;
    const hard = Object.keys(q.status?.hard ?? {});
    const restricted = ev.matchingResources(hard);
    const c = ev.constraints(restricted, obj);
    if (c !== undefined) throw forbidden(`failed quota: ${q.metadata.name}: ${c}`);
    // hasUsageStats: every tracked resource in status.hard has a used value.
    const used = q.status?.used ?? {};
    if (restricted.some((r) => q.status?.hard?.[r] !== undefined && used[r] === undefined)) {
      throw forbidden(`status unknown for quota: ${q.metadata.name}, resources: ${prettyPrintResourceNames(restricted)}`);
    }
    interesting.push(q);
  }
  if (interesting.length === 0) return [];

  const input = ev.usage(obj);
  const negative = negativeNames(input);
  if (negative.length > 0) throw forbidden(`quota usage is negative for resource(s): ${prettyPrintResourceNames(negative)}`);

  const delta = new Map<Stored<QuotaObj>, ResourceMap>();
  for (const q of interesting) delta.set(q, input);
  const old = req.oldObject;
  if (req.operation === 'UPDATE') {
    if (!old) throw forbidden('unable to get previous usage since prior version of object was not found');
    if (old.metadata.resourceVersion) {
      // Charge only the growth, and only to quotas that already counted the old object.
      const d = subtractNonNegative(input, ev.usage(old));
      for (const q of interesting) if (quotaMatches(ev, q, old)) delta.set(q, d);
    }
  }

  const out: QuotaCharge[] = [];
  for (const q of interesting) {
    const d = removeZeros(delta.get(q)!);
    if (d.size === 0) continue;
    const hard = listToMap(q.status?.hard);
    const used = listToMap(q.status?.used);
    const requested = mask(d, hard.keys());
    const newUsage = addLists(used, requested);
    const { allowed, exceeded } = lessThanOrEqual(mask(newUsage, requested.keys()), hard);
    if (!allowed) {
      throw forbidden(
        `exceeded quota: ${q.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(used, exceeded))}, limited: ${prettyPrint(mask(hard, exceeded))}`,
      );
    }
    if (!equalLists(newUsage, used)) out.push({ namespace: q.metadata.namespace ?? '', name: q.metadata.name ?? '', used: newUsage });
  }
  return out;
}

/**
 * The plugin. With a store it charges admitted requests to their quotas
 * (status.used written when the object commits); without one it only checks.
 */
export function resourceQuotaAdmission(store?: Store): AdmissionPlugin {
  const pending = new WeakMap<object, QuotaCharge[]>();
  if (store) {
    store.watch('*', (ev: WatchEvent) => {
      if (ev.type === 'DELETED') return;
      const charges = pending.get(ev.object);
      if (!charges) return;
      pending.delete(ev.object);
      for (const c of charges) {
        store.patch<QuotaObj>(
          'ResourceQuota',
          c.namespace,
          c.name,
          (d) => {
            const status = ((d as { status?: Record<string, unknown> }).status ??= {});
            status['used'] = mapToList(c.used);
          },
          { subresource: 'status', actor: 'kube-apiserver' },
        );
      }
    });
  }
  return {
    name: ResourceQuotaPluginName,
    validate(req) {
      if (req.operation === 'DELETE') return;
      const ns = req.object.metadata.namespace;
      if (!ns) return;
      const quotas = req.store.list<QuotaObj>('ResourceQuota', ns);
      if (quotas.length === 0) return;
      const charges = checkRequest(req, quotas);
      if (charges.length > 0 && store) pending.set(req.object, charges);
    },
  };
}

/**
 * The resourcequotas registry strategy: status is cleared on create
 * (PrepareForCreate) and kept as stored on updates of the main resource
 * (PrepareForUpdate); only the status subresource and the controller set it.
 * Validate: spec.hard names without a domain must be standard quota resources; scopes as upstream.
 */
export const resourceQuotaStrategy: AdmissionPlugin = {
  name: 'ResourceQuotaStrategy',
  kinds: ['ResourceQuota'],
  validate(req) {
    if (req.operation === 'DELETE') return;
    const errs = [...validateQuotaResourceNames(req.object as QuotaObj), ...validateQuotaScopes(req.object as QuotaObj)];
    if (errs.length > 0) throw ApiError.invalid('ResourceQuota', req.object.metadata.name ?? '', errs, req.object.apiVersion);
  },
  mutate: resetStatusOnMainResourceWrite,
};
