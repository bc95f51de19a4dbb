/**
 * The KubeletConfiguration one node's kubelet runs with: the cluster-wide one
 * (spec.config.kubelet) with its node group's fields (the scenario loader puts
 * them on the Node in the ksim.dev/kubelet-config annotation) deep-merged
 * over it, then defaulted. This is the same merge the loader uses to compute
 * the group's allocatable (src/scenario/nodes.ts mergeConfig), so the
 * kubelet's resource managers and registration see what allocatable was
 * computed from (e.g. kubeReserved {cpu} from the scenario and {memory} from
 * the group are both in effect).
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { defaultKubeletConfiguration, type KubeletConfiguration } from '../api/kubeletConfig.ts';

/** Same key the scenario loader writes (src/scenario/nodes.ts KUBELET_CONFIG_ANNOTATION). */
export const AnnotationKubeletConfig = 'ksim.dev/kubelet-config';

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects (b wins); lists and scalars replace, as a later config file does. */
export function overlayConfig(a: unknown, b: unknown): unknown {
  if (!isPlain(a) || !isPlain(b)) return b === undefined ? a : b;
  const out: Plain = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = overlayConfig(a[k], v);
  return out;
}

function groupOverrides(node: Node): Plain | undefined {
  const raw = node.metadata?.annotations?.[AnnotationKubeletConfig];
  if (!raw) return undefined;
  try {
    const v: unknown = JSON.parse(raw);
    return isPlain(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

const cache = new Map<string, KubeletConfiguration>();

/** The effective, defaulted configuration of the kubelet on `node`, from the raw cluster-wide one. */
export function nodeKubeletConfiguration(cluster: Partial<KubeletConfiguration>, node: Node): KubeletConfiguration {
  const overrides = groupOverrides(node);
  const text = overrides === undefined ? '' : (node.metadata?.annotations?.[AnnotationKubeletConfig] ?? '');
  // Nodes of one group share the annotation text: merge and default once per text.
  const key = `${JSON.stringify(cluster)}\u0000${text}`;
  let cfg = cache.get(key);
  if (!cfg) {
    if (cache.size > 256) cache.clear();
    cfg = defaultKubeletConfiguration((overrides === undefined ? cluster : overlayConfig(cluster, overrides)) as Partial<KubeletConfiguration>);
    cache.set(key, cfg);
  }
  return cfg;
}
