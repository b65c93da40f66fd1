// From the analysis of a document to what the panel is sent: each scheduler with its case (as
// Float-keeping JSON), its constructor call and its optimizer's as the document spells them, and the
// calls of nested SequentialLR/ChainedScheduler children. No `vscode` import.
import { paramSchedulerItems } from '../../analysis/config/mmengine';
import { parsePythonConfig } from '../../analysis/config/pythonTree';
import { child, entry } from '../../analysis/config/tree';
import type { CallInfo, SchedulerFinding, SourceRange } from '../../analysis/types';
import { encodeCase, PanelCall, PanelSchedule } from '../../shared/protocol';
import { isConfigFinding } from '../present/configText';
import { documentOffset, rangeWithin } from './applyEdits';

function textAt(documentText: string, range: SourceRange): string {
  const from = documentOffset(documentText, range.startLine, range.startCol);
  const to = documentOffset(documentText, range.endLine, range.endCol);
  return from === -1 || to === -1 ? '' : documentText.slice(from, to);
}

export function panelCall(call: CallInfo, documentText: string): PanelCall {
  return {
    type: call.type,
    variable: call.variable,
    range: call.range,
    argumentsRange: call.argumentsRange,
    arguments: call.arguments.map(({ name, position, text, range }) => ({ name, position, text, range })),
    text: textAt(documentText, call.range),
  };
}

const before = (a: SourceRange, b: SourceRange) => a.endLine < b.startLine || (a.endLine === b.startLine && a.endCol <= b.startCol);

/** The list items of a `[a, b]` argument text, at top level (nested calls keep their commas). */
function listItems(text: string): string[] {
  const trimmed = text.trim();
  if (!/^[[(]/.test(trimmed)) return [];
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of trimmed.slice(1, -1)) {
    if ('([{'.includes(c)) depth++;
    if (')]}'.includes(c)) depth--;
    if (c === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else {
      current += c;
    }
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

/**
 * The constructor calls of a SequentialLR/ChainedScheduler's children, by child index: a child written
 * inline is the finding whose call sits inside the `schedulers` argument; a child named by variable is
 * the last finding assigned to that variable before the parent.
 */
function childCalls(finding: SchedulerFinding, findings: SchedulerFinding[], documentText: string): (PanelCall | null)[] {
  if (finding.type !== 'SequentialLR' && finding.type !== 'ChainedScheduler') return [];
  const position = finding.type === 'SequentialLR' ? 1 : 0;
  const argument = finding.call.arguments.find((item) => item.name === 'schedulers' || (item.name === null && item.position === position));
  if (!argument) return [];
  const inline = findings.filter((other) => other !== finding && rangeWithin(other.call.range, argument.range));
  return listItems(argument.text).map((item) => {
    if (/^[A-Za-z_][\w.]*\s*\(/.test(item)) {
      const call = inline.find((other) => textAt(documentText, other.call.range) === item);
      return call ? panelCall(call.call, documentText) : null;
    }
    const candidates = findings.filter((other) => other.variable === item && before(other.call.range, finding.call.range));
    const latest = candidates[candidates.length - 1];
    return latest ? panelCall(latest.call, documentText) : null;
  });
}

/**
 * mmengine's param_scheduler: each dict the case runs, by its index in the case's list, as a call whose
 * arguments are the dict's keys (its `type` too, so that a new key goes after it).
 */
function paramSchedulerCalls(finding: SchedulerFinding, documentText: string): (PanelCall | null)[] {
  const list = entry(parsePythonConfig('param_scheduler.py', documentText).root, 'param_scheduler')?.value;
  if (!list || !sameRange(list.range, finding.call.range)) return [];
  return paramSchedulerItems(list).flatMap(({ node, type }, index) => {
    if (type === null) return [];
    const typeNode = child(node, 'type')!;
    const args = finding.call.arguments.filter((argument) => rangeWithin(argument.range, node.range));
    const typeArgument = { name: 'type', position: null, text: typeNode.text, range: typeNode.range };
    const variable = list.kind === 'seq' ? `param_scheduler[${index}]` : 'param_scheduler';
    return [panelCall({ type, variable, range: node.range, argumentsRange: node.range, arguments: [typeArgument, ...args] }, documentText)];
  });
}

/** The type of the scheduler a case builds at its root (the finding's own, or the composite it sits in). */
function rootType(finding: SchedulerFinding): string | null {
  const scheduleCase = finding.case;
  if (scheduleCase.scheduler) return scheduleCase.scheduler.type;
  const list = scheduleCase.schedulers ?? [];
  return list.some((spec) => spec.type === finding.type) ? finding.type : (list[list.length - 1]?.type ?? null);
}

const sameRange = (a: SourceRange, b: SourceRange) =>
  a.startLine === b.startLine && a.startCol === b.startCol && a.endLine === b.endLine && a.endCol === b.endCol;

/**
 * Hugging Face TrainingArguments name no optimizer, yet their `learning_rate` is the optimizer's lr: the
 * panel tunes it as the optimizer's `lr` of the TrainingArguments map or call (Apply writes it back to
 * `learning_rate`).
 */
function trainingArgumentsOptimizer(finding: SchedulerFinding, documentText: string): PanelCall | null {
  const inPython = !isConfigFinding(finding) && /^(Seq2Seq)?TrainingArguments$/.test(finding.call.type);
  if (!inPython && !(isConfigFinding(finding) && finding.source === 'huggingface')) return null;
  const learningRate = finding.call.arguments.find((argument) => argument.name === 'learning_rate');
  const call = panelCall({ ...finding.call, type: finding.case.optimizer.type, variable: null, arguments: [] }, documentText);
  return learningRate ? { ...call, arguments: [{ name: 'lr', position: null, text: learningRate.text, range: learningRate.range }] } : call;
}

export function panelSchedules(findings: SchedulerFinding[], documentText: string): PanelSchedule[] {
  const children = new Map(
    findings.map((finding) => [
      finding,
      isConfigFinding(finding) && finding.framework === 'mmengine' ? paramSchedulerCalls(finding, documentText) : childCalls(finding, findings, documentText),
    ]),
  );
  return findings.map((finding) => {
    // A child of SequentialLR/ChainedScheduler is simulated as part of its parent: the panel tunes the parent.
    const type = rootType(finding);
    // A config's scheduler is never a composite's child (those are read into their parent's case).
    const root =
      type === finding.type || isConfigFinding(finding)
        ? finding
        : findings.find((parent) => parent.type === type && children.get(parent)!.some((call) => call !== null && sameRange(call.range, finding.call.range)));
    return {
      line: finding.line,
      type: finding.type,
      variable: finding.variable,
      unit: finding.unit,
      caseJson: encodeCase(finding.case),
      unresolved: finding.unresolved,
      epochs: finding.epochs,
      stepsPerEpoch: finding.stepsPerEpoch,
      call: panelCall(finding.call, documentText),
      rootCall: root ? panelCall(root.call, documentText) : null,
      optimizer: finding.optimizer ? panelCall(finding.optimizer, documentText) : trainingArgumentsOptimizer(finding, documentText),
      children: root ? children.get(root)! : [],
    };
  });
}

/** The scheduler under (or nearest above) a 1-based line, else the first. */
export function scheduleIndexAt(schedules: { line: number; call: { range: SourceRange } }[], line: number | undefined): number {
  if (line === undefined || schedules.length === 0) return 0;
  const zeroBased = line - 1;
  const inside = schedules.findIndex((item) => item.call.range.startLine <= zeroBased && zeroBased <= item.call.range.endLine);
  if (inside >= 0) return inside;
  let best = 0;
  schedules.forEach((item, index) => {
    if (item.line <= line && item.line >= schedules[best].line) best = index;
  });
  return best;
}
