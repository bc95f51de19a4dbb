/**
 * The kubelet hands the store its container statuses, their lists and its
 * conditions already deep-frozen, so that the store keeps them rather than
 * copying them. Every stored Pod must still be deeply frozen, through starts,
 * readiness changes, exits with back-off and restarts, init containers and a
 * terminal phase; and a container's status in the stored pod is the very
 * object the kubelet keeps (no second copy). A shallow freeze (the container
 * state left writable) or a status edited after it was frozen fails this.
 */
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { boundPod, getPod, kubeletsOnly, node } from './helpers.ts';

function deeplyFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return Object.isFrozen(v) && Object.values(v).every(deeplyFrozen);
}

describe('kubelet status parts handed over frozen', () => {
  it('every stored Pod version is deeply frozen; container statuses are shared from one write to the next when unchanged', () => {
    const sim = kubeletsOnly();
    const seen: KObject[] = [];
    sim.store.watch('Pod', (ev) => void seen.push(ev.object));
    sim.apply(node('n1'));
    // Restarts with back-off (exits every 5 s, restartPolicy Always), a readiness probe, an init container and a sidecar.
    sim.apply(
      boundPod('crashy', 'n1', {
        annotations: { 'ksim.dev/run-duration': '5s', 'ksim.dev/exit-code': '1' },
        container: { readinessProbe: { exec: { command: ['true'] }, initialDelaySeconds: 2 } },
        spec: { initContainers: [{ name: 'init', image: 'busybox' }, { name: 'proxy', image: 'envoy', restartPolicy: 'Always' }] },
      }),
    );
    sim.apply(boundPod('once', 'n1', { restartPolicy: 'Never', annotations: { 'ksim.dev/run-duration': '3s' } }));
    sim.runUntil(60_000);
    expect(getPod(sim, 'once')?.status?.phase).toBe('Succeeded');
    expect(getPod(sim, 'crashy')?.status?.containerStatuses?.[0]?.restartCount).toBeGreaterThan(1);
    expect(seen.length).toBeGreaterThan(10);
    for (const o of seen) expect(deeplyFrozen(o)).toBe(true);
    // The readiness change rewrites the app container's status; the init containers' (unchanged) are the same objects.
    const crashy = seen.filter((o) => o.metadata.name === 'crashy').map((o) => (o as { status?: { initContainerStatuses?: unknown[] } }).status?.initContainerStatuses);
    const withInit = crashy.filter((s) => s !== undefined);
    expect(withInit.length).toBeGreaterThan(2);
    for (let i = 1; i < withInit.length; i++) expect(withInit[i]![0]).toBe(withInit[0]![0]);
  });
});
