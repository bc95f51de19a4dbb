// Per-release API validation found by the v1.32 → v1.35 release-notes audit
// (docs/release-audit-1.32-1.35.md): the same object validated under two
// emulated versions.
import { describe, expect, it } from 'vitest';
import type { KObject } from '../../src/sim/types.ts';
import { FeatureGates } from '../../src/api/featureGates.ts';
import { validateObject } from '../../src/api/validation.ts';
import { formatFieldError } from '../../src/api/errors.ts';
import { DEFAULT_EVICTION_HARD, defaultKubeletConfiguration } from '../../src/api/kubeletConfig.ts';

const gates = (version: string) => FeatureGates.resolve({ emulatedVersion: version });

function statefulSet(spec: Record<string, unknown>): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      ...spec,
    },
  } as KObject;
}

const errorsOf = (obj: KObject, version: string): string[] => validateObject(obj, gates(version)).map(formatFieldError);

describe('StatefulSet validation added in v1.33', () => {
  const badService =
    "spec.serviceName: Invalid value: \"Web_Svc\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  it.each([
    ['1.32', { serviceName: 'Web_Svc' }, []],
    ['1.33', { serviceName: 'Web_Svc' }, [badService]],
    ['1.35', { serviceName: 'Web_Svc' }, [badService]],
    ['1.35', { serviceName: 'web-svc' }, []],
    ['1.35', { serviceName: '' }, []],
    ['1.32', { revisionHistoryLimit: -1 }, []],
    ['1.33', { revisionHistoryLimit: -1 }, ['spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0']],
    ['1.35', { revisionHistoryLimit: 0 }, []],
  ] as Array<[string, Record<string, unknown>, string[]]>)('emulated %s, %j', (version, spec, want) => {
    expect(errorsOf(statefulSet(spec), version)).toEqual(want);
  });

  it('without gates validateObject follows the newest release', () => {
    expect(validateObject(statefulSet({ revisionHistoryLimit: -2 })).map(formatFieldError)).toEqual(['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0']);
  });
});

describe('KubeletConfiguration mergeDefaultEvictionSettings (a field since v1.33)', () => {
  it.each([
    ['absent: the given evictionHard is used as given', undefined, { 'memory.available': '500Mi' }],
    ['false: as given', false, { 'memory.available': '500Mi' }],
    [
      'true: the omitted default signals keep their defaults, the given ones win',
      true,
      { 'memory.available': '500Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%', 'imagefs.available': '15%', 'imagefs.inodesFree': '5%' },
    ],
  ] as Array<[string, boolean | undefined, Record<string, string>]>)('%s', (_name, merge, want) => {
    const kc = defaultKubeletConfiguration({ evictionHard: { 'memory.available': '500Mi' }, ...(merge !== undefined ? { mergeDefaultEvictionSettings: merge } : {}) });
    expect(kc.evictionHard).toEqual(want);
  });
  it('without evictionHard the defaults apply either way', () => {
    expect(defaultKubeletConfiguration({ mergeDefaultEvictionSettings: true }).evictionHard).toEqual({ ...DEFAULT_EVICTION_HARD });
  });
});

describe('the API server validates as the emulated release', () => {
  it('a StatefulSet serviceName that is not a DNS-1123 label is refused from v1.33, accepted at 1.32', async () => {
    const { Simulation } = await import('../../src/sim/simulation.ts');
    const { startApiServer } = await import('../../src/components.ts');
    const { FeatureGates } = await import('../../src/api/featureGates.ts');
    const sts = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        serviceName: 'Web_Service',
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
      },
    };
    const create = (version: string) => {
      const sim = Simulation.create({ seed: 1 });
      startApiServer(sim, FeatureGates.resolve({ emulatedVersion: version }));
      return () => sim.store.create(structuredClone(sts) as never);
    };
    expect(create('1.32')).not.toThrow();
    expect(create('1.33')).toThrow(/spec\.serviceName/);
  });
});
