/**
 * The timeline's `drain` (kubectl drain --ignore-daemonsets
 * --delete-emptydir-data through the Eviction API) and `evict` actions:
 * one pod at a time under a budget, 5 s retries of refused evictions, the
 * timeout, pods that declare no controller, and what the run reports.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, loadScenarioFromText } from '../../src/scenario/load.ts';
import { runScenario } from '../../src/scenario/run.ts';
import { MemoryRunLogSink } from '../../src/sim/runLog.ts';
import { renderJson } from '../../src/scenario/output.ts';
import type { RunLogRecord } from '../../src/sim/types.ts';

type Action = Extract<RunLogRecord, { type: 'action' }>;
const drainRecords = (log: MemoryRunLogSink): Array<{ t: number; detail: Record<string, unknown> }> =>
  log.records.filter((r): r is Action => r.type === 'action' && r.action === 'drain').map((r) => ({ t: r.t, detail: r.detail as Record<string, unknown> }));

describe('drain through the Eviction API (scenarios/drain-pdb.yaml)', () => {
  it('evicts web one pod at a time, retries refusals every 5 s, and gives up on db at the timeout', () => {
    const log = new MemoryRunLogSink();
    const r = runScenario(loadScenario(['scenarios/drain-pdb.yaml']), { log });
    expect(r.passed).toBe(true);
    const recs = drainRecords(log);
    const evicted = recs.filter((x) => typeof x.detail['evicted'] === 'string');
    expect(evicted.map((x) => (x.detail['evicted'] as string).split('-')[0])).toEqual(['default/web', 'default/web', 'default/web']);
    // One at a time: each later eviction waits for a replacement to become Ready.
    const times = evicted.map((x) => x.t);
    expect(times[0]).toBe(120_000);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(5_000);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(5_000);
    const refusals = recs.filter((x) => typeof x.detail['error'] === 'string');
    expect(refusals.length).toBeGreaterThan(2);
    expect(refusals[0]!.detail['error']).toMatch(/^error when evicting pods\/"(web|db)-[a-z0-9-]+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\.$/);
    // Retries of one pod are 5 s apart.
    const dbRetries = refusals.filter((x) => (x.detail['error'] as string).includes('pods/"db-')).map((x) => x.t);
    expect(dbRetries.slice(0, 3)).toEqual([120_000, 125_000, 130_000]);
    expect(dbRetries[dbRetries.length - 1]).toBeLessThan(300_000);
    expect(r.warnings).toEqual([expect.stringMatching(/^spec\.timeline\[1\] \(drain at 2m\): drain node node-0: error when evicting pods\/"db-[a-z0-9-]+" -n "default": global timeout reached: 3m0s$/)]);
    expect(JSON.parse(renderJson(r)).warnings).toEqual(r.warnings);
  });
});

const base = (timeline: string, extraObjects = '') => `apiVersion: ksim.dev/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  until: 2m
  nodes: [{count: 2, capacity: {cpu: "4", memory: 8Gi}}]
  objects:
    - apiVersion: v1
      kind: Pod
      metadata: {name: bare, namespace: default, labels: {app: x}}
      spec: {nodeName: node-0, terminationGracePeriodSeconds: 0, containers: [{name: c, image: nginx}]}
    - apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: x, namespace: default}
      spec: {minAvailable: 1, selector: {matchLabels: {app: x}}}
${extraObjects}  timeline:
${timeline}`;

describe('drain and evict actions', () => {
  it('without force, pods that declare no controller stop the node drain (after the cordon)', () => {
    const r = runScenario(loadScenarioFromText([{ file: 't.yaml', text: base('    - {at: 30s, drain: node-0}\n') }]));
    expect(r.warnings).toEqual(['spec.timeline[0] (drain at 30s): drain node node-0: cannot delete Pods that declare no controller (use --force to override): default/bare']);
    expect(r.sim.get('Node', '', 'node-0')!['spec']).toMatchObject({ unschedulable: true });
    expect(r.sim.get('Pod', 'default', 'bare')).toBeDefined();
  });

  it('a drain still refused when the run ends is reported; evict reports the 429', () => {
    const r = runScenario(
      loadScenarioFromText([{ file: 't.yaml', text: base('    - {at: 30s, evict: {name: bare}}\n    - {at: 40s, drain: {nodes: [node-0], force: true}}\n') }]),
    );
    expect(r.warnings).toEqual([
      `spec.timeline[0] (evict at 30s): evict Pod default/bare: Cannot evict pod as it would violate the pod's disruption budget.`,
      `drain node node-0 (spec.timeline[1] at 40s): not finished when the run ended: pods/"bare" -n "default" not evicted: Cannot evict pod as it would violate the pod's disruption budget.`,
    ]);
  });

  it('evict deletes a pod its budget allows, with the DisruptionTarget condition', () => {
    const extra = `    - apiVersion: v1
      kind: Pod
      metadata: {name: bare2, namespace: default, labels: {app: x}, annotations: {ksim.dev/shutdown-duration: 20s}}
      spec: {nodeName: node-1, terminationGracePeriodSeconds: 30, containers: [{name: c, image: nginx}]}
`;
    const r = runScenario(loadScenarioFromText([{ file: 't.yaml', text: base('    - {at: 30s, evict: {namespace: default, name: bare2}}\n', extra).replace('until: 2m', 'until: 31s') }]));
    expect(r.warnings).toEqual([]);
    const p = r.sim.get('Pod', 'default', 'bare2')!;
    // Graceful: deletionTimestamp is the end of the 30 s grace period.
    expect(p.metadata.deletionTimestamp).toBe('2025-01-01T00:01:00Z');
    expect((p['status'] as { conditions: Array<Record<string, unknown>> }).conditions.find((c) => c['type'] === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
    });
  });

  it('bad evict and drain entries are clear load errors', () => {
    const bad = (t: string) => {
      try {
        loadScenarioFromText([{ file: 't.yaml', text: base(t) }]);
      } catch (e) {
        return (e as Error).message;
      }
      return 'loaded';
    };
    expect(bad('    - {at: 30s, evict: {namespace: default}}\n')).toContain('spec.timeline[0].evict.name: Required value');
    expect(bad('    - {at: 30s, drain: {nodes: node-0, timeout: soon}}\n')).toContain('spec.timeline[0].drain.timeout: Invalid value: "soon"');
    expect(bad('    - {at: 30s, drain: {nodes: node-0, force: yes please}}\n')).toContain('spec.timeline[0].drain.force: Invalid value');
  });
});
