import * as assert from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { analyzeConfig } from '../../../src/analysis/analyzeConfig';
import { configHoverTarget, configLensLine, configOrigin, isConfigFinding } from '../../../src/extension/present/configText';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'configs');

function read(name: string) {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  return { text, lines: text.split('\n'), findings: analyzeConfig(name, text).schedulers };
}

describe('present: config lenses and hovers', () => {
  it('puts the lens on the scheduler key and names the convention and the library', () => {
    const lightning = read('lightning-cli.yaml');
    assert.ok(isConfigFinding(lightning.findings[0]));
    assert.equal(lightning.lines[configLensLine(lightning.findings[0])], 'lr_scheduler:');
    assert.equal(configOrigin(lightning.findings[0]), 'From the LightningCLI config: torch.optim.lr_scheduler.CosineAnnealingLR.');
    const hf = read('hf-training-args.json');
    assert.match(hf.lines[configLensLine(hf.findings[0])], /^\s*"lr_scheduler_type"/);
    assert.equal(configOrigin(hf.findings[0]), "From the Hugging Face TrainingArguments: Hugging Face transformers get_scheduler('cosine_with_min_lr').");
    const keras = read('keras-cosine-warmup.json');
    assert.equal(configOrigin(keras.findings[0]), 'From the Keras schedule config: Keras CosineDecay.');
  });

  it('hovers on the key line and on the values the schedule reads, nowhere else', () => {
    const { lines, findings } = read('lightning-cli.yaml');
    const keyLine = configLensLine(findings[0]);
    const onKey = configHoverTarget(findings, lines[keyLine], keyLine, 3);
    assert.deepEqual(onKey?.range, { startLine: keyLine, startCol: 0, endLine: keyLine, endCol: 'lr_scheduler:'.length });
    const tMaxLine = lines.findIndex((line) => line.includes('T_max: 30'));
    const onValue = configHoverTarget(findings, lines[tMaxLine], tMaxLine, lines[tMaxLine].indexOf('30') + 1);
    assert.equal(onValue?.finding, findings[0]);
    assert.deepEqual(onValue?.range, { startLine: tMaxLine, startCol: lines[tMaxLine].indexOf('30'), endLine: tMaxLine, endCol: lines[tMaxLine].indexOf('30') + 2 });
    const seedLine = lines.findIndex((line) => line.startsWith('seed_everything'));
    assert.equal(configHoverTarget(findings, lines[seedLine], seedLine, 3), null);
  });
});
