// How many optimizer steps a Lightning Trainer runs, shared by the LightningCLI config reader and the
// LightningModule analysis (both checked against a real Trainer): an epoch has ceil(batches /
// accumulate_grad_batches) of them; training stops at max_steps or max_epochs, whichever comes first
// (max_steps alone sets no epoch limit; neither set means Lightning's 1000 epochs).

/** Lightning's max_epochs when the Trainer sets neither max_epochs nor max_steps (nor max_time). */
export const LIGHTNING_DEFAULT_MAX_EPOCHS = 1000;

export function lightningSteps(batches: number, accumulate: number, maxEpochs: number | null, maxSteps: number | null): { perEpoch: number; total: number } {
  const perEpoch = Math.ceil(batches / accumulate);
  if (maxSteps === null) return { perEpoch, total: (maxEpochs ?? LIGHTNING_DEFAULT_MAX_EPOCHS) * perEpoch };
  return { perEpoch, total: maxEpochs === null ? maxSteps : Math.min(maxSteps, maxEpochs * perEpoch) };
}
