import { chromium } from 'playwright-core';
import { tsImport } from 'tsx/esm/api';
import { startHarness } from './server.mjs';
const { loadMessageFor } = await tsImport('./fixtures.ts', import.meta.url);
const h = await startHarness();
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
await p.goto(h.url);
await p.evaluate((m) => window.__hostSend(m), await loadMessageFor('onecycle'));
const cdp = await p.context().newCDPSession(p); await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 100 }); await cdp.send('Profiler.start');
const r = await p.evaluate(async () => {
  const chart = window.__lrLensChart; const orig = chart.update.bind(chart); const upd = [];
  chart.update = (m) => { const t = performance.now(); orig(m); upd.push(performance.now() - t); };
  const draw = chart.draw.bind(chart); const dr = [];
  chart.draw = () => { const t = performance.now(); draw(); dr.push(performance.now() - t); };
  const slider = document.querySelector('[data-path="sched.pct_start"] input[type=range]');
  const tot = [];
  for (let i = 0; i < 40; i++) { await new Promise(r => requestAnimationFrame(r)); slider.value = String(0.1 + 0.02 * i); const t = performance.now(); slider.dispatchEvent(new Event('input')); tot.push(performance.now() - t); }
  const med = (a) => a.sort((x, y) => x - y)[a.length >> 1].toFixed(2);
  return { total: med(tot), update: med(upd), draw: med(dr) };
});
console.log(r);
const { profile } = await cdp.send('Profiler.stop');
const dt = {}; profile.samples.forEach((id, i) => dt[id] = (dt[id] || 0) + (profile.timeDeltas[i] || 0));
const self = {}; for (const n of profile.nodes) { const k = n.callFrame.functionName + ':' + n.callFrame.lineNumber; self[k] = (self[k] || 0) + (dt[n.id] || 0); }
console.log(Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => (v / 1000).toFixed(1) + 'ms ' + k).join('\n'));
await b.close(); await h.close();
