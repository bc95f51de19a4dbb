// Versioned feature gates as upstream's featuregate.VersionedSpecs: the spec in force at the
// emulated version, explicit settings validated in upstream's words.
import { describe, expect, it } from 'vitest';
import { FeatureGates, FeatureGateError, KUBERNETES_VERSION, normalizeEmulatedVersion, parseFeatureGateFlag, specAt } from '../../src/api/featureGates.ts';

describe('feature gates by emulated version', () => {
  it.each([
    // gate, version, expected default
    ['SchedulerQueueingHints', '1.32', true],
    ['PodLevelResources', '1.33', false],
    ['PodLevelResources', '1.34', true],
    ['HPAConfigurableTolerance', '1.34', false],
    ['HPAConfigurableTolerance', '1.35', true],
    ['MaxUnavailableStatefulSet', '1.34', false],
    ['MaxUnavailableStatefulSet', '1.35', true],
    ['PodObservedGenerationTracking', '1.33', false],
    ['PodObservedGenerationTracking', '1.34', true],
    ['KubeletCrashLoopBackOffMax', '1.34', false],
    ['DeploymentReplicaSetTerminatingReplicas', '1.35', true],
  ] as Array<[string, string, boolean]>)('%s at %s defaults to %s', (gate, version, want) => {
    expect(FeatureGates.resolve({ emulatedVersion: version }).enabled(gate)).toBe(want);
  });

  it('the default is the newest release ksim follows', () => {
    expect(FeatureGates.defaults().emulatedVersion).toBe(KUBERNETES_VERSION);
    expect(FeatureGates.resolve({ emulatedVersion: '1.33' }).atLeast('1.34')).toBe(false);
    expect(FeatureGates.resolve({ emulatedVersion: '1.34' }).atLeast('1.34')).toBe(true);
  });

  it('the spec in force is the last one at or before the version', () => {
    expect(specAt('SchedulerQueueingHints', '1.33')).toEqual({ version: '1.32', default: true, preRelease: 'Beta' });
    expect(specAt('SchedulerQueueingHints', '1.35')).toEqual({ version: '1.34', default: true, preRelease: 'GA', lockToDefault: true });
    expect(specAt('GangSchedulingThatDoesNotExist', '1.35')).toBeUndefined();
  });

  it('settings override defaults; locked, unknown and not-yet-existing gates are refused as upstream says', () => {
    expect(FeatureGates.resolve({ emulatedVersion: '1.33', settings: { SchedulerQueueingHints: false } }).enabled('SchedulerQueueingHints')).toBe(false);
    expect(() => FeatureGates.resolve({ settings: { SchedulerQueueingHints: false } })).toThrow(new FeatureGateError('cannot set feature gate SchedulerQueueingHints to false, feature is locked to true'));
    expect(() => FeatureGates.resolve({ settings: { NoSuchGate: true } })).toThrow('unrecognized feature gate: NoSuchGate');
    expect(() => FeatureGates.resolve({ emulatedVersion: '1.32', settings: { HPAConfigurableTolerance: true } })).toThrow(
      'cannot set feature gate HPAConfigurableTolerance to true, feature is PreAlpha at emulated version 1.32',
    );
  });

  it('emulated versions: forms accepted and the supported range', () => {
    expect(normalizeEmulatedVersion('v1.34.2')).toBe('1.34');
    expect(() => normalizeEmulatedVersion('1.29')).toThrow('emulation version 1.29 is not between [1.32, 1.35]');
    expect(() => normalizeEmulatedVersion('latest')).toThrow(/invalid emulated version "latest"/);
  });

  it('--feature-gates text as cliflag.MapStringBool', () => {
    expect(parseFeatureGateFlag('A=true, B=false,C=1,,D=F')).toEqual({ A: true, B: false, C: true, D: false });
    expect(() => parseFeatureGateFlag('A')).toThrow('missing bool value for A');
    expect(() => parseFeatureGateFlag('A=yes')).toThrow(/invalid value of A=yes/);
  });
});
