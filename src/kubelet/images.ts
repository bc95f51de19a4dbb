/**
 * The node's image store and the kubelet's image manager, following
 * pkg/kubelet/images (image_manager.go EnsureImageExists, puller.go,
 * image_gc_manager.go), v1.31:
 *
 *  - imagePullPolicy: Never uses only a present image (else ErrImageNeverPull),
 *    IfNotPresent pulls when absent, Always pulls every time (a present image's
 *    layers are cached, so only the manifest check costs time: ksim takes 1/10
 *    of the pull time, at least 100 ms).
 *  - serializeImagePulls (default true): one pull at a time per node, later
 *    ones wait; the Pulled event's "including waiting" shows the wait. With
 *    serializeImagePulls false, maxParallelImagePulls pulls at once (unset:
 *    no limit).
 *  - image GC: when image-filesystem usage passes imageGCHighThresholdPercent,
 *    unused images (no container uses them) older than imageMinimumGCAge are
 *    deleted least recently used first until usage is under
 *    imageGCLowThresholdPercent; the eviction manager also deletes all unused
 *    images to relieve DiskPressure (DeleteUnusedImages).
 *
 * Only images the scenario describes in `spec.config.images`
 * ({<image>: {size, pullTime}}) are pulled and tracked: size defaults to
 * 100Mi and pullTime to the size at 100 MiB/s. Every other image is taken as
 * pre-pulled on every node (no pull, no size, not in node.status.images), so
 * scenarios that do not care about images start pods as before.
 */
import type { ContainerImage } from 'kubernetes-types/core/v1.js';
import type { Time } from '../sim/types.ts';
import { Quantity } from '../api/quantity.ts';
import { parseDuration } from '../api/duration.ts';
import type { FieldError } from '../api/errors.ts';

export interface ImageSpec {
  sizeBytes: number;
  pullTime: Time;
}

export const DEFAULT_IMAGE_SIZE = 100 * 1024 * 1024;
/** Bytes per millisecond (100 MiB/s) for images without a configured pull time. */
export const DEFAULT_PULL_BANDWIDTH = (100 * 1024 * 1024) / 1000;
/** nodeStatusMaxImages default: at most 50 images in node.status.images, largest first. */
export const NODE_STATUS_MAX_IMAGES = 50;

/** Upstream's normalisation for matching: a reference without a tag or digest means ":latest". */
export function imageWithTag(image: string): string {
  if (image.includes('@')) return image;
  const slash = image.lastIndexOf('/');
  return image.indexOf(':', slash + 1) >= 0 ? image : `${image}:latest`;
}

/** The fully qualified name the runtime reports ("nginx:1.27" -> "docker.io/library/nginx:1.27"). */
export function fullImageName(image: string): string {
  const tagged = imageWithTag(image);
  const first = tagged.split('/')[0] ?? '';
  const hasRegistry = tagged.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return tagged;
  return tagged.includes('/') ? `docker.io/${tagged}` : `docker.io/library/${tagged}`;
}

export type ImageConfig = Record<string, { size?: string | number; pullTime?: string }>;

/** Validate `spec.config.images` (field errors with paths from `path`). */
export function validateImageConfig(v: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return [{ path, type: 'TypeInvalid', value: v, detail: 'must be a map of image name to {size, pullTime}' }];
  for (const [image, spec] of Object.entries(v as Record<string, unknown>)) {
    const p = `${path}[${image}]`;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      out.push({ path: p, type: 'TypeInvalid', value: spec, detail: 'must be an object with size and/or pullTime' });
      continue;
    }
    for (const [k, x] of Object.entries(spec as Record<string, unknown>)) {
      if (k === 'size') {
        const q = Quantity.tryParse(x);
        if (q === undefined || q.sign() < 0) out.push({ path: `${p}.size`, type: 'Invalid', value: x, detail: 'must be a non-negative quantity such as "250Mi"' });
      } else if (k === 'pullTime') {
        let ok = typeof x === 'string';
        if (ok) {
          try {
            ok = parseDuration(x as string) >= 0;
          } catch {
            ok = false;
          }
        }
        if (!ok) out.push({ path: `${p}.pullTime`, type: 'Invalid', value: x, detail: 'must be a non-negative duration such as "1.5s"' });
      } else out.push({ path: `${p}.${k}`, type: 'FieldValueUnknown', detail: '' });
    }
  }
  return out;
}

/** The pull time and size of an image under the scenario's image table. */
export function imageSpec(config: ImageConfig | undefined, image: string): ImageSpec {
  const c = config?.[image] ?? config?.[imageWithTag(image)];
  const size = c?.size !== undefined ? Quantity.tryParse(c.size)?.value() ?? DEFAULT_IMAGE_SIZE : DEFAULT_IMAGE_SIZE;
  let pullTime = Math.round(size / DEFAULT_PULL_BANDWIDTH);
  if (c?.pullTime !== undefined) {
    try {
      pullTime = parseDuration(c.pullTime);
    } catch {
      // validated by the loader
    }
  }
  return { sizeBytes: size, pullTime };
}

interface StoredImage {
  name: string;
  sizeBytes: number;
  /** Last time a container started from it (or it was pulled). */
  lastUsed: Time;
  firstDetected: Time;
}

export type PullDecision =
  | { kind: 'present' }
  | { kind: 'never' }
  | { kind: 'pull'; startAt: Time; doneAt: Time; spec: ImageSpec };

/** The decisions without a pull, made once (perf: an object per container start otherwise); frozen, as callers only read them. */
const Present: PullDecision = Object.freeze({ kind: 'present' });
const Never: PullDecision = Object.freeze({ kind: 'never' });

/** One node's images and its puller. */
export class NodeImages {
  private readonly images = new Map<string, StoredImage>();
  /**
   * images.size, kept here after each change of the map: used() asks it at every container start, and this
   * object is in the caches then (ensure() has just read it) while the map mostly is not (a cache miss per pod).
   */
  private tracked = 0;
  /** When each of the puller's slots is next free (one slot when pulls are serialized). */
  private readonly slots: number[] = [];
  /** Image name -> when its in-flight pull finishes (pulls of one image are shared). */
  private readonly inFlight = new Map<string, Time>();

  /**
   * `parallel`: 1 with serializeImagePulls (the default), else
   * maxParallelImagePulls (unset: no limit).
   */
  constructor(
    private readonly config: ImageConfig | undefined,
    private readonly parallel: number,
    /** false: used() looks every image up, tracked or not (for tests that compare the two). */
    private readonly skipUntracked = true,
  ) {}

  /** Seed from node.status.images given in the scenario. */
  seed(images: readonly ContainerImage[] | undefined, now: Time): void {
    for (const img of images ?? []) {
      const name = img.names?.find((n) => !n.includes('@')) ?? img.names?.[0];
      if (!name) continue;
      const key = imageWithTag(name.startsWith('docker.io/library/') ? name.slice('docker.io/library/'.length) : name);
      this.images.set(key, { name: key, sizeBytes: img.sizeBytes ?? 0, lastUsed: now, firstDetected: now });
    }
    this.tracked = this.images.size;
  }

  /** Whether spec.config.images describes the image (only those are pulled and tracked). */
  configured(image: string): boolean {
    return this.config !== undefined && (this.config[image] !== undefined || this.config[imageWithTag(image)] !== undefined);
  }

  has(image: string): boolean {
    return this.images.has(imageWithTag(image));
  }

  /** EnsureImageExists's decision for one container image. */
  ensure(image: string, policy: string | undefined, now: Time): PullDecision {
    // Images the scenario does not describe are taken as pre-pulled on every node: no pull, no size.
    if (!this.configured(image)) return Present;
    const key = imageWithTag(image);
    const present = this.images.has(key);
    if (policy === 'Never') return present ? Present : Never;
    if (present && policy !== 'Always') return Present;
    const spec = imageSpec(this.config, image);
    const cost = present ? Math.max(100, Math.round(spec.pullTime / 10)) : spec.pullTime;
    const pending = this.inFlight.get(key);
    if (pending !== undefined && pending >= now) return { kind: 'pull', startAt: now, doneAt: pending, spec };
    let startAt = now;
    if (Number.isFinite(this.parallel)) {
      // The earliest free slot (a full puller queues the request, as the parallel puller's semaphore does).
      if (this.slots.length < this.parallel) this.slots.push(0);
      let best = 0;
      for (let i = 1; i < this.slots.length; i++) if (this.slots[i]! < this.slots[best]!) best = i;
      startAt = Math.max(now, this.slots[best]!);
      this.slots[best] = startAt + cost;
    }
    const doneAt = startAt + cost;
    this.inFlight.set(key, doneAt);
    return { kind: 'pull', startAt, doneAt, spec };
  }

  /** A pull finished: the image is on the node. Returns true if it is new. */
  pulled(image: string, spec: ImageSpec, now: Time): boolean {
    const key = imageWithTag(image);
    this.inFlight.delete(key);
    const cur = this.images.get(key);
    if (cur) {
      cur.lastUsed = now;
      return false;
    }
    this.images.set(key, { name: key, sizeBytes: spec.sizeBytes, lastUsed: now, firstDetected: now });
    this.tracked = this.images.size;
    return true;
  }

  used(image: string, now: Time): void {
    // No image tracked (the scenario describes none and the node reported none): nothing to touch, and no
    // normalised name to make and hash for each container start.
    if (this.tracked === 0 && this.skipUntracked) return;
    const cur = this.images.get(imageWithTag(image));
    if (cur) cur.lastUsed = now;
  }

  totalBytes(): number {
    let n = 0;
    for (const i of this.images.values()) n += i.sizeBytes;
    return n;
  }

  count(): number {
    return this.images.size;
  }

  /**
   * Delete unused images, least recently used first, until `bytesToFree` are
   * freed (Infinity: all of them). `inUse` are the images running containers
   * use; images younger than minAge (since first detected) are kept.
   * Returns the bytes freed.
   */
  freeSpace(bytesToFree: number, inUse: ReadonlySet<string>, now: Time, minAge: Time): number {
    const candidates = [...this.images.values()]
      .filter((i) => !inUse.has(i.name) && now - i.firstDetected >= minAge)
      // byLastUsedAndDetected: least recently used first, ties by first detection.
      .sort((a, b) => a.lastUsed - b.lastUsed || a.firstDetected - b.firstDetected || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let freed = 0;
    for (const c of candidates) {
      if (freed >= bytesToFree) break;
      this.images.delete(c.name);
      freed += c.sizeBytes;
    }
    this.tracked = this.images.size;
    return freed;
  }

  /** node.status.images: largest first, at most nodeStatusMaxImages, names as the runtime reports them. */
  statusImages(): ContainerImage[] {
    return [...this.images.values()]
      .sort((a, b) => b.sizeBytes - a.sizeBytes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, NODE_STATUS_MAX_IMAGES)
      .map((i) => {
        const full = fullImageName(i.name);
        return { names: full === i.name ? [full] : [full, i.name], sizeBytes: i.sizeBytes };
      });
  }
}

/** Event messages of the image manager (pkg/kubelet/images/image_manager.go). */
export const imageMessages = {
  pulling: (image: string) => `Pulling image "${image}"`,
  pulled: (image: string, pull: string, total: string, size: number) => `Successfully pulled image "${image}" in ${pull} (${total} including waiting). Image size: ${size} bytes.`,
  present: (image: string) => `Container image "${image}" already present on machine`,
  neverPull: (image: string) => `Container image "${image}" is not present with pull policy of Never`,
};
