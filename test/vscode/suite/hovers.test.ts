import * as assert from 'assert';
import * as vscode from 'vscode';
import { formatLr } from '../../../src/extension/present/numbers';
import { openFixture, positionOf, torchSeries } from './helpers';

async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position)) ?? [];
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .filter((text) => text.includes('get_last_lr()') || text.includes('No prediction'))
    .join('\n');
}

function svgOf(markdown: string): string {
  const match = /<img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)"/.exec(markdown);
  assert.ok(match, `an <img> with a base64 SVG data URI in:\n${markdown}`);
  return Buffer.from(match[1], 'base64').toString('utf8');
}

describe('hovers', () => {
  it('on a scheduler constructor: a curve image and a table of torch values', async () => {
    const document = await openFixture('imagenet/train.py');
    const markdown = await hoverText(document, positionOf(document, 'StepLR(optimizer', 2));
    assert.match(svgOf(markdown), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg".*<\/svg>$/s);
    const series = torchSeries('imagenet/train.py:42');
    for (const epoch of [0, 30, 60, 89]) {
      assert.ok(markdown.includes(`| ${epoch} | ${formatLr(series.groups[0][epoch], 6)} |`), `row for epoch ${epoch} in:\n${markdown}`);
    }
  });

  it("on the scheduler's variable where it is stepped", async () => {
    const document = await openFixture('imagenet/train.py');
    const markdown = await hoverText(document, positionOf(document, 'scheduler.step()', 3));
    svgOf(markdown);
    assert.match(markdown, /`scheduler` = StepLR/);
  });

  it('on get_last_lr()', async () => {
    const document = await openFixture('plateau/train.py');
    const markdown = await hoverText(document, positionOf(document, 'get_last_lr()', 3));
    svgOf(markdown);
    assert.match(markdown, /ReduceLROnPlateau/);
    assert.match(markdown, /Metric: /, 'says where the metric series comes from');
  });

  it("on optimizer.param_groups[i]['lr']: every group, with the one read named", async () => {
    const document = await openFixture('finetune/train_vit.py');
    const markdown = await hoverText(document, positionOf(document, "optimizer.param_groups[1]['lr']", 20));
    svgOf(markdown);
    const series = torchSeries('finetune/train_vit.py:29');
    assert.ok(markdown.includes('| epoch | group 0 | group 1 |'), markdown);
    assert.ok(markdown.includes(`| 0 | ${formatLr(series.groups[0][0], 6)} | ${formatLr(series.groups[1][0], 6)} |`), markdown);
    assert.match(markdown, /param_groups\[1\]: lr /);
  });

  it('says why there is no curve when a value is unresolved', async () => {
    const document = await openFixture('configs/train_from_config.py');
    const markdown = await hoverText(document, positionOf(document, 'CosineAnnealingWarmRestarts(optimizer', 3));
    assert.match(markdown, /No prediction: the file does not show the value of config\["lr"\]/);
    assert.doesNotMatch(markdown, /<img/);
  });

  it('stays away from unrelated code', async () => {
    const document = await openFixture('imagenet/train.py');
    assert.strictEqual(await hoverText(document, positionOf(document, 'criterion = nn.CrossEntropyLoss', 2)), '');
  });
});
