/**
 * The Job controller's pure rules, from upstream's own tables where they
 * exist: indexed_job_utils_test.go (parsing and printing completed indexes,
 * first pending indexes), backoff_utils_test.go (remaining back-off),
 * pod_failure_policy_test.go (rule matching and messages),
 * success_policy_test.go (succeededIndexes / succeededCount rules).
 */
import { describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1';
import type { PodFailurePolicy } from 'kubernetes-types/batch/v1';
import { firstPendingIndexes, formatIndexes, parseIndexes, withOrderedIndexes, hasIndex, totalIndexes, type Interval } from '../../src/workloads/job/indexes.ts';
import { DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff, nextBackoffRecord, remainingBackoff, EmptyBackoffRecord } from '../../src/workloads/job/backoff.ts';
import { matchPodFailurePolicy } from '../../src/workloads/job/podFailurePolicy.ts';
import { matchSuccessPolicy } from '../../src/workloads/job/successPolicy.ts';
import { podGenerateNameWithIndex } from '../../src/workloads/job/jobController.ts';
import { parseRFC3339 } from '../../src/sim/time.ts';

const iv = (...pairs: Array<[number, number]>): Interval[] => pairs.map(([first, last]) => ({ first, last }));

describe('completed indexes (indexed_job_utils_test.go)', () => {
  const parseTable: Array<[name: string, text: string, completions: number, want: Interval[]]> = [
    ['empty is valid', '', 6, []],
    ['one interval', '0-2', 6, iv([0, 2])],
    ['one index', '1', 6, iv([1, 1])],
    ['one interval and one index', '1,3-5', 6, iv([1, 1], [3, 5])],
    ['two intervals', '0-2,4-7', 8, iv([0, 2], [4, 7])],
    ['indexes beyond completions ignored', '1,3,5', 4, iv([1, 1], [3, 3])],
    ['interval partially ignored', '0-4', 4, iv([0, 3])],
    ['interval fully ignored', '5-7', 4, []],
    ['consecutive indexes merged into interval', '0,1', 4, iv([0, 1])],
    ['consecutive intervals merged into interval', '0-1,2-3', 4, iv([0, 3])],
    ['consecutive index and interval merged', '0,1-2', 4, iv([0, 2])],
    ['consecutive interval and index merged', '0-1,2', 4, iv([0, 2])],
    ['malformed parts skipped', '1,a,3', 5, iv([1, 1], [3, 3])],
  ];
  it.each(parseTable)('parse: %s', (_n, text, completions, want) => {
    expect(parseIndexes(text, completions)).toEqual(want);
  });

  const formatTable: Array<[Interval[], string]> = [
    [[], ''],
    [iv([0, 0]), '0'],
    [iv([0, 1]), '0,1'],
    [iv([1, 1], [3, 5]), '1,3-5'],
    [iv([0, 2], [4, 4], [6, 7], [9, 12]), '0-2,4,6,7,9-12'],
  ];
  it.each(formatTable)('format %j -> %s', (oi, want) => {
    expect(formatIndexes(oi)).toBe(want);
  });

  it('merges new indexes and answers membership (calculateSucceededIndexes)', () => {
    const prev = parseIndexes('1,3-5', 10);
    const merged = withOrderedIndexes(prev, [0, 2, 7]);
    expect(formatIndexes(merged)).toBe('0-5,7');
    expect(totalIndexes(merged)).toBe(7);
    expect([0, 5, 6, 7, 8].map((i) => hasIndex(merged, i))).toEqual([true, true, false, true, false]);
  });

  const pendingTable: Array<[name: string, nonPending: Interval[], count: number, completions: number, want: number[]]> = [
    ['cnt greater than completions', [], 5, 3, [0, 1, 2]],
    ['cnt less than completions', [], 2, 5, [0, 1]],
    ['first pods active', iv([0, 1]), 3, 10, [2, 3, 4]],
    ['last pods active or succeeded', iv([4, 6]), 6, 6, [0, 1, 2, 3]],
    ['mixed', iv([2, 3], [5, 8]), 5, 20, [0, 1, 4, 9, 10]],
  ];
  it.each(pendingTable)('firstPendingIndexes: %s', (_n, nonPending, count, completions, want) => {
    expect(firstPendingIndexes(nonPending, count, completions)).toEqual(want);
  });

  it('generateName <job>-<index>- cut to 58 characters', () => {
    expect(podGenerateNameWithIndex('pi', 3)).toBe('pi-3-');
    const long = 'x'.repeat(60);
    expect(podGenerateNameWithIndex(long, 12)).toBe(`${'x'.repeat(54)}-12-`);
  });
});

describe('pod failure back-off (backoff_utils_test.go)', () => {
  const at = parseRFC3339('2009-11-10T23:00:00Z');
  const table: Array<[name: string, failures: number, last: number | undefined, now: number, base: number, max: number, want: number]> = [
    ['no failures', 0, undefined, at, 5000, 700_000, 0],
    ['one failure; current time and failure time are same', 1, at, at, 5000, 700_000, 5000],
    ['one failure; current time == 1 second + failure time', 1, at, at + 1000, 5000, 700_000, 4000],
    ['one failure; current time == expected backoff time', 1, at, at + 5000, 5000, 700_000, 0],
    ['one failure; current time == expected backoff time + 1 Second', 1, at, at + 6000, 5000, 700_000, 0],
    ['multiple failures; current time and failure time are same', 3, at, at, 5000, 700_000, 20_000],
    ['multiple failures; current time == 1 second + failure time', 3, at, at + 1000, 5000, 700_000, 19_000],
    ['multiple failures; current time == expected backoff time', 3, at, at + 20_000, 5000, 700_000, 0],
    ['multiple failures; current time == expected backoff time + 1 Second', 3, at, at + 21_000, 5000, 700_000, 0],
    ['multiple failures; max backoff reached', 20, at, at, 5000, 700_000, 700_000],
  ];
  it.each(table)('%s', (_n, failures, last, now, base, max, want) => {
    expect(remainingBackoff(now, failures, last, base, max)).toBe(want);
  });

  it('defaults: 10 s doubling per failure, capped at 6 min', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => remainingBackoff(0, n, 0));
    expect(delays).toEqual([10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]);
    expect(DefaultJobPodFailureBackOff).toBe(10_000);
    expect(MaxJobPodFailureBackOff).toBe(360_000);
  });

  const finishedAt = (name: string, phase: string, sec: number): Pod => ({
    metadata: { name, creationTimestamp: '2025-01-01T00:00:00Z' },
    status: { phase, containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: `2025-01-01T00:00:${String(sec).padStart(2, '0')}Z` } } }] },
  });
  const parse = (s: string): number => parseRFC3339(s) - parseRFC3339('2025-01-01T00:00:00Z');
  it('counts failures since the last success (newBackoffRecord)', () => {
    const r1 = nextBackoffRecord(EmptyBackoffRecord, [], [finishedAt('a', 'Failed', 5), finishedAt('b', 'Failed', 3)], parse);
    expect(r1).toEqual({ failuresAfterLastSuccess: 2, lastFailureTime: 5000 });
    const r2 = nextBackoffRecord(r1, [finishedAt('c', 'Succeeded', 10)], [], parse);
    expect(r2).toEqual({ failuresAfterLastSuccess: 0, lastFailureTime: undefined });
    const r3 = nextBackoffRecord(r1, [finishedAt('c', 'Succeeded', 10)], [finishedAt('d', 'Failed', 8), finishedAt('e', 'Failed', 12), finishedAt('f', 'Failed', 15)], parse);
    expect(r3).toEqual({ failuresAfterLastSuccess: 2, lastFailureTime: 15_000 });
  });
});

describe('pod failure policy (pod_failure_policy_test.go)', () => {
  const failed = (opts: { exit?: Record<string, number>; init?: Record<string, number>; conditions?: Array<[string, string]> }): Pod => ({
    metadata: { name: 'mypod', namespace: 'default' },
    status: {
      phase: 'Failed',
      containerStatuses: Object.entries(opts.exit ?? {}).map(([name, exitCode]) => ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } })),
      initContainerStatuses: Object.entries(opts.init ?? {}).map(([name, exitCode]) => ({ name, image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } })),
      conditions: (opts.conditions ?? []).map(([type, status]) => ({ type, status })),
    },
  });
  const table: Array<{ name: string; policy: PodFailurePolicy; pod: Pod; message?: string; count: boolean; action?: string }> = [
    {
      name: 'FailJob rule matched for exit codes',
      policy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 2, 3] } }] },
      pod: failed({ exit: { 'main-container': 2 } }),
      message: 'Container main-container for pod default/mypod failed with exit code 2 matching FailJob rule at index 0',
      count: true,
      action: 'FailJob',
    },
    {
      name: 'FailJob rule matched for exit codes in init containers',
      policy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 2, 3] } }] },
      pod: failed({ init: { 'init-container': 5 }, exit: {} }),
      count: true,
    },
    {
      name: 'FailJob rule matched for init container exit code',
      policy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [5] } }] },
      pod: failed({ init: { 'init-container': 5 } }),
      message: 'Container init-container for pod default/mypod failed with exit code 5 matching FailJob rule at index 0',
      count: true,
      action: 'FailJob',
    },
    {
      name: 'Ignore rule matched for exit codes',
      policy: { rules: [{ action: 'Ignore', onExitCodes: { operator: 'In', values: [1, 2, 3] } }] },
      pod: failed({ exit: { 'main-container': 2 } }),
      count: false,
      action: 'Ignore',
    },
    {
      name: 'FailJob rule matched for NotIn operator',
      policy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1, 2, 3] } }] },
      pod: failed({ exit: { 'main-container': 42 } }),
      message: 'Container main-container for pod default/mypod failed with exit code 42 matching FailJob rule at index 0',
      count: true,
      action: 'FailJob',
    },
    {
      name: 'NotIn does not match a listed code',
      policy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1, 2, 3] } }] },
      pod: failed({ exit: { 'main-container': 2 } }),
      count: true,
    },
    {
      name: 'exit code 0 never matches NotIn',
      policy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [1] } }] },
      pod: failed({ exit: { 'main-container': 0, sidecar: 1 } }),
      count: true,
    },
    {
      name: 'containerName restricts the match',
      policy: { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'main-container', operator: 'In', values: [1, 2, 3] } }] },
      pod: failed({ exit: { 'main-container': 0, 'other-container': 2 } }),
      count: true,
    },
    {
      name: 'second rule matched (first rule on another container)',
      policy: {
        rules: [
          { action: 'Ignore', onExitCodes: { containerName: 'x', operator: 'In', values: [2] } },
          { action: 'Count', onExitCodes: { operator: 'In', values: [2] } },
        ],
      },
      pod: failed({ exit: { 'main-container': 2 } }),
      count: true,
      action: 'Count',
    },
    {
      name: 'Ignore rule matched for pod conditions (DisruptionTarget)',
      policy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
      pod: failed({ exit: { 'main-container': 137 }, conditions: [['DisruptionTarget', 'True']] }),
      count: false,
      action: 'Ignore',
    },
    {
      name: 'FailJob rule matched for pod conditions',
      policy: { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
      pod: failed({ conditions: [['DisruptionTarget', 'True']] }),
      message: 'Pod default/mypod has condition DisruptionTarget matching FailJob rule at index 0',
      count: true,
      action: 'FailJob',
    },
    {
      name: 'no match on condition status',
      policy: { rules: [{ action: 'FailJob', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] }] },
      pod: failed({ conditions: [['DisruptionTarget', 'False']] }),
      count: true,
    },
    {
      name: 'FailIndex rule matched',
      policy: { rules: [{ action: 'FailIndex', onExitCodes: { operator: 'In', values: [3] } }] },
      pod: failed({ exit: { 'main-container': 3 } }),
      count: true,
      action: 'FailIndex',
    },
    {
      name: 'unknown action skips the rule',
      policy: { rules: [{ action: 'UnknownAction', onExitCodes: { operator: 'In', values: [1, 2] } }, { action: 'Ignore', onExitCodes: { operator: 'In', values: [2] } }] },
      pod: failed({ exit: { 'main-container': 2 } }),
      count: false,
      action: 'Ignore',
    },
  ];
  it.each(table)('$name', ({ policy, pod, message, count, action }) => {
    const m = matchPodFailurePolicy(policy, pod);
    expect(m.failJobMessage).toBe(message);
    expect(m.countFailed).toBe(count);
    expect(m.action).toBe(action);
  });
});

describe('success policy (success_policy_test.go)', () => {
  const table: Array<{ name: string; rules: Array<{ succeededIndexes?: string; succeededCount?: number }>; completions: number; succeeded: string; want: string | undefined }> = [
    { name: 'no rules matched', rules: [{ succeededIndexes: '0-2' }], completions: 10, succeeded: '0,1', want: undefined },
    { name: 'rules.succeededIndexes matched', rules: [{ succeededIndexes: '0-2' }], completions: 10, succeeded: '0-2,5', want: 'Matched rules at index 0' },
    { name: 'rules.succeededCount matched', rules: [{ succeededCount: 3 }], completions: 10, succeeded: '1,5,9', want: 'Matched rules at index 0' },
    { name: 'rules.succeededIndexes and succeededCount matched', rules: [{ succeededIndexes: '0-5', succeededCount: 2 }], completions: 10, succeeded: '4,8', want: undefined },
    { name: 'rules.succeededIndexes with succeededCount matched', rules: [{ succeededIndexes: '0-5', succeededCount: 2 }], completions: 10, succeeded: '3,4,8', want: 'Matched rules at index 0' },
    { name: 'second rule matched', rules: [{ succeededIndexes: '7-9' }, { succeededCount: 2 }], completions: 10, succeeded: '0,1', want: 'Matched rules at index 1' },
    { name: 'succeededIndexes beyond completions are ignored', rules: [{ succeededIndexes: '0,12' }], completions: 10, succeeded: '0', want: 'Matched rules at index 0' },
    { name: 'no succeeded indexes', rules: [{ succeededCount: 0 }], completions: 10, succeeded: '', want: undefined },
  ];
  it.each(table)('$name', ({ rules, completions, succeeded, want }) => {
    expect(matchSuccessPolicy({ rules }, completions, parseIndexes(succeeded, completions))).toBe(want);
  });
});
