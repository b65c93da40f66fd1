// The schedule chart: chart.js with min-max decimation for long runs, annotation lines for phase changes,
// zoom/pan, a theme-following palette, and a keyboard-driven readout of the exact value at a round.
import {
  Chart,
  ChartDataset,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  Plugin,
  PointElement,
  ScatterDataPoint,
} from 'chart.js';
import annotationPlugin, { AnnotationOptions } from 'chartjs-plugin-annotation';
import zoomPlugin from 'chartjs-plugin-zoom';
import type { PlateauRun } from './plateau';
import type { Marker, Series } from './series';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, annotationPlugin, zoomPlugin);

export interface ChartView {
  series: Series;
  ghost: Series | null;
  markers: Marker[];
  reductions: number[];
  /** Rounds per x unit: 1, or steps per epoch when the x axis shows epochs. */
  perUnit: number;
  xLabel: string;
  log: boolean;
  metric: ArrayLike<number> | null;
  plateau: PlateauRun | null;
}

interface Palette {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  error: string;
  marker: string;
  reduction: string;
  groups: string[];
  font: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value === '' ? fallback : value;
}

/** Colours from VS Code's theme variables, so the chart reads in light, dark and high-contrast themes. */
export function themePalette(element: Element = document.body): Palette {
  const style = getComputedStyle(element);
  const foreground = cssVar(style, '--vscode-editor-foreground', cssVar(style, '--vscode-foreground', '#333'));
  return {
    foreground,
    muted: cssVar(style, '--vscode-descriptionForeground', foreground),
    grid: cssVar(style, '--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    background: cssVar(style, '--vscode-editor-background', '#fff'),
    error: cssVar(style, '--vscode-errorForeground', '#e51400'),
    marker: cssVar(style, '--vscode-charts-purple', '#a074c4'),
    reduction: cssVar(style, '--vscode-charts-red', '#e51400'),
    groups: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-red'].map(
      (name, index) => cssVar(style, name, ['#1a85ff', '#d18616', '#388a34', '#652d90', '#bf8803', '#e51400'][index]),
    ),
    font: cssVar(style, '--vscode-font-family', 'sans-serif'),
  };
}

/** The x range shown (in rounds) and how many pixel columns it spans: what decimation keeps. */
export interface Window {
  from: number;
  to: number;
  columns: number;
}

/**
 * Chart points of a series: every round when they fit the canvas, else min-max decimation over the
 * visible rounds (per pixel column: the first, lowest, highest and last round, in order), which keeps
 * every step and peak the eye can see while handing chart.js a few thousand points instead of every
 * round. Drawn points are exact values of the series. Cached per array and window, so the ghost (an
 * earlier series) costs nothing to redraw.
 */
export function decimatedPoints(values: ArrayLike<number>, perUnit: number, log: boolean, window: Window, offset = 0): ScatterDataPoint[] {
  const key = `${perUnit}|${log}|${window.from}|${window.to}|${window.columns}|${offset}`;
  const cached = pointCache.get(values);
  if (cached?.key === key) return cached.data;
  const data: ScatterDataPoint[] = [];
  const usable = (y: number) => Number.isFinite(y) && !(log && y <= 0);
  const push = (k: number) => {
    const y = values[k];
    // A log axis cannot show 0 or negatives; they are left out rather than drawn wrong.
    if (usable(y)) data.push({ x: (k + offset) / perUnit, y });
  };
  const first = Math.max(0, Math.floor(window.from) - offset - 1);
  const last = Math.min(values.length - 1, Math.ceil(window.to) - offset + 1);
  const span = last - first + 1;
  if (span <= 2 * window.columns) {
    for (let k = first; k <= last; k++) push(k);
  } else {
    const perColumn = span / window.columns;
    for (let column = 0; column < window.columns; column++) {
      const start = first + Math.floor(column * perColumn);
      const end = Math.min(last, first + Math.floor((column + 1) * perColumn) - 1);
      if (end < start) continue;
      let low = -1;
      let high = -1;
      for (let k = start; k <= end; k++) {
        const y = values[k];
        if (!usable(y)) continue;
        if (low === -1 || y < values[low]) low = k;
        if (high === -1 || y > values[high]) high = k;
      }
      const kept = [start, low, high, end].filter((k) => k !== -1).sort((a, b) => a - b);
      for (let i = 0; i < kept.length; i++) if (i === 0 || kept[i] !== kept[i - 1]) push(kept[i]);
    }
  }
  pointCache.set(values, { key, data });
  return data;
}

const pointCache = new WeakMap<ArrayLike<number>, { key: string; data: ScatterDataPoint[] }>();

export class LrChart {
  readonly chart: Chart<'line', ScatterDataPoint[]>;
  private view: ChartView | null = null;
  private readonly datasets = new Map<string, ChartDataset<'line', ScatterDataPoint[]>>();
  private scalesKey = '';
  private annotationsKey = '';
  private palette: Palette;
  /** The round the readout shows (pointer or keyboard), or null. */
  cursor: number | null = null;

  constructor(
    canvas: HTMLCanvasElement,
    private readonly onCursor: (round: number | null) => void,
  ) {
    this.palette = themePalette();
    const crosshair: Plugin<'line'> = {
      id: 'lrLensCrosshair',
      beforeDraw: (chart) => {
        // An opaque background, so an exported PNG reads like the panel.
        const { ctx, width, height } = chart;
        ctx.save();
        ctx.fillStyle = this.palette.background;
        ctx.fillRect(0, 0, width, height);
        ctx.restore();
      },
      afterDatasetsDraw: (chart) => {
        if (this.cursor === null || !this.view) return;
        const x = chart.scales.x.getPixelForValue(this.cursor / this.view.perUnit);
        const { top, bottom, left, right } = chart.chartArea;
        if (x < left || x > right) return;
        const ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = this.palette.foreground;
        ctx.globalAlpha = 0.6;
        ctx.setLineDash([3, 3]);
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.stroke();
        ctx.restore();
      },
    };
    this.chart = new Chart<'line', ScatterDataPoint[]>(canvas, {
      type: 'line',
      data: { datasets: [] },
      plugins: [crosshair],
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        // Points filtered out (non-finite, or ≤ 0 on a log axis) leave no gap to look for.
        spanGaps: true,
        responsive: true,
        maintainAspectRatio: false,
        events: ['mousemove', 'mouseout', 'click'],
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        onHover: (event, _elements, chart) => {
          if (event.x === null || !this.view) return;
          const { left, right } = chart.chartArea;
          if (event.x < left || event.x > right) return this.setCursor(null);
          this.setCursor(Math.round(chart.scales.x.getValueForPixel(event.x)! * this.view.perUnit));
        },
        plugins: {
          legend: { labels: { boxWidth: 12, filter: (item) => !String(item.text).startsWith('(') } },
          tooltip: { enabled: false },
          annotation: { annotations: {} },
          // Zooming in shows more rounds per pixel column: decimate again for the new window.
          zoom: {
            zoom: { wheel: { enabled: true }, pinch: { enabled: true }, mode: 'x', onZoomComplete: () => this.redecimate() },
            pan: { enabled: true, mode: 'x', onPanComplete: () => this.redecimate() },
            limits: { x: { min: 'original', max: 'original' } },
          },
        },
        scales: {},
      },
    });
    canvas.addEventListener('mouseleave', () => this.setCursor(null));
  }

  setCursor(round: number | null): void {
    const limit = this.view ? this.view.series.rounds - 1 : 0;
    const next = round === null ? null : Math.max(0, Math.min(limit, round));
    if (next === this.cursor) return;
    this.cursor = next;
    this.chart.draw();
    this.onCursor(next);
  }

  /** Keyboard: arrows move the readout by a round (Shift: ten), Home/End jump, +/- zoom, 0 resets the zoom. */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.view) return false;
    const rounds = this.view.series.rounds;
    const big = Math.max(10, Math.round(rounds / 20));
    const current = this.cursor ?? 0;
    switch (event.key) {
      case 'ArrowRight':
        this.setCursor(current + (event.shiftKey ? big : 1));
        return true;
      case 'ArrowLeft':
        this.setCursor(current - (event.shiftKey ? big : 1));
        return true;
      case 'PageUp':
        this.setCursor(current + big);
        return true;
      case 'PageDown':
        this.setCursor(current - big);
        return true;
      case 'Home':
        this.setCursor(0);
        return true;
      case 'End':
        this.setCursor(rounds - 1);
        return true;
      case '+':
      case '=':
        this.chart.zoom(1.25);
        this.redecimate();
        return true;
      case '-':
        this.chart.zoom(0.8);
        this.redecimate();
        return true;
      case '0':
        this.resetZoom();
        return true;
      case 'Escape':
        this.setCursor(null);
        return true;
      default:
        return false;
    }
  }

  refreshTheme(): void {
    this.palette = themePalette();
    this.scalesKey = '';
    this.annotationsKey = '';
    if (this.view) this.update(this.view);
  }

  resetZoom(): void {
    this.chart.resetZoom('none');
    if (this.view) this.update(this.view);
  }

  /** Decimates again for the zoomed window (chart.js keeps the zoom across the update). */
  private redecimate(): void {
    if (this.view) this.update(this.view, true);
  }

  private window(rounds: number, perUnit: number, keepZoom: boolean): Window {
    const columns = Math.max(100, Math.round(this.chart.chartArea?.width ?? this.chart.width ?? 800));
    const scale = this.chart.scales.x;
    if (keepZoom && scale) return { from: scale.min * perUnit, to: scale.max * perUnit, columns };
    return { from: 0, to: rounds, columns };
  }

  update(view: ChartView, keepZoom = false): void {
    this.view = view;
    const palette = this.palette;
    const { series, perUnit, log } = view;
    const zoomed = keepZoom || this.chart.isZoomedOrPanned();
    const window = this.window(series.rounds, perUnit, zoomed);
    const points = (values: ArrayLike<number>, _perUnit: number, onLog: boolean, offset = 0) => decimatedPoints(values, perUnit, onLog, window, offset);
    const datasets: ChartDataset<'line', ScatterDataPoint[]>[] = [];
    const groups = series.lr.length;
    const groupLabel = (g: number) => (groups === 1 ? 'lr' : `lr group ${g}`);
    series.lr.forEach((values, g) => {
      datasets.push({
        label: groupLabel(g),
        data: points(values, perUnit, log),
        yAxisID: 'y',
        borderColor: palette.groups[g % palette.groups.length],
        backgroundColor: palette.groups[g % palette.groups.length],
        borderWidth: 2,
        pointRadius: 0,
        stepped: true,
      });
    });
    view.ghost?.lr.forEach((values, g) => {
      datasets.push({
        label: `(before) ${groupLabel(g)}`,
        data: points(values, perUnit, log),
        yAxisID: 'y',
        // The ghost: the curve before the last change, faint, for comparison.
        borderColor: withAlpha(palette.groups[g % palette.groups.length], 0.35),
        borderWidth: 1.5,
        borderDash: [4, 4],
        pointRadius: 0,
        stepped: true,
        order: 10,
      });
    });
    if (series.momentum) {
      series.momentum.forEach((values, g) => {
        datasets.push({
          label: groups === 1 ? series.momentumLabel : `${series.momentumLabel} group ${g}`,
          data: points(values, perUnit, false),
          yAxisID: 'yMomentum',
          borderColor: withAlpha(palette.groups[(g + 2) % palette.groups.length], 0.9),
          borderWidth: 1.5,
          borderDash: [2, 2],
          pointRadius: 0,
        });
      });
    }
    if (view.metric) {
      datasets.push({
        label: 'metric',
        // metric k is passed to step() in round k+1: draw it where it takes effect.
        data: points(view.metric, perUnit, false, 1),
        yAxisID: 'yMetric',
        borderColor: withAlpha(palette.muted, 0.8),
        borderWidth: 1,
        pointRadius: 0,
      });
    }
    if (view.plateau) {
      datasets.push({
        label: 'num_bad_epochs',
        data: points(view.plateau.numBadEpochs, perUnit, false),
        yAxisID: 'yCount',
        borderColor: palette.groups[1],
        borderWidth: 1.5,
        pointRadius: 0,
        stepped: true,
      });
      datasets.push({
        label: 'cooldown_counter',
        data: points(view.plateau.cooldownCounter, perUnit, false),
        yAxisID: 'yCount',
        borderColor: palette.groups[2],
        borderWidth: 1.5,
        pointRadius: 0,
        stepped: true,
      });
    }
    // Dataset objects are kept across updates (chart.js keys its element caches on them).
    this.chart.data.datasets = datasets.map((dataset) => {
      const kept = this.datasets.get(dataset.label!);
      if (!kept) {
        this.datasets.set(dataset.label!, dataset);
        return dataset;
      }
      for (const key of Object.keys(kept) as (keyof typeof kept)[]) if (!(key in dataset) && !key.startsWith('_') && key !== 'data') delete kept[key];
      return Object.assign(kept, dataset);
    });

    const text = { color: palette.foreground, font: { family: palette.font, size: 11 } };
    const grid = { color: palette.grid };
    const stacked = view.plateau !== null;
    const scales: Record<string, object> = {};
    if (stacked) {
      // The counters strip sits under the lr axis; chart.js stacks later axes above earlier ones.
      scales.yCount = {
        type: 'linear',
        position: 'left',
        stack: 'left',
        stackWeight: 1,
        offset: true,
        beginAtZero: true,
        title: { display: true, text: 'counters', ...text },
        ticks: { ...text, precision: 0 },
        grid,
      };
    }
    Object.assign(scales, {
      x: {
        type: 'linear',
        min: zoomed ? window.from / perUnit : 0,
        max: zoomed ? window.to / perUnit : Math.max(1, (series.rounds - 1) / perUnit),
        title: { display: true, text: view.xLabel, ...text },
        ticks: text,
        grid,
      },
      y: {
        type: log ? 'logarithmic' : 'linear',
        position: 'left',
        title: { display: true, text: 'get_last_lr()', ...text },
        ticks: { ...text, callback: (value: number | string) => formatTick(Number(value)) },
        grid,
        ...(stacked ? { stack: 'left', stackWeight: 3 } : {}),
      },
    });
    if (series.momentum) {
      scales.yMomentum = { type: 'linear', position: 'right', title: { display: true, text: series.momentumLabel, ...text }, ticks: text, grid: { drawOnChartArea: false } };
    }
    if (view.metric) {
      scales.yMetric = { type: 'linear', position: 'right', title: { display: true, text: 'metric', ...text }, ticks: text, grid: { drawOnChartArea: false } };
    }
    const options = this.chart.options;
    // New option objects make chart.js resolve every option again: replace them only when they change.
    const scalesKey = JSON.stringify(scales) + palette.font;
    if (scalesKey !== this.scalesKey) {
      this.scalesKey = scalesKey;
      options.scales = scales as typeof options.scales;
      options.color = palette.foreground;
      options.plugins!.legend!.labels!.color = palette.foreground;
    }
    const annotations = this.annotations(view);
    const annotationsKey = JSON.stringify(annotations);
    if (annotationsKey !== this.annotationsKey) {
      this.annotationsKey = annotationsKey;
      options.plugins!.annotation = { annotations };
    }
    this.chart.update('none');
  }

  private annotations(view: ChartView): Record<string, AnnotationOptions> {
    const palette = this.palette;
    const result: Record<string, AnnotationOptions> = {};
    const line = (id: string, at: number, label: string, color: string, dash: number[], showLabel = true) => {
      result[id] = {
        type: 'line',
        scaleID: 'x',
        value: at / view.perUnit,
        borderColor: color,
        borderWidth: 1,
        borderDash: dash,
        label: {
          display: showLabel,
          content: label,
          position: 'start',
          color: palette.foreground,
          backgroundColor: withAlpha(palette.background, 0.85),
          font: { size: 10, family: palette.font },
          padding: 2,
        },
      };
    };
    view.markers.forEach((marker, index) => line(`marker${index}`, marker.at, marker.label, palette.marker, [4, 3]));
    // Reductions can be many and close together: lines only (the counters line below the chart lists them).
    view.reductions.forEach((at, index) => line(`reduction${index}`, at, 'reduce', palette.reduction, [2, 2], false));
    const failure = view.series.failsAt;
    if (failure) line('failure', failure.step, `${failure.message.split(':')[0]} at step ${failure.step}`, palette.error, []);
    return result;
  }
}

function formatTick(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e4 ? String(Number(value.toPrecision(3))) : value.toExponential(1);
}

/** `color` at `alpha` opacity, for hex and rgb() colours (others are returned unchanged). */
function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})([0-9a-f]{2})?$/i.exec(color.trim());
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(color.trim());
  if (rgb) {
    const [r, g, b] = rgb[1].split(/[ ,]+/);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  return color;
}
