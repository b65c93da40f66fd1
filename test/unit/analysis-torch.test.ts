// The schedules the Python analysis reads from the example scripts and fixtures, against real torch:
// test/fixtures/python/record-torch-traces.ts recorded each case the analysis built and what torch 2.13 did
// with it. Here the analysis must still build exactly those cases, and its traces (the engine's) must
// match torch's to rtol 1e-12 with the same error.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzePython, initPythonAnalysis } from '../../src/analysis/analyzePython';
import { stringifyPython } from '../../src/analysis/python/pyJson';
import type { SchedulerFinding } from '../../src/analysis/types';
import type { CaseResult, ScheduleCase } from '../../src/engine/case';
import { parseCaseJson } from '../../src/engine/caseJson';
import { compareResults, describeMismatch } from '../differential/compare';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'python');

interface TraceFile {
  torch: string;
  cases_sha256: string;
  results: CaseResult[];
}

const casesRaw = readFileSync(join(FIXTURES, 'torch-cases.json'));
const cases = (parseCaseJson(casesRaw.toString('utf8')) as { cases: (ScheduleCase & { id: string })[] }).cases;
const traces = JSON.parse(readFileSync(join(FIXTURES, 'torch-traces.json'), 'utf8')) as TraceFile;

describe('analysis of the example scripts and fixtures against real torch', () => {
  const findings = new Map<string, SchedulerFinding[]>();
  before(async () => {
    await initPythonAnalysis();
  });
  const findingAt = (id: string): SchedulerFinding => {
    const [file, line] = [id.slice(0, id.lastIndexOf(':')), Number(id.slice(id.lastIndexOf(':') + 1))];
    if (!findings.has(file)) findings.set(file, analyzePython(readFileSync(join(ROOT, file), 'utf8')).schedulers);
    const finding = findings.get(file)!.find((f) => f.line === line && !f.partOf);
    assert.ok(finding, `a top-level scheduler at ${id}`);
    return finding;
  };

  it('the traces were recorded from this exact cases file with torch 2.13', () => {
    assert.ok(traces.torch.startsWith('2.13'), `recorded with torch ${traces.torch}`);
    assert.equal(traces.cases_sha256, createHash('sha256').update(casesRaw).digest('hex'), 'stale: run npx tsx test/fixtures/python/record-torch-traces.ts');
    assert.deepEqual(traces.results.map((result) => result.id), cases.map((c) => c.id));
  });

  cases.forEach((recorded, index) => {
    it(recorded.id, () => {
      const finding = findingAt(recorded.id);
      const { id: _id, ...recordedCase } = recorded;
      assert.equal(stringifyPython(finding.case), stringifyPython(recordedCase), 'the analysis builds the recorded case');
      assert.deepEqual(finding.unresolved, []);
      const got: CaseResult = { id: recorded.id, trace: finding.trace ?? [], error: finding.error };
      const mismatch = compareResults(traces.results[index], got);
      if (mismatch) assert.fail(describeMismatch(recorded.id, mismatch));
    });
  });
});
