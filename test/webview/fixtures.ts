// Panel inputs made the way the extension makes them: real Python source, analysed by the project's
// analysis (tree-sitter), turned into the panel's `load` message by the host's own converter.
import { analyzeConfig, initConfigAnalysis } from '../../src/analysis/analyzeConfig';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { panelSchedules } from '../../src/extension/panel/schedules';
import type { LoadMessage } from '../../src/shared/protocol';

export const SOURCES: Record<string, string> = {
  step: `import torch
from torch.optim.lr_scheduler import StepLR

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = StepLR(optimizer, step_size=30, gamma=0.1)  # decay every 30 epochs

for epoch in range(90):
    optimizer.step()
    scheduler.step()
`,
  plateau: `import torch
from torch.optim.lr_scheduler import ReduceLROnPlateau

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=10)

for epoch in range(120):
    optimizer.step()
    val_loss = 1.0
    scheduler.step(val_loss)
`,
  onecycle: `import torch
from torch.optim.lr_scheduler import OneCycleLR

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
scheduler = OneCycleLR(
    optimizer,
    max_lr=0.1,
    total_steps=10000,
)

for epoch in range(10):
    for batch in range(1000):
        optimizer.step()
        scheduler.step()
`,
  sequential: `import torch
from torch.optim.lr_scheduler import LinearLR, CosineAnnealingLR, SequentialLR

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD([
    {'params': model.weight},
    {'params': model.bias, 'lr': 0.01},
], lr=0.1)
warmup = LinearLR(optimizer, start_factor=0.1, total_iters=5)
cosine = CosineAnnealingLR(optimizer, T_max=95)
scheduler = SequentialLR(optimizer, [warmup, cosine], milestones=[5])

for epoch in range(100):
    optimizer.step()
    scheduler.step()
`,
  batches: `import torch
from torch.optim.lr_scheduler import CosineAnnealingWarmRestarts

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=200, T_mult=2)
loader = range(50)

for epoch in range(30):
    for batch in loader:
        optimizer.step()
        scheduler.step()
`,
};

let ready: Promise<void> | null = null;

/** The `load` message the host would send for `source`, selecting the scheduler on `line` (1-based; default: the last one). */
export async function loadMessageFor(name: string, line?: number): Promise<LoadMessage> {
  ready ??= initPythonAnalysis();
  await ready;
  const source = SOURCES[name];
  const analysis = analyzePython(source);
  const schedules = panelSchedules(analysis.schedulers, source);
  if (schedules.length === 0) throw new Error(`the analysis found no scheduler in fixture ${name}`);
  const selected = line === undefined ? schedules.length - 1 : schedules.findIndex((item) => item.line === line);
  return {
    type: 'load',
    document: { uri: `file:///workspace/${name}.py`, fileName: `/workspace/${name}.py`, version: 1 },
    schedules,
    selected,
  };
}

/** The `load` message the host would send for a training config's `text` (its first schedule). */
export async function loadMessageForConfig(fileName: string, text: string): Promise<LoadMessage> {
  await initConfigAnalysis();
  const schedules = panelSchedules(analyzeConfig(fileName, text).schedulers, text);
  if (schedules.length === 0) throw new Error(`the config analysis found no schedule in ${fileName}`);
  return {
    type: 'load',
    document: { uri: `file:///workspace/${fileName}`, fileName: `/workspace/${fileName}`, version: 1 },
    schedules,
    selected: 0,
  };
}
