/**
 * Trace files: one `time,value` pair per line. Time is a Go duration ("90s",
 * "1h30m") or a plain number of seconds; value a quantity ("250m", "1Gi") or a
 * number. Blank lines and lines starting with '#' are skipped, and so is a
 * first line that does not parse (a header such as `time,value`).
 */
import { parseDuration } from '../api/duration.ts';
import { Quantity } from '../api/quantity.ts';
import type { Time } from '../sim/types.ts';

export function parseTraceCSV(text: string): { points: Array<[Time, number]> } | { error: string } {
  const points: Array<[Time, number]> = [];
  const lines = text.split(/\r?\n/);
  let first = true;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim());
    const parsed = cells.length === 2 ? parseRow(cells[0]!, cells[1]!) : undefined;
    if (parsed === undefined) {
      if (first) {
        first = false;
        continue; // a header
      }
      return { error: `line ${i + 1}: expected "time,value" (a duration or seconds, and a quantity), got ${JSON.stringify(line)}` };
    }
    first = false;
    points.push(parsed);
  }
  return { points };
}

function parseRow(timeText: string, valueText: string): [Time, number] | undefined {
  let t: number;
  if (/^[0-9]+(\.[0-9]+)?$/.test(timeText)) t = Math.round(Number(timeText) * 1000);
  else {
    try {
      t = parseDuration(timeText);
    } catch {
      return undefined;
    }
  }
  if (t < 0) return undefined;
  const q = Quantity.tryParse(valueText);
  if (q === undefined) return undefined;
  return [t, q.milliValue() / 1000];
}
