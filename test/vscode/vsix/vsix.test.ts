import * as assert from 'assert';
import { readdirSync, statSync } from 'fs';
import { join, relative } from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, lenses, openFixture, torchTitle } from '../suite/helpers';

function filesUnder(root: string, directory = root): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(root, path) : [relative(root, path)];
  });
}

describe('the packaged .vsix installed into VS Code', () => {
  it('is the installed extension, not a development folder', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    const { publisher, name, version } = extension.packageJSON;
    assert.match(extension.extensionPath, new RegExp(`[/\\\\]${publisher}\\.${name}-${version.replace(/\./g, '\\.')}$`));
  });

  it('ships the bundle and nothing from the source tree', () => {
    const files = filesUnder(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath);
    const required = ['package.json', 'dist/extension.js', 'dist/trainingWorker.js', 'dist/tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'data/iris.csv'];
    for (const file of required) {
      assert.ok(files.includes(file), `${file} in ${files}`);
    }
    const unexpected = files.filter((file) => !/^(package\.json|readme\.md|changelog\.md|license(\.md|\.txt)?|\.vsixmanifest|dist\/[^/]+\.(js|wasm)|media\/[^/]+\.(js|css|wasm|svg|png)|data\/([^/]+\.csv|readme\.md))$/i.test(file));
    assert.deepStrictEqual(unexpected, []);
  });

  it('activates on a Python file and shows the predicted lr in a lens', async () => {
    const document = await openFixture('imagenet/train.py');
    const found = await lenses(document);
    assert.strictEqual(found.length, 1);
    assert.strictEqual(found[0].command?.title, torchTitle('imagenet/train.py:42'));
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)!.isActive);
  });
});
