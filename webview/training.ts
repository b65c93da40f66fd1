// The panel's training view: a quick-training run (training loss, validation loss and accuracy, and
// each param group's lr, on one epoch axis), streamed as epochs arrive, and the LR range test (loss
// against lr on a log axis, the suggestions marked, a button per suggestion to write it into the code).
// PanelTrainer runs the host's quick-training requests here, on WebGPU (navigator.gpu exists in the
// webview, not in the extension host), posting each epoch back as the CPU worker would.
import { Chart, type ChartDataset, type ScatterDataPoint } from 'chart.js';
import type { AnnotationOptions } from 'chartjs-plugin-annotation';
import { floatRepr } from '../src/engine/python/values';
import { parseCaseJson } from '../src/engine/caseJson';
import type { ScheduleCase } from '../src/engine/case';
import type { LrRangeView, RunTrainingMessage, TrainingEpochPoint, TrainingFinishedMessage, TrainingRunView, WebviewMessage } from '../src/shared/protocol';
import { learningRateText } from '../src/extension/training/plan';
import { runTraining } from '../src/training/session';
import { themePalette } from './chart';

type Palette = ReturnType<typeof themePalette>;

const SUGGESTIONS: { key: keyof LrRangeView['suggestions']; label: string }[] = [
  { key: 'steepest', label: 'steepest descent' },
  { key: 'valley', label: 'valley' },
  { key: 'minimumTenth', label: 'minimum / 10' },
];

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

const point = (x: number, y: number | null): ScatterDataPoint => ({ x, y: y ?? Number.NaN });

function baseOptions(palette: Palette) {
  return {
    animation: false as const,
    parsing: false as const,
    normalized: true,
    responsive: true,
    maintainAspectRatio: false,
    events: [] as [],
    plugins: {
      legend: { labels: { boxWidth: 12, color: palette.foreground, font: { family: palette.font } } },
      tooltip: { enabled: false },
      annotation: { annotations: {} },
    },
  };
}

export class TrainingView {
  readonly section = el('section', { class: 'training', 'aria-label': 'Quick training', hidden: '' });
  private readonly runBox = el('div', { class: 'training-run', hidden: '' });
  private readonly runTitle = el('h2');
  private readonly runStatus = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly rangeBox = el('div', { class: 'training-range', hidden: '' });
  private readonly rangeTitle = el('h2');
  private readonly rangeStatus = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly liveToggle = el('input', { type: 'checkbox', id: 'training-live', checked: '' });
  private readonly liveLabel = el('label', { for: 'training-live', class: 'toggle', hidden: '' });
  /** The last finished run was fast enough to re-train on every control change. */
  private fast = false;
  private readonly suggestionButtons = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Suggested learning rates' });
  /** Made on first use, so a panel without training has only the schedule's canvas. */
  private runChartInstance: Chart<'line', ScatterDataPoint[]> | null = null;
  private rangeChartInstance: Chart<'line', ScatterDataPoint[]> | null = null;
  private run: TrainingRunView | null = null;
  private range: LrRangeView | null = null;
  private palette = themePalette();
  /** Apply's request ids (main.ts) count up from 1: these stay apart from them. */
  private requestId = 1_000_000;

  constructor(private readonly post: (message: WebviewMessage) => void) {
    this.liveLabel.append(this.liveToggle, document.createTextNode(' re-train when a control changes'));
    this.section.append(this.runBox, this.rangeBox);
  }

  /** The run to re-train after a control of the scheduler it trained changed, when live re-training is on; else null. */
  liveRunId(uri: string, line: number): number | null {
    const run = this.run;
    return run && this.fast && this.liveToggle.checked && run.uri === uri && run.line === line ? run.runId : null;
  }

  get runChart(): Chart<'line', ScatterDataPoint[]> {
    if (!this.runChartInstance) {
      const wrap = el('div', { class: 'canvas-wrap training-canvas' });
      wrap.append(el('canvas', { role: 'img', 'aria-label': 'Quick training: loss, validation loss, validation accuracy and lr per epoch' }));
      this.runBox.append(this.runTitle, wrap, this.runStatus, this.liveLabel);
      this.runChartInstance = this.makeChart(wrap.firstChild as HTMLCanvasElement);
    }
    return this.runChartInstance;
  }

  get rangeChart(): Chart<'line', ScatterDataPoint[]> {
    if (!this.rangeChartInstance) {
      const wrap = el('div', { class: 'canvas-wrap training-canvas' });
      wrap.append(el('canvas', { role: 'img', 'aria-label': 'LR range test: loss against learning rate, with the suggested learning rates marked' }));
      this.rangeBox.append(this.rangeTitle, wrap, this.suggestionButtons, this.rangeStatus);
      this.rangeChartInstance = this.makeChart(wrap.firstChild as HTMLCanvasElement);
    }
    return this.rangeChartInstance;
  }

  private makeChart(canvas: HTMLCanvasElement): Chart<'line', ScatterDataPoint[]> {
    const background = {
      id: 'lrLensTrainingBackground',
      beforeDraw: (chart: Chart) => {
        chart.ctx.save();
        chart.ctx.fillStyle = this.palette.background;
        chart.ctx.fillRect(0, 0, chart.width, chart.height);
        chart.ctx.restore();
      },
    };
    return new Chart<'line', ScatterDataPoint[]>(canvas, { type: 'line', data: { datasets: [] }, plugins: [background], options: { ...baseOptions(this.palette), scales: {} } });
  }

  showRun(run: TrainingRunView): void {
    this.run = { ...run, epochs: [...run.epochs] };
    // While a re-training runs the previous verdict stands; a finished run decides anew.
    if (run.status !== 'running') this.fast = run.live;
    this.liveLabel.hidden = !this.fast;
    this.drawRun();
  }

  addEpoch(runId: number, epoch: TrainingEpochPoint): void {
    if (this.run?.runId !== runId) return;
    const at = this.run.epochs.findIndex((item) => item.epoch === epoch.epoch);
    if (at >= 0) this.run.epochs[at] = epoch;
    else this.run.epochs.push(epoch);
    this.drawRun();
  }

  showRange(range: LrRangeView): void {
    this.range = range;
    this.drawRange();
  }

  refreshTheme(): void {
    this.palette = themePalette();
    if (this.run) this.drawRun();
    if (this.range) this.drawRange();
  }

  private reveal(): void {
    this.section.hidden = false;
  }

  private drawRun(): void {
    const run = this.run;
    if (!run) return;
    this.reveal();
    this.runBox.hidden = false;
    this.runTitle.textContent = run.title;
    const palette = this.palette;
    const text = { color: palette.foreground, font: { family: palette.font } };
    const x = (epoch: TrainingEpochPoint) => epoch.epoch + 1;
    const line = (label: string, color: string, yAxisID: string, data: ScatterDataPoint[], dashed = false): ChartDataset<'line', ScatterDataPoint[]> => ({
      label,
      data,
      yAxisID,
      borderColor: color,
      backgroundColor: color,
      borderWidth: 1.5,
      borderDash: dashed ? [5, 3] : [],
      pointRadius: run.epochs.length <= 60 ? 2 : 0,
    });
    const [blue, orange, green, purple] = palette.groups;
    const datasets = [
      line('training loss', blue, 'yLoss', run.epochs.map((e) => point(x(e), e.trainLoss))),
      line('validation loss', orange, 'yLoss', run.epochs.map((e) => point(x(e), e.valLoss)), true),
      line('validation accuracy', green, 'yAccuracy', run.epochs.map((e) => point(x(e), e.valAccuracy))),
    ];
    const groups = run.epochs[0]?.lr.length ?? 0;
    for (let g = 0; g < groups; g++) {
      datasets.push(line(groups > 1 ? `lr (group ${g})` : 'lr', g === 0 ? purple : palette.groups[(3 + g) % palette.groups.length], 'yLr', run.epochs.map((e) => point(x(e), e.lr[g]))));
    }
    this.runChart.data.datasets = datasets;
    const axis = (title: string, position: 'left' | 'right', extra: object = {}) => ({
      type: 'linear',
      position,
      title: { display: true, text: title, ...text },
      ticks: text,
      grid: position === 'left' ? { color: palette.grid } : { drawOnChartArea: false },
      ...extra,
    });
    this.runChart.options.scales = {
      x: { type: 'linear', min: 0, max: Math.max(run.epochsPlanned, 1), title: { display: true, text: 'epoch', ...text }, ticks: { ...text, precision: 0 }, grid: { color: palette.grid } },
      yLoss: axis('loss', 'left'),
      yAccuracy: axis('validation accuracy', 'right', { min: 0, max: 1 }),
      yLr: axis('lr', 'right'),
    } as typeof this.runChart.options.scales;
    this.runChart.options.plugins!.legend!.labels!.color = palette.foreground;
    this.runChart.update('none');
    const last = run.epochs[run.epochs.length - 1];
    const progress = `${run.epochs.length}/${run.epochsPlanned} epochs`;
    const latest = last
      ? ` · training loss ${format(last.trainLoss)} · validation loss ${format(last.valLoss)} · validation accuracy ${last.valAccuracy === null ? 'n/a' : `${(100 * last.valAccuracy).toFixed(1)}%`} · lr [${last.lr.map(floatRepr).join(', ')}]`
      : '';
    // While running, where it trains and why (a fallback); a finished run's message says both.
    const backend = run.backend ? ` · ${run.backend}` : '';
    this.runStatus.textContent =
      run.status === 'running'
        ? `Training… ${progress}${latest}${backend}${run.message ? ` · ${run.message}` : ''}`
        : `${run.message ?? run.status}${run.status === 'error' ? '' : latest}`;
    this.runStatus.classList.toggle('error', run.status === 'error');
    this.rendered();
  }

  private drawRange(): void {
    const range = this.range;
    if (!range) return;
    this.reveal();
    this.rangeBox.hidden = false;
    this.rangeTitle.textContent = range.title;
    const palette = this.palette;
    const text = { color: palette.foreground, font: { family: palette.font } };
    const [blue, orange] = palette.groups;
    this.rangeChart.data.datasets = [
      { label: 'loss', data: range.points.map((p) => point(p.lr, p.loss)), borderColor: palette.muted, backgroundColor: palette.muted, borderWidth: 1, pointRadius: 0 },
      { label: 'smoothed loss', data: range.points.map((p) => point(p.lr, p.smoothed)), borderColor: blue, backgroundColor: blue, borderWidth: 2, pointRadius: 0 },
    ];
    const annotations: Record<string, AnnotationOptions> = {};
    for (const { key, label } of SUGGESTIONS) {
      const value = range.suggestions[key];
      if (value === null) continue;
      annotations[key] = {
        type: 'line',
        scaleID: 'x',
        value,
        borderColor: key === 'steepest' ? orange : key === 'valley' ? palette.marker : palette.reduction,
        borderWidth: 1.5,
        borderDash: [4, 3],
        label: { display: true, content: `${label}: ${learningRateText(value)}`, position: key === 'steepest' ? 'start' : key === 'valley' ? 'center' : 'end', font: { size: 11 } },
      };
    }
    this.rangeChart.options.plugins!.annotation = { annotations };
    this.rangeChart.options.scales = {
      x: { type: 'logarithmic', title: { display: true, text: 'learning rate', ...text }, ticks: { ...text, callback: decadeTick }, grid: { color: palette.grid } },
      y: { type: 'linear', title: { display: true, text: 'loss', ...text }, ticks: text, grid: { color: palette.grid } },
    } as typeof this.rangeChart.options.scales;
    this.rangeChart.options.plugins!.legend!.labels!.color = palette.foreground;
    this.rangeChart.update('none');
    this.suggestionButtons.replaceChildren(
      ...SUGGESTIONS.filter(({ key }) => range.suggestions[key] !== null).map(({ key, label }) => {
        const value = range.suggestions[key]!;
        const button = el('button', { type: 'button', 'data-suggestion': key, title: `Write ${range.argument}=${learningRateText(value)} into the code (one undo reverts it)` }, `Use ${label}: ${range.argument}=${learningRateText(value)}`);
        button.addEventListener('click', () => this.post({ type: 'applyLearningRate', requestId: ++this.requestId, value }));
        return button;
      }),
    );
    this.rangeStatus.textContent = range.status === 'running' ? 'Sweeping the learning rate…' : (range.message ?? range.status);
    this.rangeStatus.classList.toggle('error', range.status === 'error');
    this.rendered();
  }

  private rendered(): void {
    this.post({ type: 'trainingRendered', runId: this.run?.runId ?? null, epochs: this.run?.epochs.length ?? 0, rangePoints: this.range?.points.length ?? 0 });
  }
}

/**
 * Runs the host's quick-training requests on this page's WebGPU. A run that cannot use WebGPU (no
 * navigator.gpu, no adapter, only a software adapter under "auto", the backend fell back) ends
 * `unavailable` with the reason, and the host trains it on its CPU worker: this page never trains on
 * the CPU in the host's place.
 */
export class PanelTrainer {
  private readonly cancelled = new Set<number>();

  constructor(
    private readonly post: (message: WebviewMessage) => void,
    private readonly gpu: GPU | null = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu ?? null,
  ) {}

  cancel(runId: number): void {
    this.cancelled.add(runId);
  }

  async run({ runId, request, caseJson }: RunTrainingMessage): Promise<void> {
    const finish = (ending: Omit<TrainingFinishedMessage, 'type' | 'runId'>) => {
      this.cancelled.delete(runId);
      this.post({ type: 'trainingFinished', runId, ...ending });
    };
    const unavailable = (reason: string) => finish({ status: 'unavailable', backend: null, reason, epochs: [], steps: [] });
    if (!this.gpu) return unavailable('the panel has no navigator.gpu');
    const adapter = await this.gpu.requestAdapter().catch(() => null);
    if (!adapter) return unavailable('the panel’s navigator.gpu gave no adapter');
    if (request.backend === 'auto' && adapter.info?.isFallbackAdapter) {
      const name = [adapter.info.vendor, adapter.info.architecture].filter((part) => part).join(' ') || 'software';
      return unavailable(`the panel’s only WebGPU adapter is a software one (${name}), slower than the CPU worker here`);
    }
    try {
      const outcome = await runTraining(
        { ...request, backend: 'webgpu', case: parseCaseJson(caseJson) as ScheduleCase },
        {
          gpu: this.gpu,
          onEpoch: (epoch) => this.post({ type: 'trainingProgress', runId, epoch }),
          isCancelled: () => this.cancelled.has(runId),
        },
      );
      if (outcome.backend !== 'webgpu') return unavailable(outcome.fallbackReason ?? 'the run did not use WebGPU');
      finish({ status: this.cancelled.has(runId) ? 'cancelled' : 'done', backend: 'webgpu', reason: null, epochs: outcome.epochs, steps: outcome.steps });
    } catch (error) {
      finish({ status: 'error', backend: null, reason: error instanceof Error ? error.message : String(error), epochs: [], steps: [] });
    }
  }
}

/** Log-axis ticks: label the powers of ten only (1e-7 … 10), as the sweep spans decades. */
function decadeTick(value: string | number): string {
  const exponent = Math.log10(Number(value));
  if (Math.abs(exponent - Math.round(exponent)) > 1e-9) return '';
  const power = Math.round(exponent);
  return power >= 0 && power <= 3 ? String(10 ** power) : `1e${power}`;
}

function format(value: number | null): string {
  return value === null ? 'n/a' : value.toPrecision(4);
}
