// schedulePod hands a successful cycle's untouched Diagnosis to the next cycle
// (algorithm.ts takeDiagnosis / recycleDiagnosis); anything written into it
// must keep it from being reused, or a later failure would report another
// cycle's nodes and plugins.
import { describe, expect, it } from 'vitest';
import { recycleDiagnosis, takeDiagnosis } from '../../src/scheduler/framework/algorithm.ts';
import { newDiagnosis, type Diagnosis } from '../../src/scheduler/framework/fitError.ts';
import { Code, Status } from '../../src/scheduler/framework/types.ts';

const dirtyings: Array<[string, (d: Diagnosis) => void]> = [
  ['a node status', (d) => d.nodeToStatus.set('n1', new Status(Code.Unschedulable, ['x']))],
  ['an unschedulable plugin', (d) => d.unschedulablePlugins.add('NodeResourcesFit')],
  ['a pending plugin', (d) => d.pendingPlugins.add('DynamicResources')],
  ['an absent-nodes status', (d) => (d.absentNodesStatus = new Status(Code.UnschedulableAndUnresolvable, ['y']))],
  ['a PreFilter message', (d) => (d.preFilterMsg = 'z')],
  ['a PostFilter message', (d) => (d.postFilterMsg = 'w')],
];

describe('Diagnosis reuse between cycles', () => {
  it('an untouched diagnosis is taken by the next cycle, once', () => {
    const d = takeDiagnosis();
    recycleDiagnosis(d);
    expect(takeDiagnosis()).toBe(d);
    const next = takeDiagnosis();
    expect(next).not.toBe(d);
    expect(next).toEqual(newDiagnosis());
  });

  it.each(dirtyings)('a diagnosis holding %s is never reused', (_what, dirty) => {
    takeDiagnosis();
    const d = takeDiagnosis();
    dirty(d);
    recycleDiagnosis(d);
    const next = takeDiagnosis();
    expect(next).not.toBe(d);
    expect(next).toEqual(newDiagnosis());
  });
});
