/**
 * The kubelet's admission side for every node of a simulation: one
 * NodeAdmission (resource managers, predicates, usage) per node, built from
 * the node's own KubeletConfiguration (cluster-wide overlaid by its group's)
 * when the kubelet first admits a pod there; the pod's resource assignment
 * made visible in the `ksim.dev/resource-assignment` annotation; and the
 * release of a pod's resources when the kubelet sees it reach a terminal phase
 * or go (release).
 * The kubelet writes the rejection itself (rejectPod).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { KObject } from '../sim/types.ts';
import type { Simulation } from '../sim/simulation.ts';
import { ApiError } from '../sim/errors.ts';
import type { KubeletConfiguration } from '../api/kubeletConfig.ts';
import { registerKsimAnnotation } from '../api/ksimAnnotations.ts';
import { AnnotationResourceAssignment, NodeAdmission } from './admission.ts';
import { Admitted } from './lifecycle/predicate.ts';
import { startGracefulShutdown } from './shutdown.ts';
import { nodeKubeletConfiguration } from './nodeConfig.ts';
import { Priority } from '../sim/types.ts';

/** The kubelet state annotation the scenario's nodeDown sets (kubelet.ts AnnotationKubeletState). */
const AnnotationKubeletState = 'ksim.dev/kubelet';
const KubeletStopped = 'stopped';

registerKsimAnnotation({
  key: AnnotationResourceAssignment,
  on: 'Pod',
  meaning: "the kubelet's CPU, memory and device assignment and Topology Manager NUMA affinity per container",
  check: () => undefined,
  written: true,
});

export interface AdmitNode {
  /** Never changes for a given object (the kubelet's node agents). */
  readonly name: string;
  config: KubeletConfiguration;
  /**
   * The node's admission state as the admitter last gave it for this object, kept here by the admitter (see
   * current): the kubelet admits and releases each pod on its node's agent, and so finds the state without a
   * lookup of the node's name among 5,000 (two cold probes per pod, ~0.5% of a day's run).
   */
  admission?: NodeAdmission | undefined;
}

export type AdmitVerdict = { admit: true } | { admit: false; reason: string; message: string };

export class PodAdmitter {
  private readonly nodes = new Map<string, NodeAdmission>();

  constructor(
    private readonly sim: Simulation,
    /** The raw cluster-wide configuration; the node's own is merged onto it (nodeConfig.ts). */
    private readonly cluster: Partial<KubeletConfiguration> | undefined,
  ) {
    sim.store.watch('Node', (ev) => {
      const name = ev.object.metadata.name ?? '';
      if (ev.type === 'DELETED') {
        const gone = this.nodes.get(name);
        if (gone) gone.keeper = undefined;
        this.nodes.delete(name);
        return;
      }
      // nodeDown: the kubelet shuts down gracefully first when its configuration asks for it.
      const was = ev.oldObject?.metadata.annotations?.[AnnotationKubeletState];
      const now = ev.object.metadata.annotations?.[AnnotationKubeletState];
      const na = this.nodes.get(name);
      if (now === KubeletStopped && was !== KubeletStopped && na) {
        na.shuttingDown = true;
        // After the write that stopped it (never inside the store's commit).
        sim.engine.after(0, () => void startGracefulShutdown(sim, name, na.config), { priority: Priority.Kubelet, source: `kubelet/${name}` });
      } else if (now !== KubeletStopped && was === KubeletStopped && na) na.shuttingDown = false;
    });
  }

  /** The node's admission state, created from the kubelet's configuration on first use. */
  node(name: string, config?: KubeletConfiguration): NodeAdmission | undefined {
    let na = this.nodes.get(name);
    if (na || !config) return na;
    const node = this.sim.store.get<Node & KObject>('Node', '', name);
    if (!node) return undefined;
    na = new NodeAdmission(node, this.cluster ? nodeKubeletConfiguration(this.cluster, node) : config);
    na.keeper = this;
    this.nodes.set(name, na);
    return na;
  }

  /**
   * node(n.name, config): the state kept on `n` while this admitter still keeps it under that name (its keeper
   * is this admitter until the node's deletion drops it, and a name's state is replaced only after that), else
   * looked up (made on first use, as node() does) and kept on `n`.
   */
  private current(n: AdmitNode, config: KubeletConfiguration | undefined): NodeAdmission | undefined {
    const kept = n.admission;
    if (kept !== undefined && kept.keeper === this) return kept;
    const na = this.node(n.name, config);
    if (na !== undefined) n.admission = na;
    return na;
  }

  /**
   * The pod is terminal or gone, as the kubelet that admitted it sees it: it no longer counts on node `n`.
   * The kubelet calls this once per pod it ran admission for (kubelet.ts settle), as upstream's admission
   * counts the kubelet's own active pods. (A store watch on every Pod write released a finished pod again at
   * each later write - the finalizer removal, the deletion: 26,417 release calls for 17,690 pods an hour of
   * churn, each a probe of a cold map, ~0.25% of the run.)
   */
  release(n: AdmitNode, uid: string): void {
    this.current(n, undefined)?.release(uid);
  }

  /**
   * The resource allocation, predicate and node-shutdown admit handlers, in
   * upstream's order, as one handler of the kubelet's chain (after eviction's).
   * An admitted pod's assignment is written to its annotation.
   */
  admit(n: AdmitNode, pod: Pod): AdmitVerdict {
    const na = this.current(n, n.config);
    const node = this.sim.store.get<Node & KObject>('Node', '', n.name);
    if (!na || !node) return Admitted;
    const r = na.admit(pod, node);
    if (!r.admit) return { admit: false, reason: r.reason ?? 'UnknownReason', message: r.message ?? '' };
    this.writeAssignment(n.name, pod, na);
    return Admitted;
  }

  private writeAssignment(nodeName: string, pod: Pod, na: NodeAdmission): void {
    const a = na.assignment(pod.metadata?.uid ?? '');
    if (!a) return;
    const text = JSON.stringify(a);
    if (pod.metadata?.annotations?.[AnnotationResourceAssignment] === text) return;
    this.write(() =>
      this.sim.store.patch<KObject>(
        'Pod',
        pod.metadata?.namespace ?? '',
        pod.metadata?.name ?? '',
        (draft) => {
          draft.metadata.annotations = { ...(draft.metadata.annotations ?? {}), [AnnotationResourceAssignment]: text };
        },
        { actor: `kubelet/${nodeName}` },
      ),
    );
  }

  private write<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ApiError && (err.reason === 'NotFound' || err.reason === 'Conflict')) return undefined;
      throw err;
    }
  }
}

const admitters = new WeakMap<Simulation, PodAdmitter>();

/** The simulation's admitter (one per simulation; the kubelet component adds it to its admit chain). */
export function podAdmitter(sim: Simulation, cluster?: Partial<KubeletConfiguration>): PodAdmitter {
  let a = admitters.get(sim);
  if (!a) {
    a = new PodAdmitter(sim, cluster);
    admitters.set(sim, a);
  }
  return a;
}
