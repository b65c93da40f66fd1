// Values the user typed for names a file does not resolve ("set value…" on an unresolved lens),
// per file, kept in the workspace state as the literal text and parsed when used.
import * as vscode from 'vscode';
import type { PyLike } from '../engine/case';
import { parsePythonLiteral } from './present/pyLiteral';

const STATE_KEY = 'lrLens.overrides';

type Stored = { [uri: string]: { [name: string]: string } };

export class OverrideStore {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  private all(): Stored {
    return this.state.get<Stored>(STATE_KEY, {});
  }

  /** The literal texts set for a file, by name. */
  texts(uri: vscode.Uri): { [name: string]: string } {
    return { ...(this.all()[uri.toString()] ?? {}) };
  }

  /** The parsed values set for a file, by name (texts are validated before they are stored). */
  values(uri: vscode.Uri): { [name: string]: PyLike } {
    const values: { [name: string]: PyLike } = {};
    for (const [name, text] of Object.entries(this.texts(uri))) {
      const parsed = parsePythonLiteral(text);
      if (parsed.ok) values[name] = parsed.value;
    }
    return values;
  }

  async set(uri: vscode.Uri, name: string, literal: string): Promise<void> {
    const parsed = parsePythonLiteral(literal);
    if (!parsed.ok) throw new Error(`${literal} is not a Python literal: ${parsed.error}`);
    const all = this.all();
    all[uri.toString()] = { ...(all[uri.toString()] ?? {}), [name]: literal.trim() };
    await this.state.update(STATE_KEY, all);
    this.changed.fire(uri);
  }

  async clear(uri: vscode.Uri): Promise<void> {
    const all = this.all();
    delete all[uri.toString()];
    await this.state.update(STATE_KEY, all);
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
