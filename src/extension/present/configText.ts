// What lenses and hovers add for schedules read from training configs: where a lens sits (the
// scheduler's key line), which finding a hover position is about, and a line naming the config
// convention and the library whose schedule is predicted. No `vscode` import.
import type { ConfigSchedulerFinding, ConfigSource } from '../../analysis/analyzeConfig';
import type { SchedulerFinding, SourceRange } from '../../analysis/types';
import type { FrameworkLibrary } from '../../engine/frameworks';
import { pyRepr } from '../../engine/python/values';
import type { HoverTarget } from './hoverTarget';

export function isConfigFinding(finding: SchedulerFinding): finding is ConfigSchedulerFinding {
  return 'source' in finding && typeof (finding as ConfigSchedulerFinding).source === 'string';
}

const SOURCES: Record<ConfigSource, string> = {
  lightning: 'LightningCLI config',
  hydra: 'Hydra config',
  huggingface: 'Hugging Face TrainingArguments',
  keras: 'Keras schedule config',
  mmengine: 'mmengine param_scheduler',
  timm: 'timm train.py arguments',
};

const LIBRARIES: Record<FrameworkLibrary, string> = {
  transformers: 'Hugging Face transformers',
  timm: 'timm',
  keras: 'Keras',
  optax: 'optax',
  mmengine: 'mmengine',
};

/** The config's line the lens goes on: the scheduler's key (`lr_scheduler:`, `lr_scheduler_type`, …). */
export function configLensLine(finding: ConfigSchedulerFinding): number {
  return finding.line - 1;
}

/** E.g. "From the Hugging Face TrainingArguments: Hugging Face transformers get_scheduler('cosine')." */
export function configOrigin(finding: ConfigSchedulerFinding): string {
  const from = `From the ${SOURCES[finding.source]}`;
  if (!finding.framework) return `${from}: torch.optim.lr_scheduler.${finding.type}.`;
  const spec = finding.case.scheduler;
  // mmengine's case runs the whole param_scheduler list: the finding's type names its classes.
  if (finding.framework === 'mmengine') return `${from}: ${LIBRARIES.mmengine} ${finding.type}.`;
  // transformers' get_scheduler is told the SchedulerType by name.
  const name = spec?.type === 'transformers.get_scheduler' && typeof spec.kwargs?.name === 'string' ? `(${pyRepr(spec.kwargs.name)})` : '';
  const what = spec ? `${spec.type.slice(spec.type.indexOf('.') + 1)}${name}` : finding.type;
  return `${from}: ${LIBRARIES[finding.framework]} ${what}.`;
}

function contains(range: SourceRange, line: number, character: number): boolean {
  if (line < range.startLine || line > range.endLine) return false;
  if (line === range.startLine && character < range.startCol) return false;
  if (line === range.endLine && character > range.endCol) return false;
  return true;
}

/**
 * The config scheduler a hover is about: on its key line (the hover covers that line), or inside the
 * values it reads (its arguments: `T_max`, `warmup_steps`, …; the hover covers that value).
 */
export function configHoverTarget(findings: ConfigSchedulerFinding[], lineText: string, line: number, character: number): HoverTarget | null {
  const onKey = findings.find((finding) => configLensLine(finding) === line);
  if (onKey) {
    const start = lineText.length - lineText.trimStart().length;
    return { finding: onKey, range: { startLine: line, startCol: start, endLine: line, endCol: lineText.trimEnd().length } };
  }
  for (const finding of findings) {
    const argument = finding.call.arguments.find((item) => contains(item.range, line, character));
    if (argument) return { finding, range: argument.range };
  }
  return null;
}
