// The labs in scenarios/labs run as their handouts say: each scenario meets its expectations and
// its step script prints the transcript a student is told to read.
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.ts';

describe('labs', () => {
  it('lab 1: the pod is Pending and explain says what would have to change', () => {
    expect(runCli(['run', 'scenarios/labs/01-pending.yaml']).code).toBe(0);
    const r = runCli(['step', 'scenarios/labs/01-pending.yaml', '--script', 'scenarios/labs/01-pending.steps']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu.');
    expect(r.stdout).toMatch(/big\s+0\/1\s+Pending/);
    expect(r.stdout).toContain('add toleration {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}');
  });

  it('lab 2: the rolling update alternates scale-up and scale-down by one', () => {
    expect(runCli(['run', 'scenarios/labs/02-rolling-update.yaml']).code).toBe(0);
    const r = runCli(['step', 'scenarios/labs/02-rolling-update.yaml', '--script', 'scenarios/labs/02-rolling-update.steps']);
    expect(r.code).toBe(0);
    const scaling = [...r.stdout.matchAll(/Scaled (up|down) replica set \S+ from (\d) to (\d)/g)].map((m) => `${m[1]} ${m[2]}->${m[3]}`);
    // The first two steps shown live, then the describe table's history: up 0->1, down 4->3, ...
    expect(scaling.slice(0, 2)).toEqual(['up 0->1', 'down 4->3']);
    expect(r.stdout).toMatch(/deployment\.apps\/web\s+4\/4\s+4\s+4/);
  });
});
