/**
 * The kubelet's most frequent Event messages, each made once per varying part
 * (container name or image): pods of a workload repeat the same names and
 * images, and the recorder hashes and looks up every message, so a new
 * template string per Event was a rope to flatten and hash anew.
 */
import { imageMessages } from './images.ts';

/** How many messages a cache keeps before it starts over (names and images are few; this bounds odd runs). */
export const MESSAGES_MAX = 4096;

/** A message by its one varying part, made by `make` once and given again; cleared when it grows past MESSAGES_MAX. */
export class MessageCache {
  private readonly byPart = new Map<string, string>();
  constructor(private readonly make: (part: string) => string) {}

  get(part: string): string {
    let m = this.byPart.get(part);
    if (m === undefined) {
      if (this.byPart.size >= MESSAGES_MAX) this.byPart.clear();
      m = this.make(part);
      this.byPart.set(part, m);
    }
    return m;
  }

  /** Messages kept now (for tests). */
  get size(): number {
    return this.byPart.size;
  }
}

export const createdMessages = new MessageCache((name) => `Created container: ${name}`);
export const startedMessages = new MessageCache((name) => `Started container ${name}`);
export const presentMessages = new MessageCache((image) => imageMessages.present(image));
