// A finding for a schedule the training library builds and steps itself, read from one call in Python
// (TrainingArguments, Keras and optax schedules): the call as discover reads any call (its arguments by
// parameter name, its variable), what it builds, and its trace, computed when first read (a lens being
// resolved, a hover, the CLI) as for the other findings.
import type { PyLike, ScheduleCase } from '../../engine/case';
import type { CallInfo, SchedulerFinding } from '../types';
import { callInfo } from './discover';
import type { Resolver } from './evaluate';
import type { CallRecord } from './model';
import { simulateCached } from './simulationCache';
import { callArguments } from './syntax';

/** The call's arguments evaluated by parameter name (`positional` names the positional ones), and what could not be. */
export function readCall(record: CallRecord, callType: string, positional: string[], resolver: Resolver): { call: CallInfo; kwargs: Record<string, PyLike>; unresolved: string[] } {
  const args = callArguments(record.node);
  const call = callInfo(record.node, callType, args, positional);
  const unresolved: string[] = args.hasSplat ? [`${record.node.text.split('(')[0]}(…**kwargs)`] : [];
  const kwargs: Record<string, PyLike> = {};
  const values = [...args.positional, ...args.keywords.map((keyword) => keyword.value)];
  call.arguments.forEach((argument, index) => {
    if (!argument.name) return;
    const evaluated = resolver.evaluate(values[index], record.scope);
    if (!evaluated.ok) {
      unresolved.push(...evaluated.missing);
      return;
    }
    argument.value = evaluated.value;
    kwargs[argument.name] = evaluated.value;
  });
  return { call, kwargs, unresolved };
}

export interface CallSchedule {
  /** The case's scheduler type, as the finding's. */
  type: string;
  scheduleCase: ScheduleCase;
  unresolved: string[];
  assumptions: string[];
  epochs: number;
  stepsPerEpoch: number | null;
}

export function callFinding(call: CallInfo, schedule: CallSchedule): SchedulerFinding {
  const finding = {
    line: call.range.startLine + 1,
    type: schedule.type,
    variable: call.variable,
    unit: 'step',
    case: schedule.scheduleCase,
    unresolved: [...new Set(schedule.unresolved)],
    trace: null,
    error: null,
    call,
    optimizer: null,
    epochs: schedule.epochs,
    stepsPerEpoch: schedule.stepsPerEpoch,
    assumptions: schedule.assumptions,
  } as SchedulerFinding;
  if (finding.unresolved.length === 0) {
    Object.defineProperty(finding, 'trace', { enumerable: true, get: () => simulateCached(schedule.scheduleCase).trace });
    Object.defineProperty(finding, 'error', { enumerable: true, get: () => simulateCached(schedule.scheduleCase).error });
  }
  return finding;
}
