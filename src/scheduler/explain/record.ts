/**
 * The explain/trace seam: what one scheduling attempt looked at and decided.
 * The scheduler fills an AttemptRecord only when an AttemptRecorder is
 * attached (no cost otherwise); explainPod() (explain.ts) produces the same
 * record for one pod on demand, evaluating every node without side effects.
 */
import type { Time } from '../../sim/types.ts';

export type CodeName = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export interface StatusRecord {
  code: CodeName;
  plugin: string;
  reasons: string[];
}

export interface FilterRecord {
  node: string;
  /** The plugin that rejected the node; "" when it passed. */
  plugin: string;
  code: CodeName;
  reasons: string[];
}

export interface ScoreRecord {
  node: string;
  plugin: string;
  raw: number;
  normalized: number;
  weight: number;
  weighted: number;
}

export interface AttemptRecord {
  time: Time;
  /** "namespace/name" */
  pod: string;
  uid: string;
  profile: string;
  attempt: number;
  nodesTotal: number;
  /** Nodes whose filters ran (the sample; all nodes for explainPod). */
  nodesEvaluated: number;
  preFilter: { status: StatusRecord | null; nodeNames: string[] | null };
  filter: FilterRecord[];
  feasible: number;
  scores: ScoreRecord[];
  totals: Array<{ node: string; score: number }>;
  /** The chosen node on success. */
  chosen?: string;
  /** Nodes sharing the best total score (the random tie-break candidates). */
  bestNodes?: string[];
  /** The failure message (FitError or other) on failure. */
  error?: string;
  postFilter?: {
    status: StatusRecord;
    nominatedNodeName?: string;
    victims?: string[];
    /** Preemption candidates found by the dry run, in the order pickOneNodeForPreemption saw them. */
    candidates?: Array<{ node: string; victims: string[]; numPDBViolations: number }>;
  };
}

/** An attempt record before the cycle has filled anything in. */
export function newAttemptRecord(time: Time, pod: string, uid: string, profile: string, attempt: number): AttemptRecord {
  return {
    time,
    pod,
    uid,
    profile,
    attempt,
    nodesTotal: 0,
    nodesEvaluated: 0,
    preFilter: { status: null, nodeNames: null },
    filter: [],
    feasible: 0,
    scores: [],
    totals: [],
  };
}

export interface AttemptRecorder {
  record(r: AttemptRecord): void;
  /**
   * Optional filter: when present and false for a pod ("namespace/name"),
   * the scheduler builds no record for that attempt (ksim explain follows
   * one pod on a 5,000-node cluster without paying for the others).
   */
  wants?(pod: string): boolean;
}
