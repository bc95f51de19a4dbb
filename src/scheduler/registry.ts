/**
 * The in-tree plugin registry, following kube-scheduler v1.35
 * (the plugins ksim models; DRA's DynamicResources and v1.35's alpha plugins are not among them)
 * pkg/scheduler/framework/plugins/registry.go (NewInTreeRegistry) and
 * runtime.Registry.Register for out-of-tree plugins.
 *
 * Every plugin module is named after the plugin and exports `name` and
 * `factory`. VolumeRestrictions (and the deprecated cloud volume-limit
 * plugins) are not modelled.
 */
import type { PluginFactory } from './framework/types.ts';
import * as PrioritySort from './plugins/PrioritySort.ts';
import * as SchedulingGates from './plugins/SchedulingGates.ts';
import * as NodeUnschedulable from './plugins/NodeUnschedulable.ts';
import * as NodeName from './plugins/NodeName.ts';
import * as TaintToleration from './plugins/TaintToleration.ts';
import * as NodeAffinity from './plugins/NodeAffinity.ts';
import * as NodePorts from './plugins/NodePorts.ts';
import * as NodeResourcesFit from './plugins/NodeResourcesFit.ts';
import * as NodeVolumeLimits from './plugins/NodeVolumeLimits.ts';
import * as VolumeZone from './plugins/VolumeZone.ts';
import * as PodTopologySpread from './plugins/PodTopologySpread.ts';
import * as InterPodAffinity from './plugins/InterPodAffinity.ts';
import * as NodeResourcesBalancedAllocation from './plugins/NodeResourcesBalancedAllocation.ts';
import * as ImageLocality from './plugins/ImageLocality.ts';
import * as DefaultBinder from './plugins/DefaultBinder.ts';
import * as VolumeBinding from './plugins/VolumeBinding.ts';
import * as DefaultPreemption from './plugins/DefaultPreemption.ts';

export interface PluginModule {
  name: string;
  factory: PluginFactory;
}

const inTree: PluginModule[] = [
  PrioritySort,
  SchedulingGates,
  NodeUnschedulable,
  NodeName,
  TaintToleration,
  NodeAffinity,
  NodePorts,
  NodeResourcesFit,
  NodeVolumeLimits,
  VolumeBinding,
  VolumeZone,
  PodTopologySpread,
  InterPodAffinity,
  DefaultPreemption,
  NodeResourcesBalancedAllocation,
  ImageLocality,
  DefaultBinder,
];

export const inTreeRegistry: ReadonlyMap<string, PluginFactory> = new Map(inTree.map((m) => [m.name, m.factory]));

export class RegistryError extends Error {}

/** A copy of the in-tree registry that user plugins can be added to. */
export function newRegistry(): Map<string, PluginFactory> {
  return new Map(inTreeRegistry);
}

/** upstream Registry.Register: a name may be registered once. */
export function registerPlugin(registry: Map<string, PluginFactory>, name: string, factory: PluginFactory): void {
  if (registry.has(name)) throw new RegistryError(`a plugin named ${name} already exists`);
  registry.set(name, factory);
}
