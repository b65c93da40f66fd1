// The schedule panel's entry points for extension.ts:
//
//   context.subscriptions.push(registerSchedulePanel(context, { analyze, trainingMetric }));
//   context.subscriptions.push(vscode.commands.registerCommand('lrLens.showSchedule', showSchedulePanel));
//
// `lrLens.showSchedule` takes (uri?, line?) as the code lenses pass them; without arguments it opens
// the active Python editor's scheduler under the cursor.
import * as vscode from 'vscode';
import type { LrRangeView, TrainingEpochPoint, TrainingRunView, WebviewMessage } from '../../shared/protocol';
import { parseWebviewMessage } from '../../shared/protocol';
import { SchedulePanelController, SchedulePanelDeps } from './schedulePanel';

export { SCHEDULE_PANEL_VIEW_TYPE } from './schedulePanel';
export type { SchedulePanelDeps } from './schedulePanel';

let controller: SchedulePanelController | undefined;

export function registerSchedulePanel(context: vscode.ExtensionContext, deps: SchedulePanelDeps): vscode.Disposable {
  controller?.dispose();
  const current = new SchedulePanelController(context, deps);
  controller = current;
  const disposables: vscode.Disposable[] = [current];
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    // The integration tests drive the panel through the same message handling as the webview.
    disposables.push(
      vscode.commands.registerCommand('lrLens.test.schedulePanelState', () => current.snapshot()),
      vscode.commands.registerCommand('lrLens.test.schedulePanelMessage', (raw: unknown) => {
        const message = parseWebviewMessage(raw);
        if (!message) throw new Error('not a valid panel message');
        return current.handle(message as WebviewMessage);
      }),
    );
  }
  return new vscode.Disposable(() => {
    for (const disposable of disposables) disposable.dispose();
    if (controller === current) controller = undefined;
  });
}

/** Handler of `lrLens.showSchedule` (uri?, line?): code lenses pass the file and the constructor's 1-based line. */
export async function showSchedulePanel(uri?: vscode.Uri | string, line?: number): Promise<void> {
  if (!controller) throw new Error('LR Lens: the schedule panel is not registered (registerSchedulePanel was not called)');
  const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri instanceof vscode.Uri ? uri : undefined;
  await controller.show(target, typeof line === 'number' ? line : undefined);
}

/** The training view of the schedule panel (quick training and the LR range test stream into it). */
export const trainingView = {
  showRun(run: TrainingRunView): void {
    controller?.showTrainingRun(run);
  },
  addEpoch(runId: number, epoch: TrainingEpochPoint): void {
    controller?.addTrainingEpoch(runId, epoch);
  },
  showLrRange(result: LrRangeView): void {
    controller?.showLrRange(result);
  },
};
