/**
 * The HPA's metrics client (upstream pkg/controller/podautoscaler/metrics,
 * v1.35), reading the metrics APIs as the API server would serve them:
 *  - metrics.k8s.io/v1beta1 PodMetrics objects from the store (written by the
 *    metrics-server component every 15 s), one per pod, `containers[].usage`;
 *  - custom.metrics.k8s.io and external.metrics.k8s.io through a read-only
 *    CustomMetricsApi (an aggregated API in a real cluster; in ksim the
 *    adapter that evaluates the scenario's named load series), or none, in
 *    which case every such metric fails with upstream's "no metrics returned".
 *
 * Errors are upstream's texts, thrown as MetricCalculationError.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { Quantity } from '../../api/quantity.ts';
import { parseDuration } from '../../api/duration.ts';
import type { Selector } from '../../api/labels.ts';
import type { KObject, StoreReader } from '../../sim/types.ts';
import { MetricCalculationError, time, type PodMetricsInfo } from './replicaCalculator.ts';

/** metrics.k8s.io/v1beta1 PodMetrics, as the metrics-server component stores it. */
export interface PodMetricsObject extends KObject {
  timestamp?: string;
  window?: string;
  containers?: Array<{ name: string; usage?: Record<string, string | number> }>;
}

export interface FetchedPodMetrics {
  metrics: PodMetricsInfo;
  /** Unix ms of the first item (upstream: metrics.Items[0].Timestamp). */
  timestamp: number;
}

/** A described object of an Object metric. */
export interface ObjectReference {
  apiVersion?: string;
  kind: string;
  name: string;
}

/**
 * The custom and external metrics APIs. Values are milli-units; a method
 * throws an Error whose message upstream's client would return.
 */
export interface CustomMetricsApi {
  /** custom.metrics.k8s.io, pods: one value per pod of `pods` that has the metric. */
  getRawMetric(metricName: string, namespace: string, pods: readonly Pod[], metricSelector: Selector, now: number): FetchedPodMetrics;
  /** custom.metrics.k8s.io, one object. */
  getObjectMetric(metricName: string, namespace: string, ref: ObjectReference, metricSelector: Selector, now: number): { value: number; timestamp: number };
  /** external.metrics.k8s.io: every matching series' value (summed by the calculator). */
  getExternalMetric(metricName: string, namespace: string, metricSelector: Selector, now: number): { values: number[]; timestamp: number };
}

/** No custom metrics adapter: the APIs answer with no items, as an empty adapter does. */
export const NO_CUSTOM_METRICS: CustomMetricsApi = {
  getRawMetric() {
    throw new Error('no metrics returned from custom metrics API');
  },
  getObjectMetric() {
    throw new Error('unable to fetch metrics from custom metrics API: the server could not find the requested resource');
  },
  getExternalMetric() {
    throw new Error('no metrics returned from external metrics API');
  },
};

function milli(v: unknown): number | undefined {
  return Quantity.tryParse(v)?.milliValue();
}

function timeOf(s: string | undefined): number {
  return time(s) ?? 0;
}

const WINDOWS = new Map<string, number>();

function windowOf(s: string | undefined): number {
  if (s === undefined) return 0;
  let w = WINDOWS.get(s);
  if (w === undefined) {
    try {
      w = parseDuration(s);
    } catch {
      w = 0;
    }
    if (WINDOWS.size >= 256) WINDOWS.clear();
    WINDOWS.set(s, w);
  }
  return w;
}

/**
 * GetResourceMetric: the PodMetrics of the selected pods (a PodMetrics object
 * shares its pod's name), summed over containers (a pod with a container
 * missing the resource, or no containers, has no metric), or the named
 * container's value.
 */
export function getResourceMetric(store: StoreReader, resource: string, namespace: string, pods: readonly Pod[], container: string): FetchedPodMetrics {
  const items: PodMetricsObject[] = [];
  for (const p of pods) {
    const m = store.get<PodMetricsObject>('PodMetrics', namespace, p.metadata?.name ?? '');
    if (m) items.push(m);
  }
  if (items.length === 0) throw new MetricCalculationError(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  const res: PodMetricsInfo = new Map();
  for (const m of items) {
    const name = m.metadata.name ?? '';
    const base = { timestamp: timeOf(m.timestamp), window: windowOf(m.window) };
    const containers = m.containers ?? [];
    if (container !== '') {
      const c = containers.find((x) => x.name === container);
      if (!c) {
        throw new MetricCalculationError(`unable to get metrics for resource ${resource}: failed to get container metrics: container ${container} not present in metrics for pod ${namespace}/${name}`);
      }
      const v = milli(c.usage?.[resource]);
      if (v !== undefined) res.set(name, { ...base, value: v });
      continue;
    }
    let sum = 0;
    let missing = containers.length === 0;
    for (const c of containers) {
      const v = milli(c.usage?.[resource]);
      if (v === undefined) {
        missing = true;
        break;
      }
      sum += v;
    }
    if (!missing) res.set(name, { ...base, value: sum });
  }
  return { metrics: res, timestamp: timeOf(items[0]!.timestamp) };
}
