// Typed access to the `lrLens.*` settings (declared in package.json "contributes.configuration").
import * as vscode from 'vscode';

export interface LensConfig {
  defaultEpochs: number;
  defaultStepsPerEpoch: number;
  torchVersion: string;
  codeLensEnabled: boolean;
}

export const CONFIG_SECTION = 'lrLens';

export function readConfig(scope?: vscode.ConfigurationScope): LensConfig {
  const config = vscode.workspace.getConfiguration(CONFIG_SECTION, scope);
  return {
    defaultEpochs: config.get<number>('defaultEpochs', 100),
    defaultStepsPerEpoch: config.get<number>('defaultStepsPerEpoch', 100),
    torchVersion: config.get<string>('torchVersion', '2.13'),
    codeLensEnabled: config.get<boolean>('codeLens.enabled', true),
  };
}
