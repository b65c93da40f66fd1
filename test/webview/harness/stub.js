// Stand-in for VS Code's webview host: acquireVsCodeApi (messages recorded in window.__posted, state in
// sessionStorage so a reload keeps it, as VS Code keeps getState across reloads), the theme's body
// class, and a record of any Content-Security-Policy violation.
(() => {
  const params = new URLSearchParams(location.search);
  const theme = params.get('theme') ?? 'light';
  const bodyClass = { light: 'vscode-light', dark: 'vscode-dark', hc: 'vscode-high-contrast' }[theme] ?? 'vscode-light';
  document.documentElement.className = `theme-${theme}`;
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`));
  window.__posted = [];
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return {
      postMessage: (message) => window.__posted.push(JSON.parse(JSON.stringify(message))),
      getState: () => JSON.parse(sessionStorage.getItem('lrLensState') ?? 'null') ?? undefined,
      setState: (state) => sessionStorage.setItem('lrLensState', JSON.stringify(state)),
    };
  };
  /** Sends a host message the way VS Code delivers one: a MessageEvent on window. */
  window.__hostSend = (message) => window.dispatchEvent(new MessageEvent('message', { data: message }));
  document.addEventListener('DOMContentLoaded', () => {
    document.body.classList.add(bodyClass);
    document.body.dataset.vscodeThemeKind = bodyClass;
    if (window.__demo) window.__hostSend(window.__demo);
  });
})();
