import { describe, expect, it } from 'vitest';
import { EndpointRegistry } from '../../src/sim/endpoints.ts';

describe('EndpointRegistry.list', () => {
  it('lists the paths with a prefix and suffix in sorted order', () => {
    const r = new EndpointRegistry();
    for (const p of ['kubelet/b/metrics/resource', 'kubelet/a/stats/summary', 'other/x/metrics/resource', 'kubelet/a/metrics/resource']) r.register(p, () => p);
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/a/metrics/resource', 'kubelet/b/metrics/resource']);
    expect(r.list('kubelet/')).toEqual(['kubelet/a/metrics/resource', 'kubelet/a/stats/summary', 'kubelet/b/metrics/resource']);
    expect(r.list()).toEqual(['kubelet/a/metrics/resource', 'kubelet/a/stats/summary', 'kubelet/b/metrics/resource', 'other/x/metrics/resource']);
  });

  it('answers from its cache until a path is registered or unregistered', () => {
    const r = new EndpointRegistry();
    r.register('kubelet/b/metrics/resource', () => 1);
    const first = r.list('kubelet/', '/metrics/resource');
    expect(r.list('kubelet/', '/metrics/resource')).toBe(first);
    const off = r.register('kubelet/a/metrics/resource', () => 2);
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/a/metrics/resource', 'kubelet/b/metrics/resource']);
    off();
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/b/metrics/resource']);
    // An unregistration by a stale handle (the path was registered again since) changes nothing.
    const stale = r.register('kubelet/c/metrics/resource', () => 3);
    r.register('kubelet/c/metrics/resource', () => 4);
    stale();
    expect(r.list('kubelet/', '/metrics/resource')).toEqual(['kubelet/b/metrics/resource', 'kubelet/c/metrics/resource']);
    expect(r.get('kubelet/c/metrics/resource')).toBe(4);
  });
});
