// The schedule panel inside the webview: receives the document's schedulers from the host, runs the
// engine on every control change (same frame), draws the chart, and posts Apply/export requests back.
import type { ScheduleCase } from '../src/engine/case';
import { parseCaseJson } from '../src/engine/caseJson';
import { frameworkOf } from '../src/engine/frameworks';
import { floatRepr } from '../src/engine/python/values';
import type { HostMessage, LoadMessage, PanelCall, PanelSchedule, PanelViewState, WebviewMessage } from '../src/shared/protocol';
import { encodeCase, isHostMessage } from '../src/shared/protocol';
import { rangeWithin } from '../src/extension/panel/applyEdits';
import { LrChart } from './chart';
import { ControlsView } from './controls';
import { trajectoryCsv, specAsPython, tunedCallText } from './exports';
import { applyRequest, changedControls, ControlSpec, deriveControls, schedulerSpecOf, stepsPerEpochOf, tunedCase } from './model';
import { CsvTable, DEFAULT_SYNTHETIC, guessMetricColumn, parseCsv, PlateauRun, plateauRun, syntheticMetric } from './plateau';
import { phaseMarkers, schedulerColumn, Series, seriesOf } from './series';
import { Columns, simulateColumns } from './simulateColumns';
import { PanelTrainer, TrainingView } from './training';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): PanelViewState | undefined;
  setState(state: PanelViewState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

function button(label: string, title: string, onClick: () => void, attributes: Record<string, string> = {}): HTMLButtonElement {
  const element = el('button', { type: 'button', title, ...attributes }, label);
  element.addEventListener('click', onClick);
  return element;
}

/** What is drawn now, and the state of the last good simulation. */
interface Current {
  document: LoadMessage['document'];
  schedules: PanelSchedule[];
  schedule: PanelSchedule;
  base: ScheduleCase;
  controls: ControlSpec[];
  texts: Record<string, string>;
  /** The series after the last committed change: the ghost while the next change is being made. */
  committed: Series | null;
  /** The series before the last committed change: the ghost once it is made. */
  previous: Series | null;
  ghost: Series | null;
  shown: Series | null;
  metric: number[] | null;
  /** Steps per epoch of the drawn case (mmengine's tuned iterations per epoch), for the x axis in epochs. */
  stepsPerEpoch: number | null;
}

class Panel {
  private current: Current | null = null;
  private state: PanelViewState;
  private csvTable: CsvTable | null = null;
  private requestId = 0;
  private lastEdited: string | null = null;
  private lastRetrain = '';

  private readonly picker = el('select', { id: 'schedule-picker', 'aria-label': 'Scheduler in this file' });
  private readonly location = el('button', { type: 'button', class: 'link', title: 'Show the constructor in the editor' });
  private readonly notice = el('div', { class: 'notice', role: 'status' });
  private readonly readout = el('div', { class: 'readout', 'aria-live': 'polite' });
  private readonly chartError = el('div', { class: 'chart-error', role: 'alert' });
  private readonly canvas = el('canvas', {
    tabindex: '0',
    role: 'img',
    'aria-label': 'Learning-rate schedule chart. Arrow keys move the readout; plus and minus zoom; 0 resets the zoom.',
  });
  private readonly controlsBox = el('div', { class: 'controls' });
  private readonly metricBox = el('fieldset', { class: 'section metric' });
  private readonly countersBox = el('div', { class: 'counters', 'aria-live': 'polite' });
  private readonly logToggle = el('input', { type: 'checkbox', id: 'log-scale' });
  private readonly unitToggle = el('select', { id: 'x-unit', 'aria-label': 'x axis unit' });
  private readonly applyButton: HTMLButtonElement;
  private readonly status = el('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  readonly chart: LrChart;
  readonly training = new TrainingView((message) => vscode.postMessage(message));
  private readonly trainer = new PanelTrainer((message) => vscode.postMessage(message));
  private readonly controls: ControlsView;
  private lastPlateau: PlateauRun | null = null;
  /** The series drawn now, at full length (the chart holds decimated points): for tests and the benchmark. */
  shown(): Series | null {
    return this.current?.shown ?? null;
  }

  /** The last redraw's cost, read by the benchmark: the engine, then series, chart update and drawing. */
  timings = { simulateMs: 0, drawMs: 0 };

  constructor(root: HTMLElement) {
    const restored = vscode.getState();
    this.state = restored ?? { uri: null, line: null, edits: {}, logScale: false, xUnit: 'round', metric: { ...DEFAULT_SYNTHETIC } };

    this.applyButton = button('Apply', 'Write the changed arguments into the code (one undo reverts it)', () => this.apply(), { class: 'primary', disabled: '' });
    this.logToggle.checked = this.state.logScale;
    this.logToggle.addEventListener('change', () => {
      this.state.logScale = this.logToggle.checked;
      this.redraw(false);
    });
    this.unitToggle.addEventListener('change', () => {
      this.state.xUnit = this.unitToggle.value === 'epoch' ? 'epoch' : 'round';
      this.redraw(false);
    });
    this.picker.addEventListener('change', () => vscode.postMessage({ type: 'select', line: Number(this.picker.value) }));
    this.location.addEventListener('click', () => this.current && vscode.postMessage({ type: 'reveal', line: this.current.schedule.line }));

    const logLabel = el('label', { for: 'log-scale', class: 'toggle' });
    logLabel.append(this.logToggle, document.createTextNode(' log scale'));
    const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Chart' });
    toolbar.append(
      logLabel,
      this.unitToggle,
      button('Reset zoom', 'Show the whole run (key 0 on the chart)', () => this.chart.resetZoom()),
      this.applyButton,
      button('PNG', 'Save the chart as a PNG image', () => this.exportPng()),
      button('CSV', 'Save the trajectory as CSV', () => this.exportCsv()),
      button('Copy as Python', 'Copy the tuned constructor', () => this.copyPython()),
    );
    const header = el('header');
    const title = el('div', { class: 'title' });
    title.append(this.picker, this.location);
    header.append(title, toolbar);

    const chartArea = el('section', { class: 'chart-area', 'aria-label': 'Chart' });
    const wrap = el('div', { class: 'canvas-wrap' });
    wrap.append(this.canvas);
    chartArea.append(this.readout, wrap, this.chartError, this.countersBox);
    const aside = el('aside', { 'aria-label': 'Arguments' });
    aside.append(this.notice, this.controlsBox, this.metricBox, this.status);
    const main = el('main');
    main.append(chartArea, aside);
    root.append(header, main, this.training.section);

    this.chart = new LrChart(this.canvas, (round) => this.showReadout(round));
    this.canvas.addEventListener('keydown', (event) => {
      if (this.chart.handleKey(event)) event.preventDefault();
    });
    this.controls = new ControlsView(this.controlsBox, (path, text, commit) => this.onControl(path, text, commit));
    // VS Code switches themes by changing the body's class: re-read the colours then.
    new MutationObserver(() => {
      this.chart.refreshTheme();
      this.training.refreshTheme();
    }).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
    window.addEventListener('message', (event: MessageEvent) => {
      if (isHostMessage(event.data)) this.onMessage(event.data);
    });
    this.showEmpty('Open a Python file with a torch.optim.lr_scheduler constructor.');
    vscode.postMessage({ type: 'ready', state: restored ?? null });
  }

  // ------------------------------------------------------------ messages from the host

  private onMessage(message: HostMessage): void {
    switch (message.type) {
      case 'load':
        this.load(message);
        return;
      case 'empty':
        this.showEmpty(message.message);
        return;
      case 'applyResult':
        this.status.textContent = message.message;
        this.status.classList.toggle('error', !message.ok);
        return;
      case 'csvLoaded':
        this.state.metric = { kind: 'csv', name: message.name, text: message.text, column: -1 };
        this.csvTable = null;
        this.renderMetricControls();
        this.redraw(true);
        return;
      case 'trainingMetric':
        if (message.values.length === 0) {
          this.status.textContent = message.label;
          return;
        }
        this.state.metric = { kind: 'training', label: message.label, values: message.values };
        this.renderMetricControls();
        this.redraw(true);
        return;
      case 'trainingRun':
        this.training.showRun(message.run);
        // A finished run replaces the metric ReduceLROnPlateau replays, when that is the source chosen.
        if (message.run.status !== 'running' && this.state.metric.kind === 'training') vscode.postMessage({ type: 'requestTrainingMetric' });
        return;
      case 'trainingEpoch':
        this.training.addEpoch(message.runId, message.epoch);
        return;
      case 'lrRange':
        this.training.showRange(message.result);
        return;
      case 'runTraining':
        void this.trainer.run(message);
        return;
      case 'cancelTraining':
        this.trainer.cancel(message.runId);
        return;
    }
  }

  private showEmpty(message: string): void {
    this.current = null;
    document.body.classList.add('empty');
    this.notice.textContent = message;
    this.picker.replaceChildren();
    this.location.textContent = '';
    this.controlsBox.replaceChildren();
    this.metricBox.hidden = true;
    this.applyButton.disabled = true;
  }

  private load(message: LoadMessage): void {
    const schedule = message.schedules[message.selected];
    if (!schedule) return this.showEmpty('No scheduler to show.');
    document.body.classList.remove('empty');
    const previous = this.current;
    const same =
      previous !== null && previous.document.uri === message.document.uri && previous.schedule.type === schedule.type && previous.schedule.variable === schedule.variable;
    const restoring = previous === null && this.state.uri === message.document.uri && this.state.line === schedule.line;
    let base: ScheduleCase;
    try {
      base = parseCaseJson(schedule.caseJson) as ScheduleCase;
    } catch (error) {
      return this.showEmpty(`The panel could not read this scheduler's case: ${String(error)}`);
    }
    // Tuned values survive a re-analysis of the same scheduler (and a reload); what the code now says wins.
    const carried = same ? previous.texts : restoring ? this.state.edits : {};
    const controls = deriveControls(base, schedule.type, carried);
    const texts: Record<string, string> = {};
    for (const control of controls) {
      const text = carried[control.path];
      if (text !== undefined && text.trim() !== (control.original ?? '').trim()) texts[control.path] = text;
    }
    this.current = {
      document: message.document,
      schedules: message.schedules,
      schedule,
      base,
      controls,
      texts,
      committed: same ? previous.committed : null,
      previous: same ? previous.previous : null,
      ghost: null,
      shown: null,
      metric: null,
      stepsPerEpoch: schedule.stepsPerEpoch,
    };
    this.picker.replaceChildren(
      ...message.schedules.map((item) => el('option', { value: String(item.line) }, `line ${item.line}: ${item.variable ? `${item.variable} = ` : ''}${item.type}`)),
    );
    this.picker.value = String(schedule.line);
    this.picker.disabled = message.schedules.length < 2;
    this.location.textContent = `${message.document.fileName.split(/[\\/]/).pop()}:${schedule.line}`;
    const notes: string[] = [];
    if (schedule.unresolved.length > 0) notes.push(`Not resolved from the code: ${schedule.unresolved.join(', ')}. Set them below to see the curve.`);
    this.notice.textContent = notes.join(' ');
    const unitOptions = [el('option', { value: 'round' }, schedule.unit === 'step' ? 'x: steps' : 'x: epochs')];
    if (schedule.unit === 'step' && schedule.stepsPerEpoch) unitOptions.push(el('option', { value: 'epoch' }, 'x: epochs'));
    this.unitToggle.replaceChildren(...unitOptions);
    this.unitToggle.value = this.state.xUnit === 'epoch' && unitOptions.length > 1 ? 'epoch' : 'round';
    this.unitToggle.disabled = unitOptions.length < 2;
    this.controls.render(controls, texts);
    this.renderMetricControls();
    this.redraw(true);
  }

  // ------------------------------------------------------------ tuning

  private onControl(path: string, text: string, commit: boolean): void {
    if (!this.current) return;
    const control = this.current.controls.find((item) => item.path === path);
    if (!control) return;
    if (text.trim() === (control.original ?? '').trim()) delete this.current.texts[path];
    else this.current.texts[path] = text;
    this.lastEdited = path;
    this.controls.syncSlider(path, text);
    this.followControls(path);
    this.redraw(commit);
    if (commit) this.retrain();
  }

  /**
   * Controls that follow the tuned values: a get_scheduler's `name` picks the schedule function its
   * scheduler_specific_kwargs go to; an mmengine dict's heading names its (tuned) window.
   */
  private followControls(path: string): void {
    const current = this.current;
    if (!current) return;
    const controls = deriveControls(current.base, current.schedule.type, current.texts);
    const key = (list: ControlSpec[], field: 'path' | 'section') => list.map((control) => control[field]).join('\n');
    if (key(controls, 'path') === key(current.controls, 'path')) {
      if (key(controls, 'section') !== key(current.controls, 'section')) this.controls.relabel(controls);
      current.controls = controls;
      return;
    }
    const hadFocus = this.controlsBox.contains(document.activeElement);
    current.controls = controls;
    this.controls.render(controls, current.texts);
    if (hadFocus) this.controls.focus(path);
  }

  /** Closed-loop tuning: a finished change re-trains the last quick-training run with the tuned case, when it was fast. */
  private retrain(): void {
    const current = this.current;
    const runId = current && this.training.liveRunId(current.document.uri, current.schedule.line);
    if (!current || runId === null) return;
    const tuned = tunedCase(current.base, current.schedule.type, current.controls, current.texts);
    if (tuned.problems.size > 0) return;
    const caseJson = encodeCase(tuned.scheduleCase);
    // A field that loses focus commits again: the same case for the same run is not trained twice.
    if (this.lastRetrain === `${runId}:${caseJson}`) return;
    this.lastRetrain = `${runId}:${caseJson}`;
    vscode.postMessage({ type: 'retrain', runId, caseJson });
  }

  private isPlateau(): boolean {
    const current = this.current;
    return current !== null && schedulerSpecOf(current.base, current.schedule.type)?.spec.type === 'ReduceLROnPlateau';
  }

  /** The metric ReduceLROnPlateau sees, from the chosen source. */
  private metricValues(rounds: number): number[] {
    const source = this.state.metric;
    if (source.kind === 'training') return source.values;
    if (source.kind === 'csv') {
      if (!this.csvTable) {
        const table = parseCsv(source.text);
        if ('error' in table) return [];
        this.csvTable = table;
        if (source.column < 0 || source.column >= table.columns.length) source.column = guessMetricColumn(table);
      }
      return this.csvTable.columns[source.column] ?? [];
    }
    return syntheticMetric(source, rounds);
  }

  /** Simulates the tuned case and redraws. `commit` ends a gesture: its result becomes the next ghost. */
  redraw(commit: boolean): void {
    const current = this.current;
    if (!current) return;
    const tuned = tunedCase(current.base, current.schedule.type, current.controls, current.texts);
    const scheduleCase = tuned.scheduleCase;
    let metric: number[] | null = null;
    if (this.isPlateau()) {
      metric = this.metricValues(scheduleCase.steps);
      if (this.state.metric.kind !== 'synthetic') scheduleCase.steps = Math.min(scheduleCase.steps, metric.length);
      scheduleCase.metrics = metric.slice(0, scheduleCase.steps).map((value) => (Number.isFinite(value) ? value : floatRepr(value)));
    }
    const problem = [...tuned.problems][0];
    let result: Columns | null = null;
    const started = performance.now();
    if (!problem) result = simulateColumns(scheduleCase, schedulerColumn(scheduleCase, current.schedule.type));
    const simulated = performance.now();
    const failed = problem ? { path: problem[0], message: problem[1] } : result?.error && result.error.phase !== 'step' ? { path: this.lastEdited, message: `${result.error.type}: ${result.error.message}` } : null;
    if (failed || !result) {
      // Never a broken chart: the last valid curve stays, the error sits beside the control.
      this.controls.setError(failed?.path ?? null, failed?.message ?? null);
      this.chartError.textContent = failed ? (current.shown ? `${failed.message} — showing the last valid curve.` : failed.message) : '';
      if (!current.shown) this.drawNothing();
      this.applyButton.disabled = true;
      if (commit) this.persist();
      return;
    }
    this.controls.setError(null, null);
    // A framework schedule's errors are that library's (mmengine's, timm's, …), not torch's.
    const library = frameworkOf(scheduleCase.scheduler?.type ?? '') ?? 'torch';
    this.chartError.textContent = result.error ? `${library} raises at step ${result.error.step}: ${result.error.type}: ${result.error.message}` : '';
    const series = seriesOf(scheduleCase, result);
    const plateau = this.isPlateau() ? plateauRun(scheduleCase) : null;
    this.lastPlateau = plateau;
    current.stepsPerEpoch = stepsPerEpochOf(scheduleCase, current.schedule.stepsPerEpoch);
    const perUnit = this.state.xUnit === 'epoch' && current.stepsPerEpoch ? current.stepsPerEpoch : 1;
    const unitName = current.schedule.unit === 'step' ? 'step' : 'epoch';
    // The ghost is the curve before the change being made (while dragging) or before the last change.
    const committedChanged = current.committed !== null && !sameSeries(current.committed, series);
    if (commit && committedChanged) current.previous = current.committed;
    const candidate = !commit && committedChanged ? current.committed : current.previous;
    const ghost = candidate && !sameSeries(candidate, series) ? candidate : null;
    this.chart.update({
      series,
      ghost,
      markers: phaseMarkers(scheduleCase, current.schedule.type),
      reductions: plateau?.reductions ?? [],
      perUnit,
      xLabel: perUnit > 1 ? `epoch (${perUnit} steps each)` : unitName,
      log: this.state.logScale,
      metric,
      plateau,
    });
    this.timings = { simulateMs: simulated - started, drawMs: performance.now() - simulated };
    current.shown = series;
    current.ghost = ghost;
    current.metric = metric;
    if (commit || !current.committed) current.committed = series;
    this.applyButton.disabled = changedControls(current.controls, current.texts).length === 0;
    this.showReadout(this.chart.cursor);
    this.showCounters(plateau);
    if (commit) {
      const last = series.rounds - 1;
      vscode.postMessage({
        type: 'rendered',
        line: current.schedule.line,
        rounds: series.rounds,
        first: series.lr.map((values) => values[0]),
        last: series.lr.map((values) => values[last]),
        error: result.error ? `${result.error.type}: ${result.error.message}` : null,
      });
    }
    // Kept on commit, not on every slider step: setState serialises the whole state.
    if (commit) this.persist();
  }

  private drawNothing(): void {
    this.chart.chart.data.datasets = [];
    this.chart.chart.update('none');
  }

  private persist(): void {
    const current = this.current;
    this.state = {
      ...this.state,
      uri: current?.document.uri ?? this.state.uri,
      line: current?.schedule.line ?? this.state.line,
      edits: current ? { ...current.texts } : this.state.edits,
    };
    vscode.setState(this.state);
  }

  // ------------------------------------------------------------ readout, counters, metric source

  private showReadout(round: number | null): void {
    const series = this.current?.shown;
    if (!series || round === null) {
      this.readout.textContent = series ? 'Point at the chart (or focus it and use the arrow keys) to read exact values.' : '';
      return;
    }
    const unit = this.current!.schedule.unit === 'step' ? 'step' : 'epoch';
    const lrs = series.lr.map((values) => floatRepr(values[round]));
    const parts = [`${unit} ${round}`];
    const spe = this.current!.stepsPerEpoch;
    if (unit === 'step' && spe) parts.push(`(epoch ${Math.floor(round / spe)})`);
    parts.push(`get_last_lr() = [${lrs.join(', ')}]`);
    if (series.momentum) parts.push(`${series.momentumLabel} = [${series.momentum.map((values) => floatRepr(values[round])).join(', ')}]`);
    const plateau = this.lastPlateau;
    if (plateau && round < plateau.numBadEpochs.length) {
      parts.push(`num_bad_epochs ${plateau.numBadEpochs[round]}, cooldown_counter ${plateau.cooldownCounter[round]}`);
      if (round > 0 && this.current!.metric) parts.push(`metric ${floatRepr(this.current!.metric[round - 1])}`);
    }
    this.readout.textContent = parts.join(' · ');
  }

  private showCounters(plateau: PlateauRun | null): void {
    this.countersBox.hidden = plateau === null;
    if (!plateau) return;
    const last = plateau.numBadEpochs.length - 1;
    this.countersBox.textContent =
      `After ${last} steps: num_bad_epochs ${plateau.numBadEpochs[last]}, cooldown_counter ${plateau.cooldownCounter[last]}, ` +
      `best ${floatRepr(plateau.best[last])}; ${plateau.reductions.length} reduction${plateau.reductions.length === 1 ? '' : 's'}` +
      (plateau.reductions.length > 0 ? ` at ${plateau.reductions.slice(0, 12).join(', ')}${plateau.reductions.length > 12 ? ', …' : ''}` : '');
  }

  private renderMetricControls(): void {
    const box = this.metricBox;
    box.hidden = !this.isPlateau();
    if (box.hidden) return;
    box.replaceChildren(el('legend', {}, 'Metric passed to step()'));
    const source = el('select', { id: 'metric-source', 'aria-label': 'Metric source' });
    source.append(
      el('option', { value: 'synthetic' }, 'Synthetic loss curve'),
      el('option', { value: 'csv' }, 'Column of a CSV file…'),
      el('option', { value: 'training' }, 'Last quick-training run (validation loss)'),
    );
    source.value = this.state.metric.kind;
    source.addEventListener('change', () => {
      // The host answers with the data (csvLoaded, trainingMetric); until then the source stays as it was.
      if (source.value === 'csv') vscode.postMessage({ type: 'importCsv' });
      else if (source.value === 'training') vscode.postMessage({ type: 'requestTrainingMetric' });
      if (source.value !== 'synthetic') source.value = this.state.metric.kind;
      else {
        this.state.metric = { ...DEFAULT_SYNTHETIC };
        this.renderMetricControls();
        this.redraw(true);
      }
    });
    box.append(source);
    const metric = this.state.metric;
    if (metric.kind === 'synthetic') {
      const shape: [keyof typeof metric & string, string, number, number, number][] = [
        ['seed', 'seed', 1, 1000, 1],
        ['start', 'start loss', 0.1, 10, 0.1],
        ['floor', 'final loss', 0, 5, 0.05],
        ['decay', 'decay rate', 0.001, 0.5, 0.001],
        ['noise', 'noise', 0, 0.2, 0.005],
        ['plateaus', 'plateaus', 0, 6, 1],
      ];
      for (const [key, label, min, max, step] of shape) {
        const id = `metric-${key}`;
        const row = el('div', { class: 'control' });
        const input = el('input', { id, type: 'range', min: String(min), max: String(max), step: String(step) });
        input.value = String(metric[key]);
        const value = el('output', { for: id }, String(metric[key]));
        input.addEventListener('input', () => {
          (metric as unknown as Record<string, number>)[key] = Number(input.value);
          value.textContent = input.value;
          this.redraw(false);
        });
        input.addEventListener('change', () => this.redraw(true));
        row.append(el('label', { for: id }, label), input, value);
        box.append(row);
      }
    } else if (metric.kind === 'csv') {
      const table = parseCsv(metric.text);
      if ('error' in table) {
        box.append(el('div', { class: 'control-error', role: 'alert' }, `${metric.name}: ${table.error}`));
      } else {
        if (metric.column < 0 || metric.column >= table.columns.length) metric.column = guessMetricColumn(table);
        const column = el('select', { id: 'metric-column', 'aria-label': 'CSV column' });
        table.header.forEach((name, index) => column.append(el('option', { value: String(index) }, name)));
        column.value = String(metric.column);
        column.addEventListener('change', () => {
          metric.column = Number(column.value);
          this.csvTable = null;
          this.redraw(true);
        });
        box.append(el('div', { class: 'hint' }, `${metric.name}: ${table.columns[0]?.length ?? 0} rows`), column);
      }
    } else {
      box.append(el('div', { class: 'hint' }, `${metric.label}: ${metric.values.length} epochs`));
    }
  }

  // ------------------------------------------------------------ Apply and export

  private apply(): void {
    const current = this.current;
    if (!current) return;
    const { calls, skipped } = applyRequest(current.schedule, current.controls, current.texts);
    if (skipped.length > 0) {
      this.status.textContent = `Not written (the code computes them from names the panel cannot read, or has no constructor to write them to): ${skipped.join(', ')}.`;
      this.status.classList.add('error');
    }
    if (calls.length === 0) return;
    vscode.postMessage({ type: 'apply', requestId: ++this.requestId, uri: current.document.uri, version: current.document.version, calls });
  }

  private baseName(): string {
    const current = this.current;
    const file = current?.document.fileName.split(/[\\/]/).pop()?.replace(/\.[^.]+$/, '') ?? 'schedule';
    return `${file}-${current?.schedule.variable ?? current?.schedule.type ?? 'schedule'}`;
  }

  private exportPng(): void {
    if (!this.current?.shown) return;
    vscode.postMessage({ type: 'exportPng', fileName: `${this.baseName()}.png`, dataUrl: this.chart.chart.toBase64Image('image/png', 1) });
  }

  private exportCsv(): void {
    const current = this.current;
    if (!current?.shown) return;
    vscode.postMessage({
      type: 'exportCsv',
      fileName: `${this.baseName()}.csv`,
      text: trajectoryCsv(current.shown, current.schedule.unit, current.stepsPerEpoch, current.metric),
    });
  }

  /** The tuned constructor: the code's own text with the changed arguments written in. */
  tunedPython(): string {
    const current = this.current;
    if (!current) return '';
    const { calls } = applyRequest(current.schedule, current.controls, current.texts);
    const root = current.schedule.rootCall;
    if (root?.text) {
      // The changed optimizer and children first, as the code builds them, then the scheduler itself with
      // the calls written inside it (inline children, mmengine's dicts).
      const inside = (call: PanelCall) => call !== root && rangeWithin(call.range, root.range);
      const before = calls.filter((item) => item.call !== root && !inside(item.call)).sort((a, b) => a.call.range.startLine - b.call.range.startLine || a.call.range.startCol - b.call.range.startCol);
      const rootChanges = calls.find((item) => item.call === root)?.changes ?? [];
      const inner = calls.filter((item) => inside(item.call));
      return [...before.map((item) => tunedCallText(item.call, item.changes)), tunedCallText(root, rootChanges, inner)].join('\n');
    }
    const spec = schedulerSpecOf(tunedCase(current.base, current.schedule.type, current.controls, current.texts).scheduleCase, current.schedule.type);
    return spec ? specAsPython(spec.spec) : '';
  }

  private copyPython(): void {
    const text = this.tunedPython();
    if (text) vscode.postMessage({ type: 'copyPython', text });
  }
}

function sameSeries(a: Series, b: Series): boolean {
  if (a.rounds !== b.rounds || a.lr.length !== b.lr.length) return false;
  for (let g = 0; g < a.lr.length; g++) {
    const [x, y] = [a.lr[g], b.lr[g]];
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k] && !(Number.isNaN(x[k]) && Number.isNaN(y[k]))) return false;
  }
  return true;
}

const panel = new Panel(document.getElementById('app') ?? document.body);
// Tests and the benchmark read the drawn data from the chart instance.
Object.assign(window, { __lrLensChart: panel.chart.chart, __lrLensPanel: panel, __lrLensTraining: panel.training });
