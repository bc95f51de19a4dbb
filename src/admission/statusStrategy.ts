/**
 * The registry strategies' PrepareForCreate/PrepareForUpdate for kinds with a
 * status subresource (ResourceQuota, PodDisruptionBudget, ...): a write of the
 * main resource never sets status. On create it is cleared; on update the
 * stored status is kept. Controllers write status through the subresource.
 */
import type { AdmissionRequest } from '../sim/types.ts';

export function resetStatusOnMainResourceWrite(req: AdmissionRequest): void {
  const o = req.object as { status?: unknown };
  if (req.operation === 'CREATE') delete o.status;
  else if (req.operation === 'UPDATE') {
    const old = (req.oldObject as { status?: unknown } | undefined)?.status;
    if (old === undefined) delete o.status;
    else o.status = old;
  }
}
