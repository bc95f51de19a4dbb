/**
 * The DaemonSet registry strategy's template generation, as kube-apiserver's
 * pkg/registry/apps/daemonset/strategy.go and the apps/v1 conversion
 * (newest upstream): a new DaemonSet has template generation 1; an update
 * that changes spec.template increments it; a client cannot set it. In
 * apps/v1 it is the annotation `deprecated.daemonset.template.generation`,
 * which the DaemonSet controller copies into its pods' deprecated
 * `pod-template-generation` label.
 */
import type { AdmissionPlugin, KObject } from '../../sim/types.ts';
import { sortedJSON } from '../appsutil/controllerHistory.ts';

export const DeprecatedTemplateGeneration = 'deprecated.daemonset.template.generation';

/** The template generation an object carries, or undefined when it has none (or an unparsable one). */
export function templateGeneration(o: { metadata?: { annotations?: Readonly<Record<string, string>> } }): number | undefined {
  const v = o.metadata?.annotations?.[DeprecatedTemplateGeneration];
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export const daemonSetStrategyAdmission: AdmissionPlugin = {
  name: 'DaemonSetStrategy',
  kinds: ['DaemonSet'],
  mutate(req) {
    if (req.operation === 'DELETE') return;
    const ds = req.object;
    let gen = 1;
    if (req.operation === 'UPDATE' && req.oldObject) {
      const old = req.oldObject as KObject;
      gen = templateGeneration(old) ?? 1;
      const oldTemplate = (old['spec'] as { template?: unknown } | undefined)?.template;
      const newTemplate = (ds['spec'] as { template?: unknown } | undefined)?.template;
      if (sortedJSON(oldTemplate ?? null) !== sortedJSON(newTemplate ?? null)) gen++;
    }
    ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [DeprecatedTemplateGeneration]: String(gen) };
  },
};
