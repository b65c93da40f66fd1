// A finding for a schedule the training library builds and steps itself, read from one call in Python
// (TrainingArguments, Keras and optax schedules): where the call is, what it builds, and its trace,
// computed when first read (a lens being resolved, a hover, the CLI) as for the other findings.
import type { ScheduleCase } from '../../engine/case';
import type { ArgumentInfo, CallInfo, SchedulerFinding } from '../types';
import type { CallRecord } from './model';
import { simulateCached } from './simulationCache';
import { callArguments, rangeOf } from './syntax';

export interface CallSchedule {
  /** The class or function the call names (the panel's call type). */
  callType: string;
  /** The case's scheduler type, as the finding's. */
  type: string;
  scheduleCase: ScheduleCase;
  arguments: ArgumentInfo[];
  unresolved: string[];
  assumptions: string[];
  epochs: number;
  stepsPerEpoch: number | null;
}

export function callFinding(record: CallRecord, schedule: CallSchedule): SchedulerFinding {
  const parent = record.node.parent;
  const variable = parent?.type === 'assignment' && parent.childForFieldName('right')?.id === record.node.id ? (parent.childForFieldName('left')?.text ?? null) : null;
  const args = callArguments(record.node);
  const call: CallInfo = {
    type: schedule.callType,
    variable,
    range: rangeOf(record.node),
    argumentsRange: args.list ? rangeOf(args.list) : rangeOf(record.node),
    arguments: schedule.arguments,
  };
  const finding = {
    line: call.range.startLine + 1,
    type: schedule.type,
    variable,
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
