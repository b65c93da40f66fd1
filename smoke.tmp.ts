import { readdirSync, readFileSync } from 'node:fs';
import { analyzeConfig, initConfigAnalysis } from './src/analysis/analyzeConfig';
(async () => {
  await initConfigAnalysis();
  for (const f of readdirSync('test/fixtures/configs')) {
    const r = analyzeConfig(f, readFileSync('test/fixtures/configs/' + f, 'utf8'), {});
    for (const s of r.schedulers) {
      const tr = s.trace;
      console.log(f, s.line, s.type, s.source, s.unit, 'steps', s.case.steps, 'unres', JSON.stringify(s.unresolved), 'err', JSON.stringify(s.error), 'lr', tr ? [tr[0].lr[0], tr[1]?.lr[0], tr[tr.length - 1].lr[0]].join(' ') : null, JSON.stringify(s.case.scheduler).slice(0, 160));
    }
    for (const d of r.diagnostics) console.log(f, 'DIAG', d.message);
    if (!r.schedulers.length) console.log(f, 'NOTHING');
  }
})();
