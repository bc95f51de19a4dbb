import { describe, expect, it } from 'vitest';
import { ApiError, aggregate, qualifiedResource, resourceName } from '../../src/sim/errors.ts';

describe('resourceName', () => {
  // Plural resource names as registered by kube-apiserver.
  it.each([
    ['Pod', 'pods'],
    ['Node', 'nodes'],
    ['Deployment', 'deployments'],
    ['ReplicaSet', 'replicasets'],
    ['PriorityClass', 'priorityclasses'],
    ['PersistentVolumeClaim', 'persistentvolumeclaims'],
    ['Endpoints', 'endpoints'],
    ['Ingress', 'ingresses'],
    ['NetworkPolicy', 'networkpolicies'],
    ['CSIStorageCapacity', 'csistoragecapacities'],
    // unknown kinds: apimachinery's UnsafeGuessKindToResource rules
    ['Widget', 'widgets'],
    ['Bus', 'buses'],
    ['Policy', 'policies'],
    ['Gateway', 'gateways'],
  ])('%s -> %s', (kind, plural) => {
    expect(resourceName(kind)).toBe(plural);
  });

  it('qualifies non-core groups as GroupResource.String()', () => {
    expect(qualifiedResource('Pod')).toBe('pods');
    expect(qualifiedResource('Deployment')).toBe('deployments.apps');
    expect(qualifiedResource('Widget', 'example.com/v1')).toBe('widgets.example.com');
  });
});

describe('ApiError messages (k8s.io/apimachinery/pkg/api/errors)', () => {
  it('AlreadyExists', () => {
    const e = ApiError.alreadyExists('Pod', 'web-0');
    expect([e.reason, e.code, e.message]).toEqual(['AlreadyExists', 409, 'pods "web-0" already exists']);
  });
  it('NotFound', () => {
    const e = ApiError.notFound('Pod', 'x');
    expect([e.reason, e.code, e.message]).toEqual(['NotFound', 404, 'pods "x" not found']);
    expect(ApiError.notFound('Deployment', 'web').message).toBe('deployments.apps "web" not found');
  });
  it('Conflict', () => {
    const e = ApiError.conflict('Pod', 'x');
    expect([e.reason, e.code]).toEqual(['Conflict', 409]);
    expect(e.message).toBe(
      'Operation cannot be fulfilled on pods "x": the object has been modified; please apply your changes to the latest version and try again',
    );
  });
  it('Invalid with one error renders it bare', () => {
    const e = ApiError.invalid('Pod', 'x', [{ path: 'spec.containers', type: 'Required', detail: '' }]);
    expect([e.reason, e.code, e.message]).toEqual(['Invalid', 422, 'Pod "x" is invalid: spec.containers: Required value']);
  });
  it('Invalid with several errors renders the aggregate list', () => {
    const e = ApiError.invalid('Pod', 'x', [
      { path: 'metadata.name', type: 'Invalid', value: 'X', detail: 'must be lowercase' },
      { path: 'spec.containers', type: 'Required', detail: '' },
    ]);
    expect(e.message).toBe('Pod "x" is invalid: [metadata.name: Invalid value: "X": must be lowercase, spec.containers: Required value]');
    expect(ApiError.invalid('Deployment', 'd', [{ path: 'spec.replicas', type: 'Invalid', value: -1, detail: 'must be greater than or equal to 0' }]).message).toBe(
      'Deployment.apps "d" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    );
  });
  it('Forbidden', () => {
    const e = ApiError.forbidden('Pod', 'x', 'exceeded quota: q');
    expect([e.reason, e.code, e.message]).toEqual(['Forbidden', 403, 'pods "x" is forbidden: exceeded quota: q']);
    expect(ApiError.forbidden('Pod', '', 'no').message).toBe('pods is forbidden: no');
  });
  it('InternalError', () => {
    expect(ApiError.internalError('boom').message).toBe('Internal error occurred: boom');
  });
  it('aggregate drops duplicate messages', () => {
    expect(aggregate(['a', 'b', 'a'])).toBe('[a, b]');
    expect(aggregate(['a', 'a'])).toBe('a');
  });
});
