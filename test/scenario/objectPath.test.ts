import { describe, expect, it } from 'vitest';
import { getPath, matchesFieldSelector, parseFieldSelector, parseObjectPath, PathSyntaxError } from '../../src/scenario/objectPath.ts';

const pod = {
  metadata: { name: 'web', labels: { app: 'web', 'app.kubernetes.io/name': 'shop' } },
  spec: { containers: [{ name: 'c', resources: { requests: { cpu: '100m' } } }] },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False' },
    ],
  },
};

describe('expectation paths', () => {
  it.each([
    ['status.phase', 'Running'],
    ['status.conditions[0].status', 'True'],
    ['status.conditions[type=Ready].status', 'False'],
    ['metadata.labels[app]', 'web'],
    ['metadata.labels[app.kubernetes.io/name]', 'shop'],
    ['spec.containers[0].resources.requests.cpu', '100m'],
    ['spec.containers[0].resources.requests[cpu]', '100m'],
    ['status.conditions[5].status', undefined],
    ['status.missing.deeper', undefined],
    ['metadata.labels[nope]', undefined],
  ])('%s -> %s', (p, want) => {
    expect(getPath(pod, parseObjectPath(p))).toBe(want);
  });

  it.each(['', '.status', 'status..phase', 'status.', '{.status.phase}', '$.status', 'status.conditions[', 'status.conditions[]', 'status.conditions[*]', 'status.conditions[0]x', 'status.co nditions'])(
    'rejects %j',
    (p) => {
      expect(() => parseObjectPath(p)).toThrow(PathSyntaxError);
    },
  );

  it('does not read inherited properties', () => {
    expect(getPath({}, parseObjectPath('constructor'))).toBeUndefined();
  });
});

describe('field selectors', () => {
  it('matches = , == and != terms together', () => {
    expect(matchesFieldSelector(pod, parseFieldSelector('status.phase=Running'))).toBe(true);
    expect(matchesFieldSelector(pod, parseFieldSelector('status.phase==Running,metadata.name=web'))).toBe(true);
    expect(matchesFieldSelector(pod, parseFieldSelector('status.phase!=Running'))).toBe(false);
    // A missing field is the empty string, as upstream's field sets.
    expect(matchesFieldSelector(pod, parseFieldSelector('spec.nodeName='))).toBe(true);
    expect(matchesFieldSelector(pod, parseFieldSelector('spec.nodeName!=node-1'))).toBe(true);
  });

  it.each(['status.phase', 'a=b,,c=d', '=x'])('rejects %j', (s) => {
    expect(() => parseFieldSelector(s)).toThrow(PathSyntaxError);
  });
});
