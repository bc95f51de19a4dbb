/**
 * The kubectl-style views the step prompt offers (get, describe, events,
 * top). They belong to `ksim get/describe/events/top`; this is the one place
 * that wires them to the prompt. A view not wired here falls back to the
 * prompt's plain listing.
 */
import type { StepViews } from './prompt.ts';

export function stepViews(): StepViews {
  return {};
}
