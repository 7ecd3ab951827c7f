/**
 * Benchmark of delayed semistatic hedging at n = 10,000 steps with a delay of D = 2,000:
 * `npm run bench:semistatic`.
 *
 * 1. The value: `solveSemistatic` with no identity checks (the root a, the Toeplitz row t of Q^{-1} in O(n),
 *    H from the trace identity and the determinant formula), RUNS times after a warm-up; target < 2 s.
 * 2. The identity residuals at that size, each with its wall time: the quadratic root; trace Q; the entry
 *    sum of Q (O(nD) over the band); log det Q^{-1} by Levinson-Durbin (O(n^2)) against the formula, which
 *    also tests positive definiteness; max |Q Q^{-1} - I| over 64 columns (both corners and evenly spaced,
 *    O(nD) each, Q from its O(1) entries); |Q (Q^{-1} x) - x| for random x (O(n^2) + O(nD)); and the band
 *    of Q built by the spec's recursion (O(nD) memory: (D+1) n doubles) against the O(1) entries.
 * Writes the figures to bench/results/semistatic.json. No dense n^3 work anywhere.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { resolveParams } from '../src-shared/semistatic/params';
import { solveSemistatic } from '../src-main/engine/semistatic/solution';
import { aQuadratic, quadraticResidual, solveA, toeplitzRow } from '../src-main/engine/semistatic/coefficients';
import { buildBandedQ, logDetQInverse, qEntry, qEntrySum, qMatVec, qStructure, qTrace } from '../src-main/engine/semistatic/bandedQ';
import { inverseResidual, probeColumns } from '../src-main/engine/semistatic/checks';
import { levinson, toeplitzMatVec } from '../src-main/engine/semistatic/toeplitz';
import { seeded } from '../src-main/engine/stochastic/rng';

const RUNS = 7;
const MB = 1024 * 1024;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};
const timed = <T>(f: () => T): { value: T; ms: number } => {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
};

interface CaseResult {
  n: number;
  D: number;
  ratio2: number;
  mu: number;
  sigma: number;
  valueMs: number[];
  valueMedianMs: number;
  a: number;
  H: number;
  value: number;
  residuals: Record<string, { residual: number; ms: number; note: string }>;
  positiveDefinite: boolean;
  bandMemoryMB: number;
  peakRssMB: number;
}

function benchCase(n: number, D: number, ratio2: number, mu: number, sigma: number): CaseResult {
  const p = resolveParams({ n, delay: D, ratio2, mu, sigma });
  solveSemistatic(p, { checkBudget: 0 }); // warm-up
  const valueMs: number[] = [];
  let sol = solveSemistatic(p, { checkBudget: 0 });
  for (let r = 0; r < RUNS; r++) {
    const t = timed(() => solveSemistatic(p, { checkBudget: 0 }));
    valueMs.push(t.ms);
    sol = t.value;
  }
  const a = solveA(n, D, ratio2).a;
  const t = toeplitzRow(n, D, a);
  const q = qStructure(n, D, a);
  const residuals: CaseResult['residuals'] = {};

  residuals.root = { residual: quadraticResidual(aQuadratic(n, D, ratio2), a), ms: 0, note: 'relative |A a² + B a + C|' };
  const tr = timed(() => qTrace(q));
  residuals.trace = { residual: Math.abs(tr.value - n * (1 - a * ratio2)) / (n * (1 - a * ratio2)), ms: tr.ms, note: 'trace Q vs n (1 - a s2), relative' };
  const sum = timed(() => qEntrySum(q));
  residuals.entrySum = { residual: Math.abs(sum.value - n * ratio2) / (n * ratio2), ms: sum.ms, note: `sum of Q over the band (${(n * (D + 1)).toExponential(2)} entries) vs n s2, relative` };
  const lev = timed(() => levinson(t));
  const formula = logDetQInverse(n, D, a);
  residuals.determinant = {
    residual: Math.abs(lev.value.logDet - formula) / Math.abs(formula),
    ms: lev.ms,
    note: `log det Q^-1: Levinson ${lev.value.logDet.toPrecision(12)} vs formula ${formula.toPrecision(12)}, relative`,
  };
  const cols = probeColumns(n, D, 64);
  const inv = timed(() => inverseResidual(q, t, cols));
  residuals.inverse = { residual: inv.value, ms: inv.ms, note: `max |Q Q^-1 - I| over ${cols.length} columns (first/last ${cols.filter((j) => j < 16).length} and evenly spaced)` };
  const rng = seeded(17);
  const x = new Float64Array(n);
  let probeWorst = 0;
  const probe = timed(() => {
    for (let k = 0; k < 2; k++) {
      rng.fillNormal(x);
      const back = qMatVec(q, toeplitzMatVec(t, x));
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        num = Math.max(num, Math.abs(back[i] - x[i]));
        den = Math.max(den, Math.abs(x[i]));
      }
      probeWorst = Math.max(probeWorst, num / den);
    }
  });
  residuals.probe = { residual: probeWorst, ms: probe.ms, note: 'max |Q (Q^-1 x) - x| / max |x| over 2 random normal x' };
  const rssBefore = process.memoryUsage().rss;
  const band = timed(() => buildBandedQ(q));
  let bandWorst = 0;
  const cmp = timed(() => {
    for (let d = 0; d <= D; d++) {
      const off = d * n;
      for (let i = 0; i < n - d; i++) bandWorst = Math.max(bandWorst, Math.abs(band.value.data[off + i] - qEntry(q, i, i + d)));
    }
  });
  residuals.bandRecursion = {
    residual: bandWorst,
    ms: band.ms + cmp.ms,
    note: `band of Q by the spec's recursion (${((band.value.data.byteLength) / MB).toFixed(0)} MB) vs the O(1) closed-form entries, max abs`,
  };
  const bandMemoryMB = band.value.data.byteLength / MB;
  void rssBefore;
  const res: CaseResult = {
    n,
    D,
    ratio2,
    mu,
    sigma,
    valueMs,
    valueMedianMs: median(valueMs),
    a: sol.a,
    H: sol.entropy,
    value: sol.value,
    residuals,
    positiveDefinite: lev.value.positiveDefinite,
    bandMemoryMB,
    peakRssMB: (process.resourceUsage().maxRSS * 1024) / MB,
  };
  console.log(
    `n=${n} D=${D} s2=${ratio2} mu=${mu} sigma=${sigma}: value in median ${res.valueMedianMs.toFixed(2)} ms (${RUNS} runs, max ${Math.max(...valueMs).toFixed(2)} ms; target < 2000 ms)`,
  );
  console.log(`  a = ${sol.a.toPrecision(12)}  H = ${sol.entropy.toPrecision(12)}  value = ${sol.value.toPrecision(12)}  Q^-1 positive definite: ${res.positiveDefinite}`);
  for (const [k, r] of Object.entries(residuals)) console.log(`  ${k.padEnd(14)} residual ${r.residual.toExponential(2)}  (${r.ms.toFixed(0)} ms)  ${r.note}`);
  console.log(`  peak RSS ${res.peakRssMB.toFixed(0)} MB (band storage ${bandMemoryMB.toFixed(0)} MB)`);
  return res;
}

const cases = [benchCase(10_000, 2_000, 0.7, 0.1, 1.3), benchCase(10_000, 2_000, 3, 0, 1)];

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, 'results');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, 'semistatic.json');
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, platform: `${process.platform}-${process.arch}`, cases }, null, 2));
console.log(`wrote ${file}`);
