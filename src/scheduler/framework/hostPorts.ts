/**
 * Host ports in use on a node, following kube-scheduler v1.31
 * pkg/scheduler/framework/types.go (HostPortInfo: Add, Remove, CheckConflict,
 * sanitize) and pkg/scheduler/util (GetHostPorts).
 *
 * Like upstream it is a set keyed by IP then protocol/port: removing a pod's
 * port removes the entry even if another pod declared the same one.
 */
import type { Pod, ContainerPort } from 'kubernetes-types/core/v1';
import type { HostPortInfo } from './types.ts';

/** upstream DefaultBindAllHostIP */
export const DefaultBindAllHostIP = '0.0.0.0';

/**
 * The host ports a pod uses: containers, plus restartable (sidecar) init
 * containers which run for the pod's whole life; only hostPort > 0 counts.
 */
export function hostPortsOf(pod: Pod): ContainerPort[] {
  const out: ContainerPort[] = [];
  const spec = pod.spec;
  if (!spec) return out;
  for (const c of spec.initContainers ?? []) {
    if (c.restartPolicy !== 'Always') continue;
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  }
  for (const c of spec.containers ?? []) {
    for (const p of c.ports ?? []) if ((p.hostPort ?? 0) > 0) out.push(p);
  }
  return out;
}

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
