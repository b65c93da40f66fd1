// The panel's HTML: a strict Content-Security-Policy (scripts only with this load's nonce, styles and
// images only from the extension's media/ folder), no inline handlers; the script builds the page.
// No `vscode` import: the Chromium harness (test/webview) serves the same page.

export interface PanelHtmlOptions {
  /** `webview.cspSource`: the origin the webview loads local resources from. */
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function panelHtml({ cspSource, nonce, scriptUri, styleUri }: PanelHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(styleUri)}">
<title>LR Lens: schedule</title>
</head>
<body>
<div id="app"></div>
<script nonce="${nonce}" src="${escapeAttribute(scriptUri)}"></script>
</body>
</html>
`;
}

/** A fresh nonce per page load: 32 characters of [A-Za-z0-9]. */
export function makeNonce(random: (size: number) => Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(random(32), (byte) => alphabet[byte % alphabet.length]).join('');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
