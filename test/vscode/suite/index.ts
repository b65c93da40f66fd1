// Entry point VS Code loads as extensionTestsPath for the main integration suite.
import { runMochaIn } from '../mochaRunner';

export function run(): Promise<void> {
  return runMochaIn(__dirname);
}
