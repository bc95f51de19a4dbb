/**
 * A Job's successPolicy (JobSuccessPolicy, GA in v1.33), as upstream's
 * pkg/controller/job/success_policy.go: rules are tried in order; a rule with
 * succeededIndexes matches when all of those indexes succeeded, or at least
 * succeededCount of them; a rule with only succeededCount matches when that
 * many indexes succeeded. The match message is "Matched rules at index N".
 */
import type { SuccessPolicy } from 'kubernetes-types/batch/v1.js';
import { parseIndexes, totalIndexes, type OrderedIntervals } from './indexes.ts';

export function matchSuccessPolicy(policy: SuccessPolicy | undefined, completions: number, succeeded: OrderedIntervals): string | undefined {
  if (!policy || succeeded.length === 0) return undefined;
  const rules = policy.rules ?? [];
  for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    if (rule.succeededIndexes !== undefined) {
      const required = parseIndexes(rule.succeededIndexes, completions);
      if (required.length === 0) continue;
      if (matchSucceededIndexesRule(required, succeeded, rule.succeededCount)) return `Matched rules at index ${index}`;
    } else if (rule.succeededCount !== undefined && totalIndexes(succeeded) >= rule.succeededCount) {
      return `Matched rules at index ${index}`;
    }
  }
  return undefined;
}

/** How many of the rule's indexes succeeded, compared with all of them or succeededCount. */
export function matchSucceededIndexesRule(rule: OrderedIntervals, succeeded: OrderedIntervals, succeededCount: number | undefined): boolean {
  let contains = 0;
  let s = 0;
  let r = 0;
  while (r < rule.length && s < succeeded.length) {
    const overlap = Math.min(rule[r]!.last, succeeded[s]!.last) - Math.max(rule[r]!.first, succeeded[s]!.first) + 1;
    if (overlap > 0) contains += overlap;
    if (succeeded[s]!.last < rule[r]!.last) s++;
    else if (succeeded[s]!.last > rule[r]!.last) r++;
    else {
      s++;
      r++;
    }
  }
  return contains === totalIndexes(rule) || (succeededCount !== undefined && contains >= succeededCount);
}
