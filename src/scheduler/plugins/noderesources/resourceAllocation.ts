/**
 * The resource-allocation scorer shared by NodeResourcesFit (scoring
 * strategies) and NodeResourcesBalancedAllocation, following kube-scheduler
 * v1.31 pkg/scheduler/framework/plugins/noderesources/resource_allocation.go
 * (resourceAllocationScorer.score, calculateResourceAllocatableRequest,
 * calculatePodResourceRequest):
 *
 *   - the pod's request per configured resource is computed once (PreScore);
 *     cpu/memory use the "non-zero" requests (100m / 200Mi per container that
 *     requests nothing) unless `useRequested` is set (BalancedAllocation);
 *   - per node, a resource enters the score only if the node has it
 *     allocatable (non-zero), and an extended (scalar) resource only if the
 *     pod requests it;
 *   - ephemeral-storage and scalar resources always use the node's plain
 *     requested amounts.
 */
import { Status } from '../../framework/types.ts';
import type { NodeInfo, PodInfo } from '../../framework/types.ts';
import type { ResourceSpec } from './args.ts';
import { isScalarResourceName } from './resourceNames.ts';
import type { NodeResourceTable } from '../../framework/resourceTable.ts';
import { sameState } from '../../framework/cycleState.ts';

/** A scorer over parallel arrays of requested and allocatable amounts (entries with allocatable 0 are skipped). */
export type ResourceScorer = (requested: readonly number[], allocatable: readonly number[]) => number;

const enum Kind {
  CPU,
  Memory,
  EphemeralStorage,
  Scalar,
}

function kindOf(name: string): Kind {
  switch (name) {
    case 'cpu':
      return Kind.CPU;
    case 'memory':
      return Kind.Memory;
    case 'ephemeral-storage':
      return Kind.EphemeralStorage;
    default:
      return Kind.Scalar;
  }
}

/** What PreScore keeps for Score: the pod's request per configured resource (never changed once made). */
export interface RequestsState {
  readonly podRequests: readonly number[];
  clone(): RequestsState;
}

export class ResourceAllocationScorer {
  private readonly kinds: Kind[];
  private readonly scalarNames: boolean[];
  // Scratch arrays reused across Score calls: scoring is synchronous, so one
  // pair per scorer keeps the per-node hot path allocation-free.
  private readonly requested: number[];
  private readonly allocatable: number[];
  /** No extended resources among the configured ones: score() may read resourceTable.ts's columns. */
  private readonly tableable: boolean;
  /** SchedulerOptions.fastPath: preScoreState() may answer the previous cycle's state. */
  private readonly keepsState: boolean;
  /** The state preScoreState() made last (fast path). */
  private lastState: RequestsState | null = null;

  constructor(
    readonly name: string,
    readonly resources: readonly ResourceSpec[],
    private readonly scorer: ResourceScorer,
    /** Use plain requests for cpu/memory instead of the non-zero defaults. */
    private readonly useRequested: boolean,
    /** SchedulerOptions.fastPath: read nodes' figures from the cache's compact columns when every resource is cpu, memory or ephemeral-storage. */
    fastPath = true,
  ) {
    this.kinds = resources.map((r) => kindOf(r.name));
    this.tableable = fastPath && resources.length > 0 && this.kinds.every((k) => k !== Kind.Scalar);
    this.keepsState = fastPath;
    this.scalarNames = resources.map((r) => isScalarResourceName(r.name));
    this.requested = resources.map(() => 0);
    this.allocatable = resources.map(() => 0);
  }

  /** upstream calculatePodResourceRequestList: the pod's request for each configured resource. */
  podRequests(pod: PodInfo): number[] {
    const out = new Array<number>(this.resources.length);
    for (let i = 0; i < this.resources.length; i++) out[i] = this.podRequest(pod, i);
    return out;
  }

  /** The pod's request for the i-th configured resource. */
  private podRequest(pod: PodInfo, i: number): number {
    switch (this.kinds[i]) {
      case Kind.CPU:
        return this.useRequested ? pod.requests.milliCPU : pod.nonZeroMilliCPU;
      case Kind.Memory:
        return this.useRequested ? pod.requests.memory : pod.nonZeroMemory;
      case Kind.EphemeralStorage:
        return pod.requests.ephemeralStorage;
      default:
        return pod.requests.scalar.get(this.resources[i]!.name) ?? 0;
    }
  }

  /**
   * The PreScore state of NodeResourcesFit and NodeResourcesBalancedAllocation:
   * the pod's requests. On the fast path the previous cycle's state is answered
   * when every figure is the same (perf: a state and an array per plugin and
   * cycle, while consecutive pods mostly share a template); the state and its
   * array are only read (Score, and CycleState clones share them; the array
   * is not frozen so that Score's per-node reads keep its packed numbers).
   */
  preScoreState(pod: PodInfo): RequestsState {
    const last = this.lastState;
    if (last !== null) {
      const req = last.podRequests;
      let i = 0;
      while (i < req.length && this.podRequest(pod, i) === req[i]) i++;
      if (i === req.length) return last;
    }
    const s: RequestsState = { podRequests: this.podRequests(pod), clone: sameState };
    if (this.keepsState) this.lastState = s;
    return s;
  }

  /** upstream resourceAllocationScorer.score. */
  score(nodeInfo: NodeInfo, podRequests: readonly number[]): number | Status {
    const n = this.resources.length;
    if (n === 0) return Status.error('resources not found');
    const table = this.tableable ? nodeInfo.resourceTable : null;
    if (table) return this.scoreFromTable(table, nodeInfo.resourceSlot!, podRequests);
    const requested = nodeInfo.requested;
    const nodeRequested = this.useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
    const alloc = nodeInfo.allocatable;
    for (let i = 0; i < n; i++) {
      const podRequest = podRequests[i]!;
      let a = 0;
      let r = 0;
      // An extended resource the pod does not request is left out of the score.
      if (!(podRequest === 0 && this.scalarNames[i])) {
        switch (this.kinds[i]) {
          case Kind.CPU:
            a = alloc.milliCPU;
            r = nodeRequested.milliCPU + podRequest;
            break;
          case Kind.Memory:
            a = alloc.memory;
            r = nodeRequested.memory + podRequest;
            break;
          case Kind.EphemeralStorage:
            a = alloc.ephemeralStorage;
            r = requested.ephemeralStorage + podRequest;
            break;
          default: {
            const name = this.resources[i]!.name;
            const v = alloc.scalar.get(name);
            if (v !== undefined) {
              a = v;
              r = (requested.scalar.get(name) ?? 0) + podRequest;
            }
          }
        }
      }
      // Only resources the node has enter the score.
      this.allocatable[i] = a;
      this.requested[i] = a === 0 ? 0 : r;
    }
    return this.scorer(this.requested, this.allocatable);
  }

  /** score() for cpu/memory/ephemeral-storage only, from the same figures in the cache's columns. */
  private scoreFromTable(t: NodeResourceTable, k: number, podRequests: readonly number[]): number {
    const n = this.resources.length;
    for (let i = 0; i < n; i++) {
      let a: number;
      let r: number;
      switch (this.kinds[i]) {
        case Kind.CPU:
          a = t.allocCPU[k]!;
          r = (this.useRequested ? t.reqCPU[k]! : t.nzCPU[k]!) + podRequests[i]!;
          break;
        case Kind.Memory:
          a = t.allocMemory[k]!;
          r = (this.useRequested ? t.reqMemory[k]! : t.nzMemory[k]!) + podRequests[i]!;
          break;
        default:
          a = t.allocEphemeral[k]!;
          r = t.reqEphemeral[k]! + podRequests[i]!;
      }
      this.allocatable[i] = a;
      this.requested[i] = a === 0 ? 0 : r;
    }
    return this.scorer(this.requested, this.allocatable);
  }
}
