/**
 * Every KubeletConfiguration field ksim accepts (src/api/kubeletConfig.ts),
 * with what ksim does with it: `modelled` fields take effect; `warned` fields
 * are accepted (so real files load unchanged) but change nothing in a run, and
 * setting one produces a warning naming it, in `ksim validate` and `ksim run`
 * output and in the JSON `warnings`. A field added to the accepted set without
 * a row here fails test/kubelet/configFields.test.ts, so nothing accepted can
 * be silently ignored.
 *
 * Whoever models a field marks it here (the `by` column names the part of
 * ksim that reads it).
 */
import { ModelledCPUManagerOptions, UnmodelledCPUManagerOptions } from './cm/cpumanager/policyStatic.ts';

export type FieldStatus = 'modelled' | 'warned';

export interface FieldRow {
  status: FieldStatus;
  /** Where it takes effect, or why it is not modelled. */
  by: string;
}

export const KubeletConfigFields: Readonly<Record<string, FieldRow>> = {
  apiVersion: { status: 'modelled', by: 'validation' },
  kind: { status: 'modelled', by: 'validation' },
  kubeReserved: { status: 'modelled', by: 'node allocatable; static CPU Manager reserved CPUs' },
  systemReserved: { status: 'modelled', by: 'node allocatable; static CPU Manager reserved CPUs' },
  evictionHard: { status: 'modelled', by: 'node allocatable; node-pressure eviction' },
  evictionSoft: { status: 'modelled', by: 'node-pressure eviction' },
  evictionSoftGracePeriod: { status: 'modelled', by: 'node-pressure eviction' },
  evictionPressureTransitionPeriod: { status: 'modelled', by: 'node-pressure eviction' },
  evictionMinimumReclaim: { status: 'modelled', by: 'node-pressure eviction' },
  evictionMaxPodGracePeriod: { status: 'modelled', by: 'node-pressure eviction' },
  enforceNodeAllocatable: { status: 'modelled', by: 'node-pressure eviction (allocatableMemory.available with "pods")' },
  maxPods: { status: 'modelled', by: 'allocatable pods; kubelet admission OutOfpods' },
  podsPerCore: { status: 'modelled', by: 'allocatable pods' },
  podPidsLimit: { status: 'modelled', by: 'PID usage and pid.available' },
  nodeStatusUpdateFrequency: { status: 'modelled', by: 'node status and Lease heartbeats' },
  nodeStatusReportFrequency: { status: 'modelled', by: 'node status and Lease heartbeats' },
  nodeLeaseDurationSeconds: { status: 'modelled', by: 'node Lease' },
  cpuManagerPolicy: { status: 'modelled', by: 'CPU Manager (kubelet admission)' },
  cpuManagerPolicyOptions: { status: 'modelled', by: `CPU Manager: ${ModelledCPUManagerOptions.join(', ')}` },
  cpuManagerReconcilePeriod: { status: 'warned', by: 'ksim assigns CPUs at admission and has no cgroups to reconcile' },
  reservedSystemCPUs: { status: 'modelled', by: 'CPU Manager reserved CPUs; allocatable cpu' },
  memoryManagerPolicy: { status: 'modelled', by: 'Memory Manager (kubelet admission)' },
  reservedMemory: { status: 'modelled', by: 'Memory Manager allocatable per NUMA node' },
  topologyManagerPolicy: { status: 'modelled', by: 'Topology Manager (kubelet admission)' },
  topologyManagerScope: { status: 'modelled', by: 'Topology Manager (kubelet admission)' },
  topologyManagerPolicyOptions: { status: 'modelled', by: 'Topology Manager: prefer-closest-numa-nodes, max-allowable-numa-nodes' },
  imageGCHighThresholdPercent: { status: 'modelled', by: 'image garbage collection' },
  imageGCLowThresholdPercent: { status: 'modelled', by: 'image garbage collection' },
  imageMinimumGCAge: { status: 'modelled', by: 'image garbage collection' },
  serializeImagePulls: { status: 'modelled', by: 'image pulls' },
  maxParallelImagePulls: { status: 'modelled', by: 'image pulls' },
  registerNode: { status: 'warned', by: 'the scenario creates every Node; the kubelet always registers it' },
  registerWithTaints: { status: 'modelled', by: 'node registration' },
  failSwapOn: { status: 'warned', by: 'ksim models no swap' },
  featureGates: { status: 'modelled', by: 'CPUManagerPolicyAlphaOptions, CPUManagerPolicyBetaOptions, TopologyManagerPolicyBetaOptions; every other gate is warned' },
  shutdownGracePeriod: { status: 'modelled', by: 'graceful node shutdown on nodeDown' },
  shutdownGracePeriodCriticalPods: { status: 'modelled', by: 'graceful node shutdown on nodeDown' },
};

const TopologyManagerOptions = ['prefer-closest-numa-nodes', 'max-allowable-numa-nodes'];
/** Feature gates the resource managers read. */
const ModelledFeatureGates = ['CPUManagerPolicyAlphaOptions', 'CPUManagerPolicyBetaOptions', 'TopologyManagerPolicyBetaOptions'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface WarningContext {
  /** Whether the nodes this configuration applies to have a NUMA layout (undefined: unknown). */
  hasNumaLayout?: boolean;
}

/**
 * Warnings for a (validated) KubeletConfiguration at `path`: every `warned`
 * field that is set, every policy option that is not modelled, and settings
 * that cannot act (resource managers on nodes without a NUMA layout, the
 * Static Memory Manager without reservedMemory).
 */
export function kubeletConfigWarnings(cfg: unknown, path: string, ctx: WarningContext = {}): string[] {
  if (!isRecord(cfg)) return [];
  const out: string[] = [];
  for (const k of Object.keys(cfg)) {
    const row = KubeletConfigFields[k];
    if (row?.status === 'warned' && cfg[k] !== undefined && cfg[k] !== null) out.push(`${path}.${k}: accepted but not modelled (${row.by})`);
  }
  const gates = cfg['featureGates'];
  if (isRecord(gates)) {
    for (const g of Object.keys(gates).sort()) {
      if (!ModelledFeatureGates.includes(g)) out.push(`${path}.featureGates[${g}]: accepted but not modelled (ksim follows the newest upstream default of this gate)`);
    }
  }
  const cpuOpts = cfg['cpuManagerPolicyOptions'];
  if (isRecord(cpuOpts)) {
    for (const k of Object.keys(cpuOpts).sort()) {
      if (ModelledCPUManagerOptions.includes(k)) continue;
      const why = UnmodelledCPUManagerOptions.includes(k) ? 'accepted but not modelled' : "unknown CPU Manager Policy option: upstream's kubelet does not start, so ksim's rejects every pod on these nodes";
      out.push(`${path}.cpuManagerPolicyOptions[${k}]: ${why}`);
    }
  }
  // UpdateContainerFsThresholds: on ksim's single filesystem the containerfs thresholds are the nodefs ones.
  for (const f of ['evictionHard', 'evictionSoft']) {
    const m = cfg[f];
    if (!isRecord(m)) continue;
    for (const k of Object.keys(m).sort()) {
      if (k.startsWith('containerfs.')) out.push(`${path}.${f}[${k}]: ignored, as upstream: with one filesystem containerfs thresholds are the nodefs ones`);
    }
  }
  const tmOpts = cfg['topologyManagerPolicyOptions'];
  if (isRecord(tmOpts)) {
    for (const k of Object.keys(tmOpts).sort()) {
      if (!TopologyManagerOptions.includes(k)) out.push(`${path}.topologyManagerPolicyOptions[${k}]: unknown Topology Manager Policy option: upstream's kubelet does not start, so ksim's rejects every pod on these nodes`);
    }
  }
  if (cfg['memoryManagerPolicy'] === 'Static' && (!Array.isArray(cfg['reservedMemory']) || cfg['reservedMemory'].length === 0)) {
    out.push(`${path}.reservedMemory: the Static Memory Manager needs reservedMemory (upstream's kubelet refuses to start without it); ksim reserves nothing per NUMA node`);
  }
  if (ctx.hasNumaLayout === false) {
    for (const k of ['cpuManagerPolicy', 'memoryManagerPolicy', 'topologyManagerPolicy']) {
      const v = cfg[k];
      if (typeof v === 'string' && v !== '' && v.toLowerCase() !== 'none') out.push(`${path}.${k}: ${JSON.stringify(v)} has no effect on nodes without a numa layout`);
    }
  }
  return out;
}

/**
 * For a node group without a NUMA layout: the resource-manager policies it
 * inherits from the scenario-wide configuration (and does not override), which
 * cannot act on its nodes.
 */
export function inheritedPolicyWarnings(scenario: unknown, group: unknown, groupPath: string): string[] {
  if (!isRecord(scenario)) return [];
  const own = isRecord(group) ? group : {};
  const out: string[] = [];
  for (const k of ['cpuManagerPolicy', 'memoryManagerPolicy', 'topologyManagerPolicy']) {
    const v = scenario[k];
    if (k in own || typeof v !== 'string' || v === '' || v.toLowerCase() === 'none') continue;
    out.push(`${groupPath}: ${k} ${JSON.stringify(v)} from spec.config.kubelet has no effect on nodes without a numa layout`);
  }
  return out;
}
