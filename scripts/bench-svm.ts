/**
 * Benchmark of the certified ℓ1 SVM (SPEC.md §5): glpk LP solve time and exact-certificate time on a
 * seeded random feasible instance with n = 200 samples, T = 6 tokens, d = 60 (m = 1000 constraints);
 * plus the certified diagonal Frobenius SVM on the same data.
 * `benchSvm()` returns lines "name value unit".
 */
import type { Dataset, Sample } from '../src/data/Dataset.js';
import { type Rational, rat, qdot, qmul, qsub, qadd, qcmp } from '../src/numeric/rational.js';
import { svmConstraints, solveSvm } from '../src/svm/solve.js';
import { solveGlpk } from '../src/svm/glpk.js';
import { l1Lp, basesFromGlpk } from '../src/svm/l1.js';
import { exactL1Simplex } from '../src/svm/l1Simplex.js';
import { verifyL1Certificate } from '../src/svm/l1Certificate.js';

/** A small deterministic LCG (seeded). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

/**
 * A feasible random dataset: entries k/4 with |k| ≤ 8, positive queries, random labels; a planted w0 and,
 * per sample, the optimal token pushed along a coordinate that raises both its score and its w0-margins.
 */
export function plantedL1Dataset(n: number, T: number, d: number, seed: number): Dataset {
  const rnd = lcg(seed);
  const entry = (): Rational => rat(Math.floor(rnd() * 17) - 8, 4);
  const head = Array.from({ length: d }, entry).map((x) => (x.num === 0n ? rat(1, 4) : x));
  const w0 = Array.from({ length: d }, () => rat(Math.floor(rnd() * 7) - 3)).map((x) => (x.num === 0n ? rat(1) : x));
  const samples: Sample[] = [];
  for (let i = 0; i < n; i++) {
    const y: 1 | -1 = rnd() < 0.5 ? 1 : -1;
    const z = Array.from({ length: d }, () => rat(Math.floor(rnd() * 3) + 1, Math.floor(rnd() * 2) + 1));
    const X = Array.from({ length: T }, () => Array.from({ length: d }, entry));
    const score = (x: readonly Rational[]): Rational => (y === 1 ? qdot(head, x) : qsub(rat(0), qdot(head, x)));
    let opt = 0;
    for (let t = 1; t < T; t++) if (qcmp(score(X[t]!), score(X[opt]!)) > 0) opt = t;
    // a coordinate j with y·h_j > 0 and w0_j > 0 (so raising x_opt,j raises score and margins)
    const js = Array.from({ length: d }, (_, j) => j).filter((j) => (y === 1 ? head[j]!.num > 0n : head[j]!.num < 0n) && w0[j]!.num > 0n);
    const j = js[Math.floor(rnd() * js.length)]!;
    const margin = (t: number): Rational => qdot(X[opt]!.map((v, c) => qmul(qsub(v, X[t]![c]!), z[c]!)), w0);
    let need = rat(0);
    for (let t = 0; t < T; t++) {
      if (t === opt) continue;
      const short = qsub(rat(1), margin(t));
      if (qcmp(short, need) > 0) need = short;
    }
    // shift δ = ceil(need / (z_j w0_j)) + 1 (an integer keeps the data simple), strictly raising the score
    const per = qmul(z[j]!, w0[j]!);
    const q = rat(need.num * per.den, need.den * per.num);
    const delta = rat(q.num / q.den + 1n);
    X[opt] = X[opt]!.map((v, c) => (c === j ? qadd(v, delta) : v));
    samples.push({ X, z, y });
  }
  return { name: `planted-l1-${n}x${T}x${d}`, d, head, samples };
}

export async function benchSvm(): Promise<string[]> {
  const data = plantedL1Dataset(200, 6, 60, 20240301);
  const cs = svmConstraints(data);
  const a = cs.diag.map((c) => c.a);
  const lines: string[] = [];
  const t0 = performance.now();
  const sol = solveGlpk(l1Lp(a, cs.d));
  const t1 = performance.now();
  if (sol.status !== 'optimal') throw new Error(`bench-svm: glpk status ${sol.status}`);
  const starts = basesFromGlpk(a, cs.d, sol);
  const out = exactL1Simplex(a, cs.d, starts);
  if (out.kind !== 'optimal') throw new Error(`bench-svm: exact simplex ${out.kind}`);
  const chk = verifyL1Certificate(a, cs.d, out.w, out.lambda);
  const t2 = performance.now();
  if (!chk.exact) throw new Error('bench-svm: certificate not exact');
  const t3 = performance.now();
  const full = solveSvm(data, { norm: 'l1' });
  const t4 = performance.now();
  lines.push(`svm_l1_glpk_solve_n200_T6_d60 ${(t1 - t0).toFixed(1)} ms`);
  lines.push(`svm_l1_exact_certificate_n200_T6_d60 ${(t2 - t1).toFixed(1)} ms`);
  lines.push(`svm_l1_exact_pivots_after_glpk ${out.pivots} count`);
  lines.push(`svm_l1_support_size ${out.basis.S.length} count`);
  lines.push(`svm_l1_solveSvm_total_incl_uniqueness ${(t4 - t3).toFixed(1)} ms`);
  lines.push(`svm_l1_certificate_exact ${full.certificate?.exact ? 1 : 0} bool`);
  const t5 = performance.now();
  const fro = solveSvm(data, { norm: 'fro', structure: 'diag' });
  const t6 = performance.now();
  lines.push(`svm_fro_diag_certified_n200_T6_d60 ${(t6 - t5).toFixed(1)} ms`);
  lines.push(`svm_fro_diag_certificate_exact ${fro.certificate?.exact ? 1 : 0} bool`);
  return lines;
}

const isMain = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) for (const line of await benchSvm()) console.log(line);
