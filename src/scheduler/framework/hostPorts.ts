/**
 * Host ports in use on a node, following kube-scheduler v1.35
 * (util.GetHostPorts: restartable init containers count, as upstream since v1.34;
 * NodePorts selects the pre-v1.34 container-only view by emulated version)
 * pkg/scheduler/framework/types.go (HostPortInfo: Add, Remove, CheckConflict,
 * sanitize) and pkg/scheduler/util (GetHostPorts).
 *
 * Like upstream it is a set keyed by IP then protocol/port: removing a pod's
 * port removes the entry even if another pod declared the same one.
 */
import type { Pod, ContainerPort } from 'kubernetes-types/core/v1.js';
import type { HostPortInfo } from './types.ts';

/** upstream DefaultBindAllHostIP */
export const DefaultBindAllHostIP = '0.0.0.0';

/**
 * The host ports a pod uses: containers, plus restartable (sidecar) init
 * containers which run for the pod's whole life; only hostPort > 0 counts.
 */
export function hostPortsOf(pod: Pod): readonly ContainerPort[] {
  // Allocates only for pods that have host ports (perf: NodeInfo calls this
  // on every pod added or removed, preemption's what-ifs included).
  let out: ContainerPort[] | null = null;
  const spec = pod.spec;
  if (!spec) return noPorts;
  const inits = spec.initContainers;
  if (inits) {
    for (const c of inits) {
      if (c.restartPolicy !== 'Always' || !c.ports) continue;
      for (const p of c.ports) if ((p.hostPort ?? 0) > 0) (out ??= []).push(p);
    }
  }
  const containers = spec.containers;
  if (containers) {
    for (let i = 0; i < containers.length; i++) {
      const ports = containers[i]!.ports;
      if (!ports) continue;
      for (let j = 0; j < ports.length; j++) if ((ports[j]!.hostPort ?? 0) > 0) (out ??= []).push(ports[j]!);
    }
  }
  return out ?? noPorts;
}

const noPorts: readonly ContainerPort[] = Object.freeze([]);

function ppKey(protocol: string, port: number): string {
  return `${protocol || 'TCP'}/${port}`;
}

export class HostPortInfoImpl implements HostPortInfo {
  /** ip -> set of "PROTOCOL/port" */
  private readonly byIP = new Map<string, Set<string>>();

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const addr = ip || DefaultBindAllHostIP;
    let s = this.byIP.get(addr);
    if (!s) this.byIP.set(addr, (s = new Set()));
    s.add(ppKey(protocol ?? '', port));
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const addr = ip || DefaultBindAllHostIP;
    const s = this.byIP.get(addr);
    if (!s) return;
    s.delete(ppKey(protocol ?? '', port));
    if (s.size === 0) this.byIP.delete(addr);
  }

  has(ip: string, protocol: string, port: number): boolean {
    return this.byIP.get(ip || DefaultBindAllHostIP)?.has(ppKey(protocol, port)) ?? false;
  }

  /** upstream CheckConflict: 0.0.0.0 conflicts with any IP using the same protocol/port, and vice versa. */
  conflicts(ip: string, protocol: string, port: number): boolean {
    if (port <= 0) return false;
    const addr = ip || DefaultBindAllHostIP;
    const key = ppKey(protocol, port);
    if (addr === DefaultBindAllHostIP) {
      for (const s of this.byIP.values()) if (s.has(key)) return true;
      return false;
    }
    return (this.byIP.get(addr)?.has(key) ?? false) || (this.byIP.get(DefaultBindAllHostIP)?.has(key) ?? false);
  }

  get size(): number {
    let n = 0;
    for (const s of this.byIP.values()) n += s.size;
    return n;
  }

  clone(): HostPortInfoImpl {
    const c = new HostPortInfoImpl();
    for (const [ip, s] of this.byIP) c.byIP.set(ip, new Set(s));
    return c;
  }
}
