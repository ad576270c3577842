#!/usr/bin/env node
// `npm run test:long` with a summary: runs scripts/run-tests.mjs (passing its arguments through, e.g. a
// suite filter) with ATTNBIAS_SUMMARY_FILE set, so every claim suite (properties/claims/*.test.ts) appends
// one JSON line per dataset it checked; then aggregates them per claim — datasets tested, verdict and
// conclusion counts, worst / median final gap, worst ε and δ, the claim's own worst metric (A.EQ path
// disagreement, A.INV drift), seconds — and writes proofs-data/runs/test-long-<date>.json (atomically).
// Exit code: that of run-tests.mjs. Sets ATTNBIAS_BUDGET=long unless ATTNBIAS_BUDGET is already set.
//
//   usage: tsc -p tsconfig.json && node scripts/test-long-summary.mjs [suite-filter-regexp]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';

const root = process.cwd();
const runsDir = join(root, 'proofs-data', 'runs');
mkdirSync(runsDir, { recursive: true });
const started = new Date();
const stamp = started.toISOString().replace(/:\d\d\.\d+Z$/, 'Z').replace(':', '');  // 2026-11-23T0512Z
const linesFile = join(runsDir, `.test-long-${stamp}.${process.pid}.jsonl`);
const outFile = join(runsDir, `test-long-${stamp}.json`);
const budget = process.env.ATTNBIAS_BUDGET || 'long';

let tail = '';
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, [join(root, 'scripts', 'run-tests.mjs'), ...process.argv.slice(2)], {
    env: { ...process.env, ATTNBIAS_BUDGET: budget, ATTNBIAS_SUMMARY_FILE: linesFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.on('data', (b) => { process.stdout.write(b); tail = (tail + b.toString()).slice(-4000); });
  child.on('close', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
});

const records = existsSync(linesFile)
  ? readFileSync(linesFile, 'utf8').split('\n').filter((l) => l.trim() !== '').flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } })
  : [];

const median = (xs) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const max = (xs) => (xs.length ? Math.max(...xs) : null);
const nums = (rs, key) => rs.map((r) => r[key]).filter((x) => typeof x === 'number' && Number.isFinite(x));

const claims = {};
for (const claim of [...new Set(records.map((r) => r.claim))].sort()) {
  const rs = records.filter((r) => r.claim === claim);
  const verdicts = { consistent: 0, refuted: 0, inconclusive: 0 };
  for (const r of rs) verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
  const gaps = nums(rs, 'gap');
  const worstGap = max(gaps);
  const worstRec = worstGap === null ? null : rs.find((r) => r.gap === worstGap);
  const metric = nums(rs, 'metric_value');
  claims[claim] = {
    datasets: rs.length,
    suites: [...new Set(rs.map((r) => r.suite))],
    verdicts,
    conclusions: { true: rs.filter((r) => r.conclusion === true).length, false: rs.filter((r) => r.conclusion === false).length, null: rs.filter((r) => r.conclusion !== true && r.conclusion !== false).length },
    gap: { n: gaps.length, worst: worstGap, median: median(gaps), worst_case: worstRec ? { generator: worstRec.generator, seed: worstRec.seed, shape: worstRec.shape, verdict: worstRec.verdict } : null },
    eps: { worst: max(nums(rs, 'eps').map(Math.abs)), median: median(nums(rs, 'eps').map(Math.abs)) },
    delta: { worst: max(nums(rs, 'delta').map(Math.abs)), median: median(nums(rs, 'delta').map(Math.abs)) },
    ...(metric.length ? { metric: { name: rs.find((r) => r.metric)?.metric ?? null, worst: max(metric), median: median(metric) } } : {}),
    seconds: Number(nums(rs, 'seconds').reduce((a, b) => a + b, 0).toFixed(3)),
    refuted: rs.filter((r) => r.verdict === 'refuted').map((r) => ({ suite: r.suite, generator: r.generator ?? null, seed: r.seed ?? null, shape: r.shape ?? null })),
  };
}

const totals = /(\d+) passed, (\d+) failed\s*$/.exec(tail.trim());
const summary = {
  format: 'attnbias/test-long-summary@1',
  started: started.toISOString(),
  finished: new Date().toISOString(),
  seconds: (Date.now() - started.getTime()) / 1000,
  budget,
  seed: process.env.ATTNBIAS_SEED || null,
  node: process.version,
  cores: cpus().length,
  filter: process.argv[2] ?? null,
  tests: totals ? { passed: Number(totals[1]), failed: Number(totals[2]) } : null,
  exit_code: code,
  datasets: records.length,
  claims,
};

const tmp = `${outFile}.${process.pid}.tmp`;
writeFileSync(tmp, JSON.stringify(summary, null, 2) + '\n');
renameSync(tmp, outFile);
rmSync(linesFile, { force: true });
process.stdout.write(`\ntest:long summary (${records.length} datasets over ${Object.keys(claims).length} claims): ${outFile}\n`);
for (const [claim, c] of Object.entries(claims)) {
  const g = c.gap.worst === null ? '' : `, worst gap ${c.gap.worst.toExponential(2)}`;
  process.stdout.write(`  ${claim.padEnd(10)} ${String(c.datasets).padStart(4)} datasets: ${Object.entries(c.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}${g}\n`);
}
process.exit(code);
