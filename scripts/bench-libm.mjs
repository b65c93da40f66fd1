// Micro-benchmark: ns per call of the correctly-rounded crCos/crSin against Math.cos, per input range.
//   node scripts/bench-libm.mjs [path/to/libm.ts]     (default src/engine/python/libm.ts)
// To compare with an earlier version, put it next to the current one (so that './exact' resolves), e.g.
//   git show HEAD~1:src/engine/python/libm.ts > src/engine/python/libm-before.ts
// and pass that path. The machine may be shared and noisy, so each figure is the fastest of many passes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.argv[2] ?? join(root, 'src/engine/python/libm.ts'));
const PASSES = Number(process.env.BENCH_PASSES ?? 200);
const SIZE = 4096;

async function loadLibm(dir) {
  const outfile = join(dir, 'libm.mjs');
  await build({ entryPoints: [source], bundle: true, format: 'esm', platform: 'node', outfile, logLevel: 'error' });
  return import(pathToFileURL(outfile).href);
}

// A seeded generator, so that every run times the same inputs.
let seed = 12345;
const random = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const inputs = (make) => Float64Array.from({ length: SIZE }, make);
const ranges = [
  ['|x| < pi/4', inputs(() => random() * 0.78)],
  ['OneCycle pi*pct, pct < 1.1', inputs(() => Math.PI * random() * 1.1)],
  ['pi*k/T, T <= 1e4', inputs(() => { const t = 1 + Math.floor(random() * 1e4); return (Math.PI * Math.floor(random() * t)) / t; })],
  ['pi*k/T, |x| < 1e4', inputs(() => { const t = 1 + Math.floor(random() * 1e3); return (Math.PI * Math.floor(random() * t * 3000)) / t; })],
  ['random [0, 1e5]', inputs(() => random() * 1e5)],
  ['random [1e5, 1e6]', inputs(() => 1e5 + random() * 9e5)],
  ['m*pi/2 (cos next to 0)', inputs(() => (Math.PI * (1 + Math.floor(random() * 1e4))) / 2)],
];
const LABEL = 32;

const dir = mkdtempSync(join(tmpdir(), 'bench-libm-'));
try {
  const { crCos, crSin } = await loadLibm(dir);
  // One loop per function, so that each call site stays monomorphic (as in the engine's schedulers).
  const loops = {
    crCos: (xs) => { let s = 0; for (let i = 0; i < xs.length; i++) s += crCos(xs[i]); return s; },
    crSin: (xs) => { let s = 0; for (let i = 0; i < xs.length; i++) s += crSin(xs[i]); return s; },
    'Math.cos': (xs) => { let s = 0; for (let i = 0; i < xs.length; i++) s += Math.cos(xs[i]); return s; },
  };
  let sink = 0;
  for (const loop of Object.values(loops)) for (const [, xs] of ranges) for (let i = 0; i < 50; i++) sink += loop(xs); // warm up the JIT
  console.log(`${source}\nns per call, fastest of ${PASSES} passes`);
  console.log('inputs'.padEnd(LABEL) + Object.keys(loops).map((name) => name.padStart(10)).join(''));
  for (const [label, xs] of ranges) {
    const cells = Object.values(loops).map((loop) => {
      let fastest = Infinity;
      for (let pass = 0; pass < PASSES; pass++) {
        const started = process.hrtime.bigint();
        sink += loop(xs);
        fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / xs.length);
      }
      return fastest.toFixed(1).padStart(10);
    });
    console.log(label.padEnd(LABEL) + cells.join(''));
  }
  if (Number.isNaN(sink)) console.log('(NaN sum)');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
