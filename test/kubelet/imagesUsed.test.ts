/**
 * NodeImages.used: a container start marks its image used (image GC frees
 * least recently used first). With no image tracked on the node it returns at
 * once (no normalised name made and looked up); with images tracked it must
 * still move the used one, tagged or not, to the back of the GC order.
 */
import { describe, expect, it } from 'vitest';
import { NodeImages } from '../../src/kubelet/images.ts';

const MiB = 1024 * 1024;

describe('NodeImages.used', () => {
  it('moves a tracked image to the back of the GC order (with or without its :latest tag)', () => {
    for (const name of ['busybox', 'busybox:latest']) {
      const images = new NodeImages({ busybox: { size: '10Mi' }, 'nginx:1.27': { size: '10Mi' } }, 1);
      images.seed([{ names: ['docker.io/library/busybox:latest'], sizeBytes: 10 * MiB }, { names: ['docker.io/library/nginx:1.27'], sizeBytes: 10 * MiB }], 0);
      images.used(name, 1000);
      // One image's worth to free: the least recently used goes, which is nginx now.
      expect(images.freeSpace(10 * MiB, new Set(), 2000, 0)).toBe(10 * MiB);
      expect(images.has('busybox')).toBe(true);
      expect(images.has('nginx:1.27')).toBe(false);
    }
  });

  it('does nothing on a node with no image tracked', () => {
    const images = new NodeImages(undefined, 1);
    images.used('busybox', 1000);
    expect(images.count()).toBe(0);
    expect(images.totalBytes()).toBe(0);
  });
});
