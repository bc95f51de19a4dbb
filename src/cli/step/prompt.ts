/**
 * The `ksim step` command language: one line in, the transcript text out.
 * The interactive prompt and --script both feed lines here, so a handout's
 * script prints exactly what a student sees at the prompt.
 */
import { DurationError, formatDuration, parseDuration } from '../../api/duration.ts';
import { ExplainError } from '../../scheduler/explain/explain.ts';
import type { Simulation } from '../../sim/simulation.ts';
import type { RunLogRecord } from '../../sim/types.ts';
import { explainNow, renderExplanation } from '../commands/explain.ts';
import { at, renderStep, renderUpcoming } from './narrate.ts';
import type { StepInfo, StepSession } from './session.ts';

/**
 * kubectl-style views at the prompt (get, describe, events, top), given the
 * simulation at the current event and the words after the command. Wired to
 * the `ksim get/describe/events/top` views; a missing one falls back to a
 * plain listing here.
 */
export interface StepViews {
  get?(sim: Simulation, args: string[]): string;
  describe?(sim: Simulation, args: string[]): string;
  events?(sim: Simulation, args: string[]): string;
  top?(sim: Simulation, args: string[]): string;
}

export const STEP_HELP = `Commands:
  next [N]               run the next event (or N events) and say what each did
  until DURATION         run every event up to that virtual time (e.g. until 30s)
  until REASON           run until an Event with that reason is recorded (e.g. until Scheduled)
  until KIND/NAME        run until that object is written (e.g. until pod/web-1)
  back [N]               go back one event (or N): the run is re-run from the start
  where                  virtual time, event number and what is queued next
  get KIND [NAME]        list objects (e.g. get pods)
  describe KIND NAME     show one object (e.g. describe pod web-1)
  events                 the Events recorded so far
  top nodes|pods         resource usage (when the scenario has metrics)
  explain pod NS/NAME    where the scheduler would put the pod now, and why
  help                   this text
  quit                   leave`;

/** Upcoming events shown after a step, and by `where`. */
const NEXT_AFTER_STEP = 3;
const NEXT_IN_WHERE = 5;
/** Guard for `next N`: a transcript of more events than this is not for reading. */
const MAX_NEXT = 10_000;

export interface CommandOutput {
  text: string;
  quit: boolean;
}

function countBy(xs: readonly string[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].map(([k, v]) => (v > 1 ? `${k} x${v}` : k)).join(', ');
}

export class StepPrompt {
  constructor(
    private readonly session: StepSession,
    private readonly views: StepViews = {},
  ) {}

  /** The lines printed before the first prompt. */
  banner(): string {
    const s = this.session;
    const end = s.until !== undefined ? `runs until ${formatDuration(s.until)}` : 'runs until only periodic work is left';
    return `Stepping through the run (seed ${s.sim.seed}, starts ${s.sim.startTime}; ${end}). Type help for commands.\n${renderUpcoming(s.sim.engine.upcoming(NEXT_AFTER_STEP))}\n`;
  }

  exec(line: string): CommandOutput {
    const words = line.trim().split(/\s+/).filter((w) => w !== '');
    const [cmd, ...args] = words;
    const ok = (lines: string[]): CommandOutput => ({ text: lines.length ? `${lines.join('\n')}\n` : '', quit: false });
    switch (cmd) {
      case undefined:
        return ok([]);
      case 'next':
      case 'n':
        return ok(this.next(args));
      case 'until':
      case 'u':
        return ok(this.until(args));
      case 'back':
      case 'b':
        return ok(this.back(args));
      case 'where':
      case 'w':
        return ok(this.where());
      case 'help':
      case 'h':
      case '?':
        return ok([STEP_HELP]);
      case 'quit':
      case 'exit':
      case 'q':
        return { text: '', quit: true };
      case 'get':
      case 'describe':
      case 'events':
      case 'top':
        return ok([this.view(cmd, args).replace(/\n$/, '')]);
      case 'explain':
        return ok(this.explain(args));
      default:
        return ok([`unknown command ${JSON.stringify(cmd)}; type help for the list`]);
    }
  }

  private count(args: string[], what: string): number | string {
    if (args.length === 0) return 1;
    const a = args[0]!;
    if (args.length > 1 || !/^\d+$/.test(a) || Number(a) < 1 || Number(a) > MAX_NEXT) return `${what} takes a count from 1 to ${MAX_NEXT}, got ${JSON.stringify(args.join(' '))}`;
    return Number(a);
  }

  private endLine(): string {
    const s = this.session;
    const why = s.until !== undefined ? `spec.until ${formatDuration(s.until)} reached` : 'nothing but periodic work is left';
    return `The run is over at ${at(s.sim.now)} after event #${s.n}: ${why}.`;
  }

  private next(args: string[]): string[] {
    const n = this.count(args, 'next');
    if (typeof n === 'string') return [n];
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const st = this.session.step(true);
      if (!st) {
        out.push(this.endLine());
        return out;
      }
      out.push(...renderStep(st));
    }
    out.push(this.session.atEnd() ? this.endLine() : renderUpcoming(this.session.sim.engine.upcoming(NEXT_AFTER_STEP)));
    return out;
  }

  private until(args: string[]): string[] {
    if (args.length !== 1) return ['until takes one argument: a duration (30s), an Event reason (Scheduled) or KIND/NAME (pod/web-1)'];
    const arg = args[0]!;
    const s = this.session;
    let target: number | undefined;
    if (/^[0-9.]/.test(arg)) {
      try {
        target = parseDuration(arg);
      } catch (e) {
        if (e instanceof DurationError) return [`until: ${e.message}`];
        throw e;
      }
    }
    const first = s.n + 1;
    const skipped: StepInfo[] = [];
    let hit: StepInfo | undefined;
    let match: (st: StepInfo) => boolean;
    /** The same test on an event's raw records, so skipped events build no diffs. */
    let matchRecords: (recs: readonly RunLogRecord[]) => boolean = () => false;
    if (target !== undefined) {
      if (target <= s.sim.now) return [`until: ${formatDuration(target)} is not after the current time ${at(s.sim.now)}`];
      const t = target;
      match = () => false;
      while (!s.atEnd() && (s.sim.engine.peekTime() ?? Infinity) <= t) skipped.push(s.step(false, () => false)!);
    } else if (arg.includes('/')) {
      const [kind, ...rest] = arg.split('/');
      const name = rest.join('/');
      const k = kind!.toLowerCase();
      const hit = (w: { kind: string; namespace: string; name: string }): boolean => {
        const wk = w.kind.toLowerCase();
        const full = w.namespace ? `${w.namespace}/${w.name}` : w.name;
        return (wk === k || `${wk}s` === k) && (w.name === name || full === name);
      };
      match = (st) => st.writes.some(hit);
      matchRecords = (recs) => recs.some((r) => (r.type === 'create' || r.type === 'update' || r.type === 'delete') && hit(r));
    } else {
      match = (st) => st.events.some((e) => e.reason === arg);
      matchRecords = (recs) => recs.some((r) => r.type === 'event' && r.event.reason === arg);
    }
    if (target === undefined) {
      for (;;) {
        const st = s.step(true, matchRecords);
        if (!st) break;
        if (match(st)) {
          hit = st;
          break;
        }
        skipped.push(st);
      }
    }
    const out: string[] = [];
    if (skipped.length > 0) {
      const writes = skipped.reduce((a, st) => a + st.writes.length, 0);
      const reasons = skipped.flatMap((st) => st.events.map((e) => e.reason));
      out.push(
        `Ran ${skipped.length} event(s) (#${first} to #${first + skipped.length - 1}, last at ${at(skipped[skipped.length - 1]!.time)}): ` +
          `${writes} object write(s), ${reasons.length} Event(s)${reasons.length ? ` (${countBy(reasons)})` : ''}`,
      );
    }
    if (hit) out.push(...renderStep(hit));
    else if (target === undefined) out.push(`${arg} did not happen before the end of the run.`);
    else if (skipped.length === 0) out.push(`No event before ${formatDuration(target)}.`);
    out.push(s.atEnd() ? this.endLine() : renderUpcoming(s.sim.engine.upcoming(NEXT_AFTER_STEP)));
    return out;
  }

  private back(args: string[]): string[] {
    const n = this.count(args, 'back');
    if (typeof n === 'string') return [n];
    const s = this.session;
    const target = Math.max(0, s.n - n);
    s.restart();
    s.fastForward(target);
    return [`Back at event #${target} (at ${at(s.sim.now)}): the run was re-run from the start with the same seed.`, renderUpcoming(s.sim.engine.upcoming(NEXT_AFTER_STEP))];
  }

  private where(): string[] {
    const s = this.session;
    const e = s.sim.engine;
    const end = s.until !== undefined ? `; the run ends at ${formatDuration(s.until)}` : '';
    return [
      `Virtual time ${at(s.sim.now)} (${s.sim.timestamp()}), after event #${s.n}${end}.`,
      `Queued: ${e.pending} event(s), ${e.pendingNonPeriodic} of them not periodic.`,
      renderUpcoming(e.upcoming(NEXT_IN_WHERE)),
    ];
  }

  private view(cmd: 'get' | 'describe' | 'events' | 'top', args: string[]): string {
    const sim = this.session.sim;
    const v = this.views[cmd];
    if (v) return v.call(this.views, sim, args);
    return `${cmd} is not available at this prompt`;
  }

  private explain(args: string[]): string[] {
    if (args.length !== 2 || !['pod', 'pods', 'po'].includes(args[0]!)) return ['explain takes pod NS/NAME, e.g. explain pod default/web-1'];
    const ref = args[1]!;
    const key = ref.includes('/') ? ref : `default/${ref}`;
    try {
      return [renderExplanation(explainNow(this.session.sim, key, 'at'), false).replace(/\n$/, '')];
    } catch (e) {
      if (e instanceof ExplainError) return [e.message];
      throw e;
    }
  }
}
