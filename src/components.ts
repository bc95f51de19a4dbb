/**
 * Assembles a cluster on a Simulation: the API server's admission chain and
 * bootstrap objects, then the control-plane and node components. This is the
 * one place that knows which parts exist; each part only talks to the store.
 *
 *   kube-apiserver          src/admission/ (defaulting, NamespaceLifecycle, Priority,
 *                           DefaultTolerationSeconds, validation) + bootstrap objects
 *   kube-scheduler          src/scheduler/
 *   kube-controller-manager src/controllers/ (node lifecycle), src/workloads/ (later issues)
 *   kubelet (every node)    src/kubelet/
 */
import type { Namespace } from 'kubernetes-types/core/v1.js';
import type { KObject, Time } from './sim/types.ts';
import type { Simulation } from './sim/simulation.ts';
import { defaultAdmissionChain } from './admission/apiServer.ts';
import { systemPriorityClasses } from './admission/priority.ts';
import { createKubelets, type KubeletTiming } from './kubelet/kubelet.ts';
import type { ImageConfig } from './kubelet/images.ts';
import type { LoadSpec } from './load/index.ts';
import { createMetricsServer, type MetricsServerConfig } from './metrics/metricsServer.ts';
import type { KubeletConfiguration } from './api/kubeletConfig.ts';
import { createNodeLifecycleController } from './controllers/nodelifecycle/nodeLifecycleController.ts';
import { parseNodeLifecycleConfig } from './controllers/nodelifecycle/config.ts';
import { createTaintEvictionController } from './controllers/tainteviction/taintEvictionController.ts';
import { createPodGCController, parsePodGCConfig } from './controllers/podgc/podGCController.ts';
import { FieldErrorList } from './api/errors.ts';
import { horizontalControllerFor } from './controllers/podautoscaler/horizontalController.ts';
import { parseHpaControllerConfig } from './controllers/podautoscaler/config.ts';
import { horizontalPodAutoscalerAdmission } from './controllers/podautoscaler/admission.ts';
import { seriesMetricsApi } from './metrics/customMetrics.ts';
import { LoadEvaluator, loadSeed } from './load/index.ts';
import { replicaSetControllersFor } from './workloads/replicaset/index.ts';
import { deploymentControllerFor } from './workloads/deployment/index.ts';
import { createJobController } from './workloads/job/jobController.ts';
import { jobStrategyAdmission } from './workloads/job/jobStrategy.ts';
import { daemonSetStrategyAdmission } from './workloads/daemonset/daemonSetStrategy.ts';
import { createCronJobController } from './workloads/cronjob/cronJobController.ts';
import { createTTLAfterFinishedController } from './workloads/ttlafterfinished/ttlAfterFinishedController.ts';
import { createResourceQuotaController } from './controllers/resourcequota/resourceQuotaController.ts';
import { createDisruptionController } from './controllers/disruption/disruptionController.ts';
import { createStatefulSetController } from './workloads/statefulset/statefulSetController.ts';
import { createDaemonSetController } from './workloads/daemonset/daemonSetController.ts';
import { createPersistentVolumeController } from './controllers/volume/persistentVolumeController.ts';
import { createProvisioner, parseVolumeConfig } from './controllers/volume/provisioner.ts';
import { createScheduler } from './scheduler/scheduler.ts';
import { FeatureGates } from './api/featureGates.ts';
import type { PluginFactory } from './scheduler/framework/types.ts';
import type { AttemptRecorder } from './scheduler/explain/record.ts';

/** The scenario's spec.config. */
export interface ClusterConfig {
  /** The Kubernetes release to emulate ("1.33"); default the newest ksim follows (api/featureGates.ts). */
  emulatedVersion?: string;
  /** Feature gate settings for every component, as --feature-gates. */
  featureGates?: Record<string, boolean>;
  /** A KubeSchedulerConfiguration object (kubescheduler.config.k8s.io/v1). */
  scheduler?: unknown;
  /** The cluster-wide KubeletConfiguration; node groups may override it when their Nodes are built. */
  kubelet?: unknown;
  /** Per-controller settings, e.g. {nodeLifecycle: {nodeMonitorGracePeriod: "40s"}}. */
  controllers?: Record<string, unknown>;
  /** The scenario's parsed spec.load (src/load): pods' usage and named series. */
  load?: LoadSpec;
  /** spec.config.images: image sizes and pull times, {<image>: {size, pullTime}}. */
  images?: ImageConfig;
  /** spec.config.metricsServer: {metricResolution: "15s"}. */
  metricsServer?: MetricsServerConfig;
}

export interface ComponentOptions {
  /** Scheduler plugins by name: the in-tree registry plus user plugins. */
  registry?: Map<string, PluginFactory>;
  /** Receives every scheduling attempt (explain, --trace-scheduling). */
  schedulingRecorder?: AttemptRecorder;
  schedulerTiming?: { cycle?: Time; bind?: Time };
  kubeletTiming?: Partial<KubeletTiming>;
  /** false: the kubelets' heartbeats and the node lifecycle monitor pass without their shortcuts (the plain lookups), for tests that compare the two. */
  heartbeatShortcuts?: boolean;
}

/** Namespaces kube-apiserver and kube-controller-manager create at start-up. */
export const InitialNamespaces = ['default', 'kube-node-lease', 'kube-public', 'kube-system'];

function namespaceObject(name: string): Namespace & KObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** Install admission and bootstrap objects: what exists before any user object is applied. */
export function startApiServer(sim: Simulation, featureGates: FeatureGates = FeatureGates.defaults()): void {
  for (const plugin of defaultAdmissionChain(sim.store, featureGates)) sim.store.addAdmission(plugin);
  sim.store.addAdmission(jobStrategyAdmission); // the Job strategy's generated selector (prepareForCreate)
  sim.store.addAdmission(daemonSetStrategyAdmission); // the DaemonSet strategy's template generation
  sim.store.addAdmission(horizontalPodAutoscalerAdmission); // HPA defaulting and validation (autoscaling strategy)
  for (const ns of InitialNamespaces) sim.store.create(namespaceObject(ns), { actor: 'kube-apiserver' });
  for (const pc of systemPriorityClasses()) sim.store.create(pc, { actor: 'kube-apiserver' });
}

/** A whole cluster: API server, scheduler, controllers and kubelets. */
export function startComponents(sim: Simulation, config: ClusterConfig = {}, opts: ComponentOptions = {}): void {
  // One resolution for the whole cluster; a bad setting throws FeatureGateError (the loader checks scenario input first).
  const featureGates = FeatureGates.resolve({ emulatedVersion: config.emulatedVersion, settings: config.featureGates });
  startApiServer(sim, featureGates);
  const nodeLifecycle = parseNodeLifecycleConfig(config.controllers?.['nodeLifecycle']);
  const podGC = parsePodGCConfig(config.controllers?.['podGC']);
  if (nodeLifecycle.errors.length + podGC.errors.length > 0) throw new FieldErrorList([...nodeLifecycle.errors, ...podGC.errors]);
  sim.use(createNodeLifecycleController(nodeLifecycle.config, { positionHints: opts.heartbeatShortcuts ?? true }));
  sim.use(createTaintEvictionController());
  sim.use(createPodGCController(podGC.config));
  // Pods, Object and External metrics: the scenario's named load series, through the custom metrics adapter.
  const series = config.load && config.load.series.length > 0 ? seriesMetricsApi(new LoadEvaluator(config.load, loadSeed(sim)), sim.epochMs, (m, d) => sim.runtime.note(m, d)) : undefined;
  sim.runtime.register(horizontalControllerFor(sim, { ...parseHpaControllerConfig(config.controllers?.['horizontalPodAutoscaler']), ...(series ? { customMetrics: series } : {}) }));
  for (const c of replicaSetControllersFor(sim, featureGates.enabled('DeploymentReplicaSetTerminatingReplicas'))) sim.runtime.register(c);
  sim.runtime.register(deploymentControllerFor(sim));
  const batchTimes = { epochMs: sim.epochMs, now: () => sim.now, timestamp: (t?: number) => sim.timestamp(t), virtualTime: (s: string) => sim.virtualTime(s) };
  sim.runtime.register(createJobController(batchTimes));
  sim.runtime.register(createCronJobController(batchTimes));
  sim.runtime.register(createTTLAfterFinishedController(batchTimes));
  sim.runtime.register(createResourceQuotaController({ epochMs: sim.epochMs }));
  sim.runtime.register(createDisruptionController({ epochMs: sim.epochMs, timestamp: (t) => sim.timestamp(t), lister: (kind) => sim.runtime.lister(kind) }));
  sim.runtime.register(createStatefulSetController({ epochMs: sim.epochMs, maxUnavailableStatefulSet: featureGates.enabled('MaxUnavailableStatefulSet') }));
  sim.runtime.register(createDaemonSetController({ epochMs: sim.epochMs }));
  sim.runtime.register(createPersistentVolumeController({ timestamp: (t) => sim.timestamp(t) }));
  sim.runtime.register(createProvisioner(parseVolumeConfig(config.controllers?.['volume'])));
  sim.use(
    createScheduler({
      config: config.scheduler,
      featureGates,
      registry: opts.registry,
      timing: opts.schedulerTiming,
      recorder: opts.schedulingRecorder,
    }),
  );
  sim.use(createKubelets(opts.kubeletTiming, (config.kubelet ?? {}) as Partial<KubeletConfiguration>, { load: config.load, images: config.images, featureGates, heartbeatShortcuts: opts.heartbeatShortcuts }));
  // metrics-server has nothing to scrape unless some pod is driven by a load model.
  if ((config.load?.pods.length ?? 0) > 0) sim.use(createMetricsServer(config.metricsServer));
}
