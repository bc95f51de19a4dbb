/**
 * NodeImages.used returns at once while the node tracks no image, read from a count kept beside the map
 * (images.ts `tracked`). Over generated sequences of seeds, pulls, uses and garbage collections, what the
 * node reports and what its garbage collector frees equal those of a node that looks every use up.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { imageSpec, NodeImages, type ImageConfig } from '../../src/kubelet/images.ts';

const config: ImageConfig = { busybox: { size: '10Mi' }, 'nginx:1.27': { size: '20Mi' }, redis: { size: '30Mi' } };
const names = ['busybox', 'busybox:latest', 'nginx:1.27', 'redis', 'other:1'];
const MiB = 1024 * 1024;

type Op = { t: 'seed'; image: number } | { t: 'pulled'; image: number } | { t: 'used'; image: number } | { t: 'free'; mib: number };

const image = fc.integer({ min: 0, max: names.length - 1 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('seed' as const), image }),
  { weight: 2, arbitrary: fc.record({ t: fc.constant('pulled' as const), image }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('used' as const), image }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('free' as const), mib: fc.constantFrom(10, 30, 1000) }) },
);

function run(ops: readonly Op[], skip: boolean): string[] {
  const imgs = new NodeImages(config, 1, skip);
  const out: string[] = [];
  ops.forEach((o, i) => {
    const now = i * 1000;
    switch (o.t) {
      case 'seed':
        imgs.seed([{ names: [`docker.io/library/${names[o.image]!}`], sizeBytes: 5 * MiB }], now);
        break;
      case 'pulled':
        imgs.pulled(names[o.image]!, imageSpec(config, names[o.image]!), now);
        break;
      case 'used':
        imgs.used(names[o.image]!, now);
        break;
      case 'free':
        out.push(String(imgs.freeSpace(o.mib * MiB, new Set(), now, 0)));
        break;
    }
    out.push(JSON.stringify(imgs.statusImages()));
  });
  return out;
}

describe('NodeImages: the tracked count', () => {
  it('leaves what the node reports and frees as looking every use up does', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40 }), (ops) => {
        expect(run(ops, true)).toEqual(run(ops, false));
      }),
      { numRuns: 300 },
    );
  });
});
