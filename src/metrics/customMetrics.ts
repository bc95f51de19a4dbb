/**
 * A custom and external metrics adapter (custom.metrics.k8s.io/v1beta2,
 * external.metrics.k8s.io/v1beta1, the role prometheus-adapter plays) that
 * serves the scenario's named load series (`spec.load[].series`):
 *
 *  - External metric NAME: one series NAME, its value now;
 *  - Object metric NAME on any described object: series NAME (the object is
 *    not used to pick the series: the run log notes it once);
 *  - Pods metric NAME: series NAME is the total across the selected pods and
 *    is shared evenly among those Running and Ready (as requests behind a
 *    Service); pods that are not ready have no sample, as a scraper finds no
 *    endpoint for them.
 *
 * Values are in the series' unit and served as quantities (milli-values).
 * An unknown name answers as an adapter does: no metrics returned. A series
 * has no labels, so a metric `selector` cannot narrow it: a non-empty one is
 * not modelled, and the adapter says so once per metric through `note` (the
 * run log).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Selector } from '../api/labels.ts';
import type { Time } from '../sim/types.ts';
import type { CustomMetricsApi, FetchedPodMetrics, ObjectReference } from '../controllers/podautoscaler/metricsClient.ts';

/** What the adapter reads: a named series at virtual time t (the load evaluator's `series`). */
export interface SeriesSource {
  series(name: string, now: Time): number | undefined;
}

function isReady(p: Pod): boolean {
  return p.status?.phase === 'Running' && (p.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Milli-units of a series value, as a quantity's MilliValue (rounded up). */
function toMilli(v: number): number {
  return Math.ceil(v * 1000 - 1e-9);
}

/**
 * The adapter over a series source. `epochMs` turns the HPA's Unix-ms "now"
 * back into virtual time.
 */
export function seriesMetricsApi(source: SeriesSource, epochMs: number, note: (message: string, detail: unknown) => void = () => {}): CustomMetricsApi {
  const noted = new Set<string>();
  const read = (name: string, unixNow: number, api: 'custom' | 'external', selector: Selector): number => {
    if (!selector.empty && !noted.has(`${api}/${name}`)) {
      noted.add(`${api}/${name}`);
      note(`custom metrics adapter: the selector of ${api} metric ${name} is not modelled (a load series has no labels); it is ignored`, { metric: name, selector: selector.toString() });
    }
    const v = source.series(name, unixNow - epochMs);
    if (v === undefined || !Number.isFinite(v)) throw new Error(`no metrics returned from ${api} metrics API`);
    return v;
  };
  return {
    getRawMetric(metricName: string, _namespace: string, pods: readonly Pod[], selector: Selector, now: number): FetchedPodMetrics {
      const total = read(metricName, now, 'custom', selector);
      const ready = pods.filter(isReady);
      if (ready.length === 0) throw new Error('no metrics returned from custom metrics API');
      const each = toMilli(total / ready.length);
      const metrics = new Map<string, { value: number; timestamp: number; window: number }>();
      for (const p of ready) metrics.set(p.metadata?.name ?? '', { value: each, timestamp: now, window: 0 });
      return { metrics, timestamp: now };
    },
    getObjectMetric(metricName: string, _namespace: string, ref: ObjectReference, selector: Selector, now: number) {
      if (!noted.has(`object/${metricName}`)) {
        noted.add(`object/${metricName}`);
        note(`custom metrics adapter: Object metric ${metricName} is series ${metricName}, whatever the described object (${ref.kind}/${ref.name})`, { metric: metricName, describedObject: ref });
      }
      return { value: toMilli(read(metricName, now, 'custom', selector)), timestamp: now };
    },
    getExternalMetric(metricName: string, _namespace: string, selector: Selector, now: number) {
      return { values: [toMilli(read(metricName, now, 'external', selector))], timestamp: now };
    },
  };
}
