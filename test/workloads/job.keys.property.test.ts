/**
 * JobKeys (the Job controller's kept queue keys) against building the key each time: over generated
 * sequences of pods naming Job uids (same uid with other names or namespaces included), every answer is
 * [`${namespace}/${name}`], and nothing stays kept once every uid is released.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JobKeys } from '../../src/workloads/job/jobKeys.ts';

const op = fc.record({
  kind: fc.constantFrom('keep', 'keysOf', 'release'),
  uid: fc.constantFrom('u1', 'u2', 'u3'),
  namespace: fc.constantFrom('default', 'other', ''),
  name: fc.constantFrom('a', 'b', 'job-1'),
});

describe('JobKeys', () => {
  it('always answers the one-key list namespace/name, as building it each time does', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const k = new JobKeys();
        for (const o of ops) {
          if (o.kind === 'release') {
            k.release(o.uid);
            continue;
          }
          const got = o.kind === 'keep' ? k.keep(o.uid, o.namespace, o.name) : k.keysOf(o.uid, o.namespace, o.name);
          expect(got).toEqual([`${o.namespace}/${o.name}`]);
        }
        for (const u of ['u1', 'u2', 'u3']) k.release(u);
        expect(k.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('hands out the same list for the same uid, namespace and name while kept', () => {
    const k = new JobKeys();
    const a = k.keep('u1', 'default', 'a');
    expect(k.keysOf('u1', 'default', 'a')).toBe(a);
    expect(k.keep('u1', 'default', 'a')).toBe(a);
    expect(k.keysOf('u1', 'default', 'b')).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});
