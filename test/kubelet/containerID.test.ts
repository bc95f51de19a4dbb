/**
 * Container IDs are built as one flat string (join): the text must be the
 * template's, for any pod uid, index and restart count.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { containerID } from '../../src/kubelet/podLifecycle.ts';

describe('containerID', () => {
  it('is containerd://<uid without dashes><index, 2 hex digits><restart count in hex> (fast-check)', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 100_000 }), (uid, index, restarts) => {
        expect(containerID(uid, index, restarts)).toBe(`containerd://${uid.replace(/-/g, '')}${index.toString(16).padStart(2, '0')}${restarts.toString(16)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('drops every dash of any uid as replaceAll does (dashes leading, trailing, doubled, or none; fast-check)', () => {
    fc.assert(
      fc.property(fc.stringOf(fc.constantFrom('-', '-', 'a', '0', 'f', 'é', ' ')), fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 70 }), (uid, index, restarts) => {
        expect(containerID(uid, index, restarts)).toBe(`containerd://${uid.replaceAll('-', '')}${index.toString(16).padStart(2, '0')}${restarts.toString(16)}`);
      }),
      { numRuns: 400 },
    );
  });
});
