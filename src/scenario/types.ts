/**
 * What the loader hands to the runner: validated objects to create at time
 * 0, timeline actions, expectations, and where each came from (for
 * messages). Times are virtual milliseconds from spec.startTime.
 */
import type { KObject, ObjectRef, Time } from '../sim/types.ts';
import type { LoadSpec } from '../load/index.ts';
import type { SourceDocument } from './source.ts';
import type { PathSegment, FieldRequirement } from './objectPath.ts';

/** Where a value came from: a document, and the path of the value inside it. */
export interface Origin {
  file: string;
  /** 1-based document index in the file. */
  document: number;
  /** "Pod default/web", "Scenario quickstart", "Pod default/web at spec.objects[3]". */
  object?: string;
  /** Path of this value from the document root ("" for a whole document). */
  basePath: string;
  source: Pick<SourceDocument, 'root' | 'lineCounter'>;
  /**
   * For objects generated from something else (nodes from a node group):
   * maps an object-relative field path to the document path it came from.
   */
  mapPath?: (path: string) => string;
}

export interface LoadedObject {
  object: KObject;
  origin: Origin;
}

/** Cluster-wide component configuration, passed to startComponents. */
export interface ScenarioConfig {
  /** A KubeSchedulerConfiguration object, validated by the scheduler. */
  scheduler?: unknown;
  /** A KubeletConfiguration for every node. */
  kubelet?: unknown;
  /** Per-controller settings, free form. */
  controllers?: Record<string, unknown>;
  /** spec.load parsed (src/load): pods' usage and named series. */
  load?: LoadSpec;
  /** spec.config.images: {<image>: {size, pullTime}}. */
  images?: Record<string, { size?: string | number; pullTime?: string }>;
  /** spec.config.metricsServer. */
  metricsServer?: { metricResolution?: string };
  /** kube-apiserver settings: eventTTL (--event-ttl) in ms. */
  apiServer?: { eventTTL?: Time };
  /** The Kubernetes release to emulate ("1.33"), as --emulated-version. */
  emulatedVersion?: string;
  /** Feature gate settings, as --feature-gates. */
  featureGates?: Record<string, boolean>;
}

/** Nodes named one by one, or every node whose labels match a selector when the action runs. */
export type NodeTarget = { names: string[] } | { selector: string };

export const NODE_ACTIONS = ['cordon', 'uncordon', 'drain', 'nodeDown', 'nodeUp'] as const;
export type NodeActionType = (typeof NODE_ACTIONS)[number];
export const TIMELINE_ACTIONS = ['apply', 'delete', 'scale', 'patch', 'evict', ...NODE_ACTIONS] as const;
export type TimelineActionType = (typeof TIMELINE_ACTIONS)[number];

export type TimelineActionBody =
  | { type: 'apply'; objects: LoadedObject[] }
  | { type: 'delete'; target: ObjectRef; gracePeriodSeconds?: number }
  | { type: 'scale'; target: ObjectRef; replicas: number }
  | { type: 'patch'; target: ObjectRef; patch: Record<string, unknown> }
  | { type: 'evict'; target: ObjectRef }
  | { type: NodeActionType; nodes: NodeTarget; drain?: DrainOptions };

/** `drain: {nodes: [...], timeout: 2m, force: true}`: kubectl drain's --timeout and --force. */
export interface DrainOptions {
  /** Give up on evictions still refused after this long (kubectl drain --timeout); none: keep retrying. */
  timeout?: Time;
  timeoutText?: string;
  /** Also evict pods that declare no controller (kubectl drain --force). */
  force?: boolean;
}

export type TimelineAction = TimelineActionBody & {
  at: Time;
  /** The `at` text as written ("90s"). */
  atText: string;
  /** Position in spec.timeline. */
  index: number;
  /** The Scenario document (paths from its root: spec.timeline[index]...). */
  origin: Origin;
};

export type ExpectOperator = 'equals' | 'notEquals' | 'greaterThan' | 'lessThan' | 'exists';

export type ExpectationCheck =
  | { type: 'field'; target: ObjectRef; path: PathSegment[]; pathText: string; op: ExpectOperator; value: unknown }
  | { type: 'count'; kind: string; namespace?: string; selector?: string; fieldSelector?: FieldRequirement[]; fieldSelectorText?: string; count: number };

export interface Expectation {
  at: Time;
  atText: string;
  index: number;
  /** Human-readable statement, e.g. `Pod default/web status.phase equals "Running"`. */
  text: string;
  check: ExpectationCheck;
  origin: Origin;
}

export interface LoadedScenario {
  /** metadata.name of the Scenario, or the first file's base name. */
  name: string;
  files: string[];
  hasScenarioDocument: boolean;
  seed?: number;
  until?: Time;
  startTime: string;
  config: ScenarioConfig;
  /** Where spec.config came from, so components that validate it at start-up can point at the line. */
  configOrigin?: Origin;
  /** Objects created at time 0, in input order. */
  objects: LoadedObject[];
  timeline: TimelineAction[];
  expectations: Expectation[];
  /** spec.load entries, kept as data for load generators. */
  load: Record<string, unknown>[];
  warnings: string[];
}

export const DEFAULT_START_TIME = '2025-01-01T00:00:00Z';
export const SCENARIO_API_VERSION = 'ksim.dev/v1alpha1';
