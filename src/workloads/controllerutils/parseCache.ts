/**
 * A parse of RFC3339 text to virtual time that remembers its recent answers.
 * The Job and TTL-after-finished controllers read the same timestamps again at
 * later syncs (a finished Job's condition time when it finishes and again when
 * its TTL expires, minutes and hundreds of other Jobs later), and parsing one
 * (a regular expression and a civil-calendar sum, ~3 us in a busy run) cost
 * more than the rest of such a sync. The answer is a pure function of the
 * text, so remembering it changes nothing; the memory is dropped whole when it
 * holds `capacity` texts (timestamps are whole seconds: a few thousand cover
 * an hour of them).
 *
 * A new text of the canonical form the store writes ("2025-01-01T00:00:05Z")
 * in the same minute as the previous one is not parsed either: it is that
 * minute's time (parsed once, as "...:00Z") plus its seconds. `parse` must be
 * an RFC3339 parse up to a constant offset (sim.virtualTime is), for which
 * that sum is exact; anything else (fractions, offsets, seconds 60 and above,
 * a minute that does not parse) goes to `parse` itself, errors included.
 */
import type { Time } from '../../sim/types.ts';
import type { ParseTime } from './pods.ts';

export const ParseCacheCapacity = 4096;

const COLON = 58;
const Z = 90;
const ZERO = 48;

export function cachingParse(parse: ParseTime, capacity: number = ParseCacheCapacity): ParseTime {
  const memo = new Map<string, Time>();
  let minute: string | undefined;
  let minuteAt: Time = 0;
  const fresh = (text: string): Time => {
    if (text.length === 20 && text.charCodeAt(19) === Z && text.charCodeAt(16) === COLON) {
      const tens = text.charCodeAt(17) - ZERO;
      const ones = text.charCodeAt(18) - ZERO;
      if (tens >= 0 && tens <= 5 && ones >= 0 && ones <= 9) {
        const prefix = text.slice(0, 17);
        if (prefix !== minute) {
          try {
            minuteAt = parse(`${prefix}00Z`);
          } catch {
            return parse(text); // the minute itself is invalid: the error of the whole text, as without the cache
          }
          minute = prefix;
        }
        return minuteAt + (tens * 10 + ones) * 1000;
      }
    }
    return parse(text);
  };
  return (text: string): Time => {
    const known = memo.get(text);
    if (known !== undefined) return known;
    // An invalid text throws here, as without the cache, and is not remembered.
    const t = fresh(text);
    if (memo.size >= capacity) memo.clear();
    memo.set(text, t);
    return t;
  };
}
