/** The custom/external metrics adapter over named load series (src/metrics/customMetrics.ts). */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import { seriesMetricsApi } from '../../../src/metrics/customMetrics.ts';
import { everything, parseSelector } from '../../../src/api/labels.ts';

const EPOCH = 1_735_689_600_000;
const source = { series: (name: string, t: number) => (name === 'rps' ? 90 + t / 1000 : undefined) };
const pod = (name: string, ready: boolean): Pod => ({ metadata: { name }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }) as Pod;

describe('seriesMetricsApi', () => {
  it('serves External and Object metrics as the series value now, in milli-units', () => {
    const api = seriesMetricsApi(source, EPOCH);
    expect(api.getExternalMetric('rps', 'default', everything(), EPOCH + 10_000).values).toEqual([100_000]);
    expect(api.getObjectMetric('rps', 'default', { kind: 'Service', name: 'web' }, everything(), EPOCH).value).toBe(90_000);
  });

  it('shares a Pods metric among the Ready pods; pods that are not ready have no sample', () => {
    const api = seriesMetricsApi(source, EPOCH);
    const r = api.getRawMetric('rps', 'default', [pod('a', true), pod('b', true), pod('c', false)], everything(), EPOCH + 30_000);
    expect([...r.metrics.entries()].map(([k, v]) => [k, v.value])).toEqual([
      ['a', 60_000],
      ['b', 60_000],
    ]);
  });

  it('an unknown series answers as an empty adapter does', () => {
    const api = seriesMetricsApi(source, EPOCH);
    expect(() => api.getExternalMetric('nope', 'default', everything(), EPOCH)).toThrow('no metrics returned from external metrics API');
    expect(() => api.getRawMetric('nope', 'default', [pod('a', true)], everything(), EPOCH)).toThrow('no metrics returned from custom metrics API');
  });

  it('a metric selector is not modelled: the adapter notes it once per metric', () => {
    const notes: string[] = [];
    const api = seriesMetricsApi(source, EPOCH, (m) => notes.push(m));
    api.getExternalMetric('rps', 'default', parseSelector('queue=jobs'), EPOCH);
    api.getExternalMetric('rps', 'default', parseSelector('queue=jobs'), EPOCH);
    expect(notes).toEqual(['custom metrics adapter: the selector of external metric rps is not modelled (a load series has no labels); it is ignored']);
  });
});
