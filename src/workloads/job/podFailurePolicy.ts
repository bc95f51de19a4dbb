/**
 * Matching a failed pod against a Job's podFailurePolicy, as upstream's
 * pkg/controller/job/pod_failure_policy.go (v1.33; FailIndex needs
 * JobBackoffLimitPerIndex, GA in v1.33). Rules are tried in order; the first
 * whose onExitCodes or onPodConditions matches decides:
 *  - FailJob: the Job fails with a message naming the container (or
 *    condition), exit code, and the rule's index;
 *  - Ignore: the failure is not counted against backoffLimit;
 *  - Count: counted, as without a policy;
 *  - FailIndex: the pod's index fails (backoffLimitPerIndex).
 * Exit codes are read from terminated app containers first, then init
 * containers; exit code 0 never matches.
 */
import type { ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern } from 'kubernetes-types/batch/v1.js';

export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PodFailurePolicyMatch {
  /** The Job failure message when a FailJob rule matched. */
  failJobMessage: string | undefined;
  /** Whether the failure counts towards backoffLimit (false only for Ignore). */
  countFailed: boolean;
  action: PodFailurePolicyAction | undefined;
}

const NO_MATCH: PodFailurePolicyMatch = Object.freeze({ failJobMessage: undefined, countFailed: true, action: undefined });

/** matchPodFailurePolicy. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PodFailurePolicyMatch {
  if (!policy) return NO_MATCH;
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const rules = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    const action = rule.action as PodFailurePolicyAction;
    if (rule.onExitCodes) {
      const cs = matchOnExitCodes(pod, rule.onExitCodes);
      if (!cs) continue;
      const decided = decide(action, () => `Container ${cs.name} for pod ${ns}/${name} failed with exit code ${cs.state?.terminated?.exitCode ?? 0} matching ${action} rule at index ${index}`);
      if (decided) return decided;
    } else if (rule.onPodConditions) {
      const cond = matchOnPodConditions(pod, rule.onPodConditions);
      if (!cond) continue;
      const decided = decide(action, () => `Pod ${ns}/${name} has condition ${cond.type} matching ${action} rule at index ${index}`);
      if (decided) return decided;
    }
  }
  return NO_MATCH;
}

/** An unknown action (rejected by validation upstream) falls through to the next rule, as the Go switch does. */
function decide(action: PodFailurePolicyAction, message: () => string): PodFailurePolicyMatch | undefined {
  switch (action) {
    case 'Ignore':
      return { failJobMessage: undefined, countFailed: false, action };
    case 'Count':
      return { failJobMessage: undefined, countFailed: true, action };
    case 'FailIndex':
      return { failJobMessage: undefined, countFailed: true, action };
    case 'FailJob':
      return { failJobMessage: message(), countFailed: true, action };
    default:
      return undefined;
  }
}

function matchOnExitCodes(pod: Pod, req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  return matchingContainer(pod.status?.containerStatuses, req) ?? matchingContainer(pod.status?.initContainerStatuses, req);
}

function matchingContainer(statuses: readonly ContainerStatus[] | undefined, req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  for (const cs of statuses ?? []) {
    const t = cs.state?.terminated;
    if (!t) continue; // still terminating: no exit code to match
    if (req.containerName !== undefined && req.containerName !== cs.name) continue;
    if (t.exitCode !== 0 && exitCodeMatches(t.exitCode, req)) return cs;
  }
  return undefined;
}

export function exitCodeMatches(exitCode: number, req: PodFailurePolicyOnExitCodesRequirement): boolean {
  switch (req.operator) {
    case 'In':
      return req.values.includes(exitCode);
    case 'NotIn':
      return !req.values.includes(exitCode);
    default:
      return false;
  }
}

function matchOnPodConditions(pod: Pod, patterns: readonly PodFailurePolicyOnPodConditionsPattern[]): PodCondition | undefined {
  for (const c of pod.status?.conditions ?? []) {
    for (const p of patterns) if (c.type === p.type && c.status === (p.status ?? 'True')) return c;
  }
  return undefined;
}
