/**
 * A parse of RFC3339 text to virtual time that remembers its recent answers.
 * The Job and TTL-after-finished controllers read the same timestamps again at
 * later syncs (a finished Job's condition time when it finishes and again when
 * its TTL expires, minutes and hundreds of other Jobs later), and parsing one
 * (a civil-calendar sum, and for any but the canonical form a regular
 * expression) cost more than the rest of such a sync. The answer is a pure function of the
 * text, so remembering it changes nothing; the memory is dropped whole when it
 * holds `capacity` texts (timestamps are whole seconds: a few thousand cover
 * an hour of them).
 */
import type { Time } from '../../sim/types.ts';
import type { ParseTime } from './pods.ts';

export const ParseCacheCapacity = 4096;

export function cachingParse(parse: ParseTime, capacity: number = ParseCacheCapacity): ParseTime {
  const memo = new Map<string, Time>();
  return (text: string): Time => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    // An invalid text throws here, as without the cache, and is not remembered.
    const t = parse(text);
    if (memo.size >= capacity) memo.clear();
    memo.set(text, t);
    return t;
  };
}
