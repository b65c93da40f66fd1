// Greedy reduction of a failing case: keep applying the first simplification (fewer steps, a shorter
// list, a dropped key, a nested scheduler hoisted out of its container, a rounder number) that still
// fails the same way, until none does or the budget runs out.
import { parseCaseJson } from '../../src/engine/caseJson';
import { Float } from '../../src/engine/python/values';
import { caseJson } from './generate';

type Value = unknown;
type Path = (string | number)[];

const CONTAINERS = ['SequentialLR', 'ChainedScheduler'];
const KEEP_KEYS = ['id', 'type'];

function setAt(root: Value, path: Path, value: Value | undefined): Value {
  if (path.length === 0) return value;
  const [key, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    const next = setAt(copy[key as number], rest, value);
    if (next === undefined && rest.length === 0) copy.splice(key as number, 1);
    else copy[key as number] = next;
    return copy;
  }
  const copy = { ...(root as Record<string, Value>) };
  const next = setAt(copy[key as string], rest, value);
  if (next === undefined && rest.length === 0) delete copy[key as string];
  else copy[key as string] = next;
  return copy;
}

function* walk(node: Value, path: Path = []): Generator<[Path, Value]> {
  yield [path, node];
  if (Array.isArray(node)) for (let i = 0; i < node.length; i++) yield* walk(node[i], [...path, i]);
  else if (node !== null && typeof node === 'object' && !(node instanceof Float)) {
    for (const [key, child] of Object.entries(node)) yield* walk(child, [...path, key]);
  }
}

/** Simpler variants of the case, the ones that remove the most first. */
function* candidates(root: Value): Generator<Value> {
  const steps = (root as { steps?: unknown }).steps;
  if (typeof steps === 'number') {
    for (const fewer of [0, 1, 2, Math.floor(steps / 2), steps - 1]) if (fewer >= 0 && fewer < steps) yield setAt(root, ['steps'], fewer);
  }
  for (const [path, node] of walk(root)) {
    const spec = node as { type?: unknown; kwargs?: { schedulers?: unknown } };
    if (typeof spec?.type === 'string' && CONTAINERS.includes(spec.type) && Array.isArray(spec.kwargs?.schedulers)) {
      for (const child of spec.kwargs.schedulers) yield setAt(root, path, child);
    }
  }
  for (const [path, node] of walk(root)) {
    if (Array.isArray(node) && node.length > 0) {
      yield setAt(root, path, []);
      if (node.length > 2) yield setAt(root, path, node.slice(0, Math.ceil(node.length / 2)));
      if (node.length <= 12) for (let i = node.length - 1; i >= 0; i--) yield setAt(root, [...path, i], undefined);
    } else if (node !== null && typeof node === 'object' && !(node instanceof Float)) {
      for (const key of Object.keys(node)) if (!KEEP_KEYS.includes(key)) yield setAt(root, [...path, key], undefined);
    }
  }
  for (const [path, node] of walk(root)) {
    if (typeof node === 'number' && !Number.isInteger(node)) {
      for (const digits of [1, 2, 3]) {
        const rounder: number = Number(node.toPrecision(digits));
        if (rounder !== node) yield setAt(root, path, rounder);
      }
    }
  }
}

export interface Budget {
  evaluations: number;
  milliseconds: number;
}

/** The smallest variant of `text` found for which `fails` still holds (text in caseJson form). */
export async function minimize(text: string, fails: (candidate: string) => Promise<boolean>, budget: Budget): Promise<{ text: string; evaluations: number }> {
  let current: Value = parseCaseJson(text);
  let evaluations = 0;
  const deadline = Date.now() + budget.milliseconds;
  let improved = true;
  while (improved && evaluations < budget.evaluations && Date.now() < deadline) {
    improved = false;
    for (const candidate of candidates(current)) {
      if (evaluations >= budget.evaluations || Date.now() >= deadline) break;
      evaluations++;
      if (await fails(caseJson(candidate))) {
        current = candidate;
        improved = true;
        break;
      }
    }
  }
  return { text: caseJson(current), evaluations };
}
