// Describes a learning-rate series by its shape: where it jumps, where it ramps, and to what.
import { sameLr } from './numbers';

export type ShapeEvent =
  /** A one-round change between two steady values, e.g. StepLR's decay at a milestone. */
  | { kind: 'jump'; at: number; value: number }
  /** Several consecutive changes in one direction, ending at `at` with `value`. */
  | { kind: 'ramp'; direction: 'up' | 'down'; from: number; at: number; value: number };

/** The series' events in order; an empty list means the value never changes. */
export function shapeEvents(values: number[]): ShapeEvent[] {
  const events: ShapeEvent[] = [];
  let runStart = -1;
  let runDirection: 'up' | 'down' | null = null;
  const closeRun = (end: number) => {
    if (runDirection === null) return;
    if (end - runStart === 1) events.push({ kind: 'jump', at: runStart, value: values[runStart] });
    else events.push({ kind: 'ramp', direction: runDirection, from: runStart - 1, at: end - 1, value: values[end - 1] });
    runDirection = null;
  };
  for (let k = 1; k < values.length; k++) {
    if (sameLr(values[k], values[k - 1])) {
      closeRun(k);
      continue;
    }
    const direction = values[k] > values[k - 1] ? 'up' : 'down';
    if (direction !== runDirection) {
      closeRun(k);
      runStart = k;
      runDirection = direction;
    }
  }
  closeRun(values.length);
  return events;
}

/** Round indices worth a table row: the start, both sides of every jump, the ends of ramps, the last round. */
export function keyRounds(values: number[]): number[] {
  const rounds = new Set<number>([0]);
  for (const event of shapeEvents(values)) {
    rounds.add(event.kind === 'ramp' ? event.from : event.at - 1);
    rounds.add(event.at);
  }
  if (values.length > 0) rounds.add(values.length - 1);
  return [...rounds].filter((k) => k >= 0 && k < values.length).sort((a, b) => a - b);
}
