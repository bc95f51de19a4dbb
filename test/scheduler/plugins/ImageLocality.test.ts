// Cases from kube-scheduler v1.31 imagelocality/image_locality_test.go
// (TestImageLocalityPriority, TestNormalizedImageName).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ContainerImage, PodSpec } from 'kubernetes-types/core/v1';
import { factory, normalizedImageName, calculatePriority } from '../../../src/scheduler/plugins/ImageLocality.ts';
import { fakeHandle } from '../../../src/scheduler/framework/testing.ts';
import { makeNode, makePod, nodeInfo, runScore } from './pluginTestUtil.ts';

const mb = 1024 * 1024;
const img = (names: string[], size: number): ContainerImage => ({ names, sizeBytes: size * mb });
const c = (image: string) => ({ name: image.replace(/\W/g, ''), image });

const test40250: Partial<PodSpec> = { containers: [c('gcr.io/40'), c('gcr.io/250')] };
const test40300: Partial<PodSpec> = { containers: [c('gcr.io/40'), c('gcr.io/300')] };
const testMinMax: Partial<PodSpec> = { containers: [c('gcr.io/10'), c('gcr.io/4000')] };
const test300600900: Partial<PodSpec> = { containers: [c('gcr.io/300'), c('gcr.io/600'), c('gcr.io/900')] };
const test3040: Partial<PodSpec> = { containers: [c('gcr.io/30'), c('gcr.io/40')] };
const test30Init300: Partial<PodSpec> = { containers: [c('gcr.io/30')], initContainers: [c('gcr.io/300')] };

const node403002000 = [img(['gcr.io/40:latest', 'gcr.io/40:v1', 'gcr.io/40:v1'], 40), img(['gcr.io/300:latest', 'gcr.io/300:v1'], 300), img(['gcr.io/2000:latest'], 2000)];
const node25010 = [img(['gcr.io/250:latest'], 250), img(['gcr.io/10:latest', 'gcr.io/10:v1'], 10)];
const node60040900 = [img(['gcr.io/600:latest'], 600), img(['gcr.io/40:latest'], 40), img(['gcr.io/900:latest'], 900)];
const node300600900 = [img(['gcr.io/300:latest'], 300), img(['gcr.io/600:latest'], 600), img(['gcr.io/900:latest'], 900)];
const node400030 = [img(['gcr.io/4000:latest'], 4000), img(['gcr.io/30:latest'], 30)];
const node203040 = [img(['gcr.io/20:latest'], 20), img(['gcr.io/30:latest'], 30), img(['gcr.io/40:latest'], 40)];
const noImages: ContainerImage[] = [];

function scores(spec: Partial<PodSpec>, nodes: ContainerImage[][]): number[] {
  const nis = nodes.map((images, i) => nodeInfo(makeNode(`node${i + 1}`, { images })));
  const handle = fakeHandle({ nodes: nis });
  const plugin = factory(undefined, handle);
  return (runScore(plugin, makePod(spec), nis) as Array<{ score: number }>).map((s) => s.score);
}

describe('ImageLocality score (TestImageLocalityPriority)', () => {
  it('two images spread on two nodes, prefer the larger image one', () => {
    // 100 * (250M/2 - 23M) / (1000M * 2 - 23M) = 5
    expect(scores(test40250, [node403002000, node25010])).toEqual([0, 5]);
  });
  it('two images on one node, prefer this node', () => {
    // 100 * ((40M + 300M)/2 - 23M) / (1000M * 2 - 23M) = 7
    expect(scores(test40300, [node403002000, node25010])).toEqual([7, 0]);
  });
  it('if exceed limit, use limit', () => {
    expect(scores(testMinMax, [node400030, node25010])).toEqual([100, 0]);
  });
  it('if exceed limit, use limit (with node which has no images present)', () => {
    // 100 * (4000M/3 - 23M) / (1000M * 2 - 23M) = 66
    expect(scores(testMinMax, [node400030, node25010, noImages])).toEqual([66, 0, 0]);
  });
  it('pod with multiple large images, node2 is preferred', () => {
    expect(scores(test300600900, [node60040900, node300600900, noImages])).toEqual([32, 36, 0]);
  });
  it('pod with multiple small images', () => {
    expect(scores(test3040, [node203040, node400030])).toEqual([1, 0]);
  });
  it('include InitContainers: two images spread on two nodes, prefer the larger image one', () => {
    expect(scores(test30Init300, [node403002000, node203040])).toEqual([6, 0]);
  });
  it('scores stay in [0, 100] (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 5000 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), (sizes, numNodes) => {
        const images = sizes.map((s, i) => img([`img${i}:latest`], s));
        const nodes = Array.from({ length: numNodes }, (_, i) => (i === 0 ? images : []));
        const spec = { containers: sizes.map((_, i) => c(`img${i}`)) };
        for (const s of scores(spec, nodes)) {
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(100);
        }
      }),
    );
  });
  it('calculatePriority with no containers is 0, not a division by zero', () => {
    expect(calculatePriority(0, 0)).toBe(0);
  });
});

describe('normalizedImageName (TestNormalizedImageName)', () => {
  const digest = 'sha256:4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2';
  it.each([
    ['add :latest postfix 1', 'root', 'root:latest'],
    ['add :latest postfix 2', 'gcr.io:5000/root', 'gcr.io:5000/root:latest'],
    ['keep it as is 1', 'root:tag', 'root:tag'],
    ['keep it as is 2', `root@${digest}`, `root@${digest}`],
  ])('%s', (_n, input, output) => {
    expect(normalizedImageName(input)).toBe(output);
  });
});
