// The tuning controls as DOM: a number field with a slider (log-scaled where the value spans
// decades), integer steppers, dropdowns for enums, checkboxes, list and function fields. Every input
// is a native element, so the panel is keyboard operable; errors sit beside the control they concern.
import { ControlSpec, enumText, parsePythonLiteral, SliderSpec, sliderText } from './model';

export type ControlListener = (path: string, text: string, commit: boolean) => void;

const SLIDER_STEPS = 1000;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Slider position (0..SLIDER_STEPS for log sliders, the value itself for linear ones) of a value. */
function sliderPosition(slider: SliderSpec, value: number): number {
  if (!slider.log) return Math.min(slider.max, Math.max(slider.min, value));
  if (slider.zero && value <= 0) return 0;
  const t = (Math.log10(Math.max(value, slider.min)) - Math.log10(slider.min)) / (Math.log10(slider.max) - Math.log10(slider.min));
  return Math.round(Math.min(1, Math.max(0, t)) * SLIDER_STEPS);
}

function sliderValue(slider: SliderSpec, position: number): number {
  if (!slider.log) return position;
  if (slider.zero && position === 0) return 0;
  const t = position / SLIDER_STEPS;
  return 10 ** (Math.log10(slider.min) + t * (Math.log10(slider.max) - Math.log10(slider.min)));
}

function numberOf(text: string): number | null {
  const parsed = parsePythonLiteral(text);
  if ('error' in parsed) return null;
  const value = parsed.value as unknown;
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'value' in value && typeof (value as { value: unknown }).value === 'number') {
    return (value as { value: number }).value;
  }
  return null;
}

interface Row {
  spec: ControlSpec;
  row: HTMLElement;
  field: HTMLInputElement | HTMLSelectElement;
  slider: HTMLInputElement | null;
  error: HTMLElement;
}

export class ControlsView {
  private readonly rows = new Map<string, Row>();

  constructor(
    private readonly container: HTMLElement,
    private readonly listener: ControlListener,
  ) {}

  render(controls: ControlSpec[], texts: Record<string, string>): void {
    this.container.replaceChildren();
    this.rows.clear();
    let section: HTMLFieldSetElement | null = null;
    let sectionName = '';
    let sectionEntry: number | undefined;
    for (const spec of controls) {
      // Two mmengine dicts of one type and window still get a group each.
      if (!section || spec.section !== sectionName || spec.entry !== sectionEntry) {
        sectionName = spec.section;
        sectionEntry = spec.entry;
        section = el('fieldset', { class: 'section' });
        section.append(el('legend', {}, spec.section));
        this.container.append(section);
      }
      section.append(this.renderRow(spec, texts[spec.path] ?? spec.original ?? spec.defaultText ?? ''));
    }
  }

  private renderRow(spec: ControlSpec, text: string): HTMLElement {
    const id = `control-${spec.path.replace(/[^a-zA-Z0-9_-]/g, '-')}`;
    const row = el('div', { class: 'control', 'data-path': spec.path, 'data-kind': spec.kind });
    const label = el('label', { for: id }, spec.label);
    // The full name on hover too: long framework names (num_warmup_steps) are cut short in the label column.
    label.title = spec.label;
    if (spec.original === null) label.title = spec.defaultText !== null ? `${spec.label}: not written in the code; the default is ${spec.defaultText}` : `${spec.label}: not written in the code`;
    const error = el('div', { class: 'control-error', id: `${id}-error`, role: 'alert' });
    let field: HTMLInputElement | HTMLSelectElement;
    let slider: HTMLInputElement | null = null;
    if (spec.kind === 'enum') {
      const select = el('select', { id, 'aria-describedby': error.id });
      const current = text.replace(/^(['"])(.*)\1$/, '$2');
      const options = spec.options && spec.options.length > 0 ? [...spec.options] : [current];
      if (!options.includes(current)) options.push(current);
      for (const option of options) select.append(el('option', { value: option }, option));
      select.value = current;
      select.addEventListener('change', () => this.listener(spec.path, enumText(select.value), true));
      field = select;
    } else if (spec.kind === 'bool') {
      const box = el('input', { id, type: 'checkbox', 'aria-describedby': error.id });
      box.checked = text.trim() === 'True' || text.trim() === '1';
      box.addEventListener('change', () => this.listener(spec.path, box.checked ? 'True' : 'False', true));
      field = box;
    } else {
      const input = el('input', { id, type: 'text', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': error.id, class: `value ${spec.kind}` });
      input.value = text;
      if (spec.original === null && spec.defaultText !== null) input.placeholder = spec.defaultText;
      if (spec.original === null && spec.owner.optimizer && spec.owner.group !== undefined) input.placeholder = 'the optimizer lr';
      input.addEventListener('input', () => this.listener(spec.path, input.value, false));
      input.addEventListener('change', () => this.listener(spec.path, input.value, true));
      if (spec.kind === 'int' || spec.kind === 'optional-int') {
        input.setAttribute('inputmode', 'numeric');
        // An integer stepper: arrow keys change the value by one (Shift: ten).
        input.addEventListener('keydown', (event) => {
          if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
          const current = numberOf(input.value);
          if (current === null || !Number.isInteger(current)) return;
          event.preventDefault();
          const delta = (event.key === 'ArrowUp' ? 1 : -1) * (event.shiftKey ? 10 : 1);
          input.value = String(current + delta);
          this.listener(spec.path, input.value, true);
        });
      }
      field = input;
      if (spec.slider) {
        const range = spec.slider;
        slider = el('input', {
          type: 'range',
          min: String(range.log ? 0 : range.min),
          max: String(range.log ? SLIDER_STEPS : range.max),
          step: String(range.log ? 1 : (range.step ?? 'any')),
          'aria-label': `${spec.label} slider${range.log ? ' (log scale)' : ''}`,
          class: range.log ? 'slider log' : 'slider',
        });
        const value = numberOf(text);
        if (value !== null) slider.value = String(sliderPosition(range, value));
        const fromSlider = (commit: boolean) => {
          input.value = sliderText(spec, sliderValue(range, Number(slider!.value)));
          this.listener(spec.path, input.value, commit);
        };
        slider.addEventListener('input', () => fromSlider(false));
        slider.addEventListener('change', () => fromSlider(true));
      }
    }
    const reset = el('button', { type: 'button', class: 'reset', title: 'Back to the value in the code', 'aria-label': `Reset ${spec.label}` }, '↺');
    reset.addEventListener('click', () => {
      const original = spec.original ?? spec.defaultText ?? '';
      this.setText(spec.path, original);
      this.listener(spec.path, original, true);
    });
    row.append(label, field);
    if (slider) row.append(slider);
    row.append(reset, error);
    this.rows.set(spec.path, { spec, row, field, slider, error });
    this.markChanged(spec.path, text);
    return row;
  }

  /** New headings for the same controls (an mmengine dict's tuned window), leaving the fields and the focus alone. */
  relabel(controls: ControlSpec[]): void {
    for (const spec of controls) {
      const row = this.rows.get(spec.path);
      if (!row) continue;
      row.spec = spec;
      const legend = row.row.parentElement?.querySelector(':scope > legend');
      if (legend) legend.textContent = spec.section;
    }
  }

  setText(path: string, text: string): void {
    const row = this.rows.get(path);
    if (!row) return;
    if (row.field instanceof HTMLSelectElement) row.field.value = text.replace(/^(['"])(.*)\1$/, '$2');
    else if (row.field.type === 'checkbox') row.field.checked = text.trim() === 'True';
    else row.field.value = text;
    const value = numberOf(text);
    if (row.slider && row.spec.slider && value !== null) row.slider.value = String(sliderPosition(row.spec.slider, value));
    this.markChanged(path, text);
  }

  /** Also moves the slider when the number field is typed in. */
  syncSlider(path: string, text: string): void {
    const row = this.rows.get(path);
    const value = numberOf(text);
    if (row?.slider && row.spec.slider && value !== null) row.slider.value = String(sliderPosition(row.spec.slider, value));
    this.markChanged(path, text);
  }

  private markChanged(path: string, text: string): void {
    const row = this.rows.get(path);
    if (!row) return;
    const changed = text.trim() !== (row.spec.original ?? row.spec.defaultText ?? '').trim();
    row.row.classList.toggle('changed', changed);
  }

  setError(path: string | null, message: string | null): void {
    for (const [rowPath, row] of this.rows) {
      const mine = rowPath === path && message !== null;
      row.error.textContent = mine ? message : '';
      row.row.classList.toggle('invalid', mine);
      row.field.setAttribute('aria-invalid', mine ? 'true' : 'false');
    }
  }

  /** Gives a control's field the keyboard focus (after a render replaced the one that had it). */
  focus(path: string): void {
    this.rows.get(path)?.field.focus();
  }

  /** The first control's path, for focusing after a load. */
  has(path: string): boolean {
    return this.rows.has(path);
  }
}
