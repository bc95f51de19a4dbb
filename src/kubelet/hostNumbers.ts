/**
 * The host numbers (last octet and above) of a node's pod IPs in use: the lowest free one is given to a
 * new pod, and returned when the pod is done or gone.
 *
 * Numbers 1 to 31 are the bits of `usedLow`, a field of the owner's (the kubelet's node agent) rather than
 * entries of a set: the agent is in the CPU caches when a pod starts or ends on its node, a set of its own
 * mostly is not (a cache miss per pod start and end, ~0.2% of a churn run), and nodes rarely run more than
 * 31 pods at once. Higher numbers go to `usedHigh`.
 */
export interface HostNumbers {
  usedLow: number;
  usedHigh: Set<number>;
  /** Every host number below this one is in use (so the lowest free one is found without a scan from 1). */
  freeFrom: number;
}

/** Numbers below this one are bits of usedLow (1 << 31 is still a bit of its own in an int32). */
const LowHosts = 32;

function inUse(h: HostNumbers, host: number): boolean {
  return host < LowHosts ? (h.usedLow & (1 << host)) !== 0 : h.usedHigh.has(host);
}

/** The lowest free host number from freeFrom on, now in use. */
export function allocateHost(h: HostNumbers): number {
  let host = h.freeFrom;
  while (inUse(h, host)) host++;
  if (host < LowHosts) h.usedLow |= 1 << host;
  else h.usedHigh.add(host);
  h.freeFrom = host + 1;
  return host;
}

/** `host` is free again (nothing when it was not in use). */
export function releaseHost(h: HostNumbers, host: number): void {
  let released: boolean;
  if (host < LowHosts) {
    const bit = 1 << host;
    released = (h.usedLow & bit) !== 0;
    h.usedLow &= ~bit;
  } else released = h.usedHigh.delete(host);
  if (released && host < h.freeFrom) h.freeFrom = host;
}
