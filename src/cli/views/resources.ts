/**
 * Resource names on the command line as kubectl resolves them: plural
 * (`pods`), singular (`pod`), short name (`po`), kind (`Pod`), any case,
 * optionally with the group (`deployments.apps`). Short names are those of
 * the built-in APIs' discovery (`kubectl api-resources`).
 */
import { KINDS, type KindInfo } from '../../api/discovery.ts';
import { UsageError } from '../io.ts';

export const SHORT_NAMES: Readonly<Record<string, string>> = {
  Pod: 'po',
  Deployment: 'deploy',
  ReplicaSet: 'rs',
  StatefulSet: 'sts',
  DaemonSet: 'ds',
  Node: 'no',
  Namespace: 'ns',
  PodDisruptionBudget: 'pdb',
  HorizontalPodAutoscaler: 'hpa',
  ResourceQuota: 'quota',
  LimitRange: 'limits',
  PersistentVolumeClaim: 'pvc',
  PersistentVolume: 'pv',
  StorageClass: 'sc',
  PriorityClass: 'pc',
  Event: 'ev',
  CronJob: 'cj',
  Service: 'svc',
  ConfigMap: 'cm',
  ServiceAccount: 'sa',
  ReplicationController: 'rc',
  Endpoints: 'ep',
};

export function resolveKind(arg: string): KindInfo {
  const lower = arg.toLowerCase();
  const dot = lower.indexOf('.');
  const name = dot < 0 ? lower : lower.slice(0, dot);
  const group = dot < 0 ? undefined : lower.slice(dot + 1);
  // The metrics API reuses "pods"/"nodes": plain names mean the core kinds.
  for (const k of KINDS) {
    if (group !== undefined && k.group !== group) continue;
    if (group === undefined && k.group === 'metrics.k8s.io') continue;
    if (k.resource === name || k.kind.toLowerCase() === name || SHORT_NAMES[k.kind] === name) return k;
  }
  // kubectl's own message for an unknown resource type.
  throw new UsageError(`the server doesn't have a resource type "${arg}"`);
}

/** "pods", "deployments.apps": how API errors name a resource. */
export function qualifiedResource(k: KindInfo): string {
  return k.group ? `${k.resource}.${k.group}` : k.resource;
}

/** "pod", "deployment.apps": the prefix of `-o name`. */
export function nameResource(k: KindInfo): string {
  const kind = k.kind.toLowerCase();
  return k.group ? `${kind}.${k.group}` : kind;
}
