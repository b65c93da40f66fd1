// Runs the train contract from source (no build): npx tsx test/training/run-train.ts --case ... --data ...
import { runTrainCommand } from '../../src/training/trainCommand';

runTrainCommand(process.argv.slice(2), { warn: (message) => process.stderr.write(`${message}\n`) }).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
