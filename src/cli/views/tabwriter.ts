/**
 * Go's text/tabwriter, as kubectl uses it: text is cut into cells at tabs;
 * a column block is a run of consecutive lines that all have a
 * tab-terminated cell in that column, and every cell of the block is padded
 * to the block's widest cell plus `padding` (at least `minwidth`). The text
 * after a line's last tab is not part of any column and is written as is.
 * kubectl get: minwidth 6, padding 3 (printers.GetNewTabWriter);
 * kubectl describe: minwidth 0, padding 2 (describe.tabbedString).
 */

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

export const GET_TABWRITER: TabwriterOptions = { minwidth: 6, padding: 3 };
export const DESCRIBE_TABWRITER: TabwriterOptions = { minwidth: 0, padding: 2 };

/** Display width as tabwriter counts it: UTF-8 runes. */
function width(s: string): number {
  return [...s].length;
}

export function tabwrite(text: string, opts: TabwriterOptions): string {
  const trailingNewline = text.endsWith('\n');
  const lines = (trailingNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]!;
        if (j < cells.length - 1 && j < widths.length) s += c + ' '.repeat(Math.max(0, widths[j]! - width(c)));
        else s += c;
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur]!.length - 1) continue;
      // A cell in this column starts a block: write the lines before it with the widths so far.
      writeLines(line0, cur);
      line0 = cur;
      let w = opts.minwidth;
      for (; cur < line1; cur++) {
        const cells = lines[cur]!;
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column]!) + opts.padding);
      }
      widths.push(w);
      format(line0, cur);
      widths.pop();
      line0 = cur;
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n') + (trailingNewline ? '\n' : '');
}
