/**
 * The NamespaceLifecycle admission plugin, following kube-apiserver v1.35
 * (unchanged since v1.31 in what ksim models, per the v1.32-v1.35 release notes)
 * (plugin/pkg/admission/namespace/lifecycle): objects cannot be created in a
 * namespace that does not exist or is being terminated, and the immortal
 * namespaces (default, kube-system, kube-public) cannot be deleted.
 */
import type { AdmissionPlugin } from '../sim/types.ts';
import { ApiError } from '../sim/errors.ts';
import { isNamespaced } from '../api/defaults.ts';

export const ImmortalNamespaces = ['default', 'kube-system', 'kube-public'];

export const namespaceLifecycleAdmission: AdmissionPlugin = {
  name: 'NamespaceLifecycle',
  validate(req) {
    const name = req.object.metadata.name ?? '';
    if (req.kind === 'Namespace') {
      if (req.operation === 'DELETE' && ImmortalNamespaces.includes(name)) {
        throw ApiError.forbidden('Namespace', name, 'this namespace may not be deleted');
      }
      return;
    }
    if (req.operation !== 'CREATE' || !isNamespaced(req.kind)) return;
    const ns = req.object.metadata.namespace ?? '';
    const namespace = req.store.get('Namespace', '', ns);
    if (!namespace) throw ApiError.notFound('Namespace', ns);
    if (namespace.metadata.deletionTimestamp) {
      throw ApiError.forbidden(req.kind, name, `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  },
};
