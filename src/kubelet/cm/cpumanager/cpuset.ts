/**
 * k8s.io/utils/cpuset: an immutable set of CPU ids with Linux cpuset list
 * syntax ("0-3,8,10-11") for parsing and printing.
 */
export class CPUSetParseError extends Error {}

export class CPUSet {
  private readonly ids: readonly number[];

  private constructor(sorted: readonly number[]) {
    this.ids = sorted;
  }

  static of(...cpus: number[]): CPUSet {
    return new CPUSet([...new Set(cpus)].sort((a, b) => a - b));
  }

  static fromIterable(cpus: Iterable<number>): CPUSet {
    return CPUSet.of(...cpus);
  }

  /** cpuset.Parse: "" is the empty set; errors name the bad part as upstream's strconv errors do. */
  static parse(s: string): CPUSet {
    if (s.trim() === '') return CPUSet.of();
    const out: number[] = [];
    for (const part of s.split(',')) {
      const bounds = part.split('-');
      const num = (t: string): number => {
        if (!/^\d+$/.test(t)) throw new CPUSetParseError(`strconv.Atoi: parsing ${JSON.stringify(t)}: invalid syntax`);
        return Number(t);
      };
      if (bounds.length === 1) out.push(num(bounds[0]!));
      else if (bounds.length === 2) {
        const lo = num(bounds[0]!);
        const hi = num(bounds[1]!);
        if (lo > hi) throw new CPUSetParseError(`invalid range %q (${lo} > ${hi})`.replace('%q', JSON.stringify(part)));
        for (let i = lo; i <= hi; i++) out.push(i);
      } else throw new CPUSetParseError(`invalid range ${JSON.stringify(part)}`);
    }
    return CPUSet.of(...out);
  }

  size(): number {
    return this.ids.length;
  }

  isEmpty(): boolean {
    return this.ids.length === 0;
  }

  has(cpu: number): boolean {
    return this.ids.includes(cpu);
  }

  /** Ascending ids. */
  list(): number[] {
    return [...this.ids];
  }

  union(...others: CPUSet[]): CPUSet {
    return CPUSet.of(...this.ids, ...others.flatMap((o) => o.ids));
  }

  intersection(other: CPUSet): CPUSet {
    const o = new Set(other.ids);
    return new CPUSet(this.ids.filter((c) => o.has(c)));
  }

  difference(other: CPUSet): CPUSet {
    const o = new Set(other.ids);
    return new CPUSet(this.ids.filter((c) => !o.has(c)));
  }

  isSubsetOf(other: CPUSet): boolean {
    const o = new Set(other.ids);
    return this.ids.every((c) => o.has(c));
  }

  equals(other: CPUSet): boolean {
    return this.ids.length === other.ids.length && this.ids.every((c, i) => c === other.ids[i]);
  }

  /** The canonical list form: ascending, consecutive runs as ranges. */
  toString(): string {
    const parts: string[] = [];
    let i = 0;
    while (i < this.ids.length) {
      let j = i;
      while (j + 1 < this.ids.length && this.ids[j + 1] === this.ids[j]! + 1) j++;
      parts.push(i === j ? `${this.ids[i]}` : `${this.ids[i]}-${this.ids[j]}`);
      i = j + 1;
    }
    return parts.join(',');
  }
}
