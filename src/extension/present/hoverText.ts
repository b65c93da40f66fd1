// Hover and schedule-document markdown: the curve as an <img> with a base64 SVG data URI (hovers do
// not render inline SVG) and an epoch → lr table per group. No `vscode` import.
import type { SchedulerFinding } from '../../analysis/types';
import { formatLr } from './numbers';
import { describeValues, lensText, predictedWith, raisedByTorch, roundsText } from './lensText';
import { lrSeries, type LrSeries } from './series';
import { keyRounds, shapeEvents } from './shape';
import { curveSvg, svgDataUri } from './svgCurve';

/** The schedule document lists every round up to this many, then samples. */
const MAX_DOCUMENT_ROWS = 2000;

/**
 * Rows of the short hover table: the rounds where the curve changes shape (both sides of a jump, the ends
 * of a ramp); a curve that ramps also gets evenly spaced rounds, up to `rows` in all.
 */
export function tableRounds(series: LrSeries, rows = 8): number[] {
  const length = series.groups[0]?.length ?? 0;
  if (length === 0) return [];
  const chosen = new Set<number>();
  for (const values of series.groups) for (const k of keyRounds(values)) chosen.add(k);
  const ramps = series.groups.some((values) => shapeEvents(values).some((event) => event.kind === 'ramp'));
  for (let i = 1; ramps && chosen.size < Math.min(rows, length) && i < rows - 1; i++) {
    chosen.add(Math.round((i * (length - 1)) / (rows - 1)));
  }
  const picked = [...chosen].sort((a, b) => a - b);
  if (picked.length <= rows) return picked;
  // Too many changes: keep the first and last, and spread the rest evenly over the key rounds.
  const inner = picked.slice(1, -1);
  const step = inner.length / (rows - 2);
  return [...new Set([picked[0], ...Array.from({ length: rows - 2 }, (_, i) => inner[Math.floor(i * step)]), picked[picked.length - 1]])];
}

/** A markdown table of round → lr per group, at the given rounds. */
export function lrTable(series: LrSeries, rounds: number[], significant = 6): string {
  const unit = series.unit === 'step' ? 'step' : 'epoch';
  const groupHeaders = series.groups.length === 1 ? ['lr'] : series.groups.map((_, g) => `group ${g}`);
  const lines = [`| ${unit} | ${groupHeaders.join(' | ')} |`, `|---:|${groupHeaders.map(() => '---:').join('|')}|`];
  for (const k of rounds) lines.push(`| ${k} | ${series.groups.map((values) => formatLr(values[k], significant)).join(' | ')} |`);
  return lines.join('\n');
}

export function curveImage(series: LrSeries, width = 320, height = 110): string {
  return `<img src="${svgDataUri(curveSvg(series, { width, height }))}" width="${width}" height="${height}" alt="predicted learning-rate curve"/>`;
}

function heading(finding: SchedulerFinding, series: LrSeries | null): string {
  const name = finding.variable ? `\`${finding.variable}\` = ${finding.type}` : finding.type;
  return series ? `**${name}** · \`get_last_lr()\` over ${roundsText(series)}` : `**${name}**`;
}

/** The hover for a scheduler: heading, curve and short table, or what keeps it from a prediction. */
export function hoverMarkdown(finding: SchedulerFinding, torchVersion: string, focus?: { group: number }): string {
  const series = lrSeries(finding);
  if (!series) {
    const reason = finding.unresolved.length
      ? `No prediction: the file does not show the value of ${finding.unresolved.join(', ')}.`
      : `No prediction: ${lensText(finding, torchVersion).title.replace(/^\$\([a-z-]+\) /, '')}`;
    return `${heading(finding, null)}\n\n${reason}`;
  }
  const parts = [heading(finding, series), curveImage(series), lrTable(series, tableRounds(series))];
  if (focus && series.groups.length > 1 && focus.group < series.groups.length) {
    parts.push(`param_groups[${focus.group}]: ${describeValues(series.groups[focus.group])}`);
  }
  if (series.failsAt) {
    const who = raisedByTorch({ phase: 'step', type: series.failsAt.type }) ? `torch raises ${series.failsAt.type}` : 'LR Lens stops';
    parts.push(`✖ step ${series.failsAt.step}: ${who}: ${series.failsAt.message}`);
  }
  if (finding.partOf) parts.push(`Runs inside \`${finding.partOf.variable ?? finding.partOf.type}\` (${finding.partOf.type}, line ${finding.partOf.line}); the curve is the composite's.`);
  if (finding.metric) parts.push(`Metric: ${finding.metric.description}.`);
  if (finding.assumptions?.length) parts.push(`Assumed: ${finding.assumptions.join('; ')}.`);
  parts.push(`*${predictedWith(finding, torchVersion)}*`);
  return parts.join('\n\n');
}

/** The full schedule as a markdown document (the fallback view of "Show Learning-Rate Schedule"). */
export function scheduleMarkdown(finding: SchedulerFinding, fileName: string, torchVersion: string): string {
  const series = lrSeries(finding);
  const title = `# ${finding.type} · ${fileName}:${finding.line}`;
  if (!series) return `${title}\n\n${lensText(finding, torchVersion).title}\n`;
  const length = series.groups[0].length;
  // Long per-batch schedules: every stride-th round plus where the curve changes shape, not 100k rows.
  const stride = Math.ceil(length / MAX_DOCUMENT_ROWS);
  const rounds = new Set(Array.from({ length: Math.ceil(length / stride) }, (_, i) => i * stride));
  if (stride > 1) for (const values of series.groups) for (const k of keyRounds(values)) rounds.add(k);
  const sampled = stride > 1 ? ` Every ${stride}th ${series.unit === 'step' ? 'step' : 'epoch'} and every change of shape are listed.` : '';
  return [
    title,
    `Predicted \`${finding.variable ?? 'scheduler'}.get_last_lr()\` over ${roundsText(series)} (${predictedWith(finding, torchVersion)}).${sampled}`,
    curveImage(series, 640, 220),
    lrTable(series, [...rounds].sort((a, b) => a - b), 17),
    '',
  ].join('\n\n');
}
