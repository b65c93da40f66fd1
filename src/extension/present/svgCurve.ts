// A small picture of the predicted curve as a standalone SVG, for hovers and the schedule document.
// Hovers render images but not inline SVG, so callers embed it as a base64 data URI.
import { formatLr } from './numbers';
import type { LrSeries } from './series';

export const GROUP_COLORS = ['#3794ff', '#f14c4c', '#89d185', '#cca700', '#b180d7', '#4ec9b0'];

export interface CurveOptions {
  width?: number;
  height?: number;
}

interface Frame {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

type Point = [number, number];

/** Rounds of the series each pixel column stands for, reduced to the values that shape the line. */
function columnPoints(values: number[], columns: number): { x: number; value: number }[] {
  const points: { x: number; value: number }[] = [];
  if (values.length <= columns * 2) {
    // Few rounds: draw steps, each value held for its whole round.
    values.forEach((value, k) => points.push({ x: k, value }, { x: k + 1, value }));
    return points;
  }
  const perColumn = values.length / columns;
  for (let c = 0; c < columns; c++) {
    const start = Math.floor(c * perColumn);
    const end = Math.min(values.length, Math.floor((c + 1) * perColumn));
    if (end <= start) continue;
    let low = start;
    let high = start;
    for (let k = start; k < end; k++) {
      if (values[k] < values[low]) low = k;
      if (values[k] > values[high]) high = k;
    }
    const [firstExtreme, secondExtreme] = low < high ? [low, high] : [high, low];
    for (const k of [start, firstExtreme, secondExtreme, end - 1]) points.push({ x: k + 0.5, value: values[k] });
  }
  return points;
}

function axisScale(values: number[]): { log: boolean; low: number; high: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { log: false, low: 0, high: 1 };
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  // Decays over two decades or more (StepLR, ExponentialLR) read better on a log axis; the threshold sits
  // below 100 because float products such as 0.1 * 0.1 * 0.1 land just under it.
  if (low > 0 && high / low >= 50) return { log: true, low: Math.log10(low), high: Math.log10(high) };
  if (low === high) {
    const margin = Math.abs(low) * 0.1 || 1;
    low -= margin;
    high += margin;
  }
  return { log: false, low, high };
}

function pathData(points: Point[][]): string {
  return points
    .filter((segment) => segment.length > 0)
    .map((segment) => segment.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`).join(''))
    .join('');
}

/** The curve of every parameter group, with the lr range and the rounds on the axes. */
export function curveSvg(series: LrSeries, options: CurveOptions = {}): string {
  const width = options.width ?? 320;
  const height = options.height ?? 110;
  const frame: Frame = { left: 46, right: width - 8, top: 8, bottom: height - 18 };
  const all = series.groups.flat();
  const scale = axisScale(all);
  const rounds = Math.max(series.rounds, 1);
  const xOf = (x: number) => frame.left + (x / rounds) * (frame.right - frame.left);
  const yOf = (value: number) => {
    const v = scale.log ? Math.log10(value) : value;
    return frame.bottom - ((v - scale.low) / (scale.high - scale.low)) * (frame.bottom - frame.top);
  };
  const columns = Math.max(1, Math.floor(frame.right - frame.left));

  const lines = series.groups.map((values, g) => {
    const segments: Point[][] = [[]];
    for (const { x, value } of columnPoints(values, columns)) {
      const plottable = Number.isFinite(value) && !(scale.log && value <= 0);
      if (!plottable) {
        if (segments[segments.length - 1].length) segments.push([]);
        continue;
      }
      segments[segments.length - 1].push([xOf(x), yOf(value)]);
    }
    const color = GROUP_COLORS[g % GROUP_COLORS.length];
    return `<path d="${pathData(segments)}" fill="none" stroke="${color}" stroke-width="1.6" stroke-linejoin="round"/>`;
  });

  const finite = all.filter(Number.isFinite);
  const maxLabel = finite.length ? formatLr(Math.max(...finite)) : '–';
  const minLabel = finite.length ? formatLr(Math.min(...finite)) : '–';
  const unit = series.unit === 'step' ? 'step' : 'epoch';
  const text = (x: number, y: number, anchor: string, content: string) =>
    `<text x="${x}" y="${y}" text-anchor="${anchor}">${content}</text>`;
  const failure = series.failsAt
    ? `<line x1="${xOf(Math.min(series.failsAt.step, rounds)).toFixed(1)}" y1="${frame.top}" x2="${xOf(Math.min(series.failsAt.step, rounds)).toFixed(1)}" y2="${frame.bottom}" stroke="#f14c4c" stroke-dasharray="3 2"/>`
    : '';

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<g font-family="sans-serif" font-size="10" fill="#888">`,
    text(frame.left - 4, frame.top + 8, 'end', maxLabel),
    text(frame.left - 4, frame.bottom, 'end', minLabel),
    text(frame.left, height - 4, 'start', '0'),
    text((frame.left + frame.right) / 2, height - 4, 'middle', scale.log ? `${unit} (log lr)` : unit),
    text(frame.right, height - 4, 'end', String(series.rounds)),
    `</g>`,
    `<path d="M${frame.left} ${frame.top}V${frame.bottom}H${frame.right}" fill="none" stroke="#888" stroke-opacity="0.6"/>`,
    ...lines,
    failure,
    `</svg>`,
  ].join('');
}

export function svgDataUri(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}
