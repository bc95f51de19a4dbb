/**
 * DefaultBinder bind plugin, following kube-scheduler v1.35
 * (the binding's release-dependent side effects are in src/api/podBinding.ts)
 * pkg/scheduler/framework/plugins/defaultbinder/default_binder.go: binds the
 * pod through the API server's Binding subresource (here Handle.bindPod,
 * which sets spec.nodeName and the PodScheduled condition in one write).
 */
import { Status, type BindPlugin, type CycleState, type Handle, type PluginFactory, type PodInfo, type Result } from '../framework/types.ts';

export const name = 'DefaultBinder';

export class DefaultBinder implements BindPlugin {
  readonly name = name;
  constructor(private readonly handle: Handle) {}
  bind(_state: CycleState, pod: PodInfo, nodeName: string): Result {
    if (!this.handle.bindPod) return Status.error('no Binding client available');
    return this.handle.bindPod(pod, nodeName);
  }
}

export const factory: PluginFactory = (_args, handle) => new DefaultBinder(handle);
