/**
 * The DefaultTolerationSeconds admission plugin, following kube-apiserver
 * v1.35, unchanged since v1.31 (plugin/pkg/admission/defaulttolerationseconds): every new pod that
 * does not already tolerate them gets NoExecute tolerations for
 * node.kubernetes.io/not-ready and node.kubernetes.io/unreachable with
 * tolerationSeconds 300, which is where the "pods are evicted 5 minutes after
 * their node goes away" behaviour comes from.
 */
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import type { AdmissionPlugin, KObject } from '../sim/types.ts';

export const TaintNodeNotReady = 'node.kubernetes.io/not-ready';
export const TaintNodeUnreachable = 'node.kubernetes.io/unreachable';
/** --default-not-ready-toleration-seconds and --default-unreachable-toleration-seconds */
export const DefaultTolerationSeconds = 300;

/**
 * Whether an existing toleration already covers `key` for NoExecute. Upstream
 * looks only at key and effect: an empty key or empty effect counts as a match.
 */
function tolerates(tolerations: readonly Toleration[], key: string): boolean {
  for (let i = 0; i < tolerations.length; i++) {
    const t = tolerations[i]!;
    if ((t.key === key || (t.key ?? '') === '') && (t.effect === 'NoExecute' || (t.effect ?? '') === '')) return true;
  }
  return false;
}

const NoTolerations: readonly Toleration[] = Object.freeze([]);

export const defaultTolerationSecondsAdmission: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  kinds: ['Pod'],
  mutate(req) {
    if (req.operation !== 'CREATE') return;
    const pod = req.object as Pod & KObject;
    if (!pod.spec) return;
    // Every created pod passes here: only the list it keeps is allocated (no literal key list, iterator or spread).
    const existing = pod.spec.tolerations ?? NoTolerations;
    const notReady = !tolerates(existing, TaintNodeNotReady);
    const unreachable = !tolerates(existing, TaintNodeUnreachable);
    if (!notReady && !unreachable) return;
    // Copied by pushes, not slice(): slice() of a frozen array (the shared empty list, a stored template's) takes
    // V8's slow path, several times the cost of the copy, and gives a holey array.
    const out: Toleration[] = [];
    for (let i = 0; i < existing.length; i++) out.push(existing[i]!);
    if (notReady) out.push({ key: TaintNodeNotReady, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DefaultTolerationSeconds });
    if (unreachable) out.push({ key: TaintNodeUnreachable, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DefaultTolerationSeconds });
    pod.spec.tolerations = out;
  },
};
