/**
 * `attnbias sweep` through the compiled CLI (node dist/src/cli/main.js sweep …): JSONL records written and
 * flushed one per dataset, seeded and reproducible; resumption skips the indices already in the file
 * (after a second run, a half-written last line, and a SIGKILL mid-sweep) without duplicates; the summary
 * counts add up; a check overrunning --hard-limit is recorded as "timeout"; bad flags exit 2.
 * `sweep --conjecture FILE`: the shipped X.LOGISTIC module over its own generator (records name the module,
 * datasets reproduce from the recorded seed), verdict counts of a false conjecture (X.WRONG-FRO fixture),
 * resumption appending only the missing indices, a file of another module or of a claim refused, exactly
 * one of --claim / --conjecture, a malformed module refused, `sweep --help`.
 * Budget: tiny datasets (A.T1 and X.LOGISTIC on shape 1,2,1 and 2,2,2, ρ ≤ 14), ~20 s.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateDataset } from '../../src/data/parse.js';
import { datasetToJson } from '../../src/data/serialize.js';
import { generateDataset, type SweepRecord, type SweepSummary } from '../../src/claims/sweep.js';
import xlogistic from '../../src/claims/conjectures/xlogistic.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'attnbias-sweep-'));

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'sweep', ...args], { encoding: 'utf8', cwd: dir });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function records(file: string): SweepRecord[] {
  const text = readFileSync(file, 'utf8');
  assert.ok(text === '' || text.endsWith('\n'), 'the file ends with a complete line');
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as SweepRecord);
}

function indices(rs: readonly SweepRecord[]): number[] {
  return rs.map((r) => r.index).sort((a, b) => a - b);
}

function checkSummary(s: SweepSummary, expected: number): void {
  assert.is(s.datasets, expected);
  const v = Object.values(s.verdicts).reduce((a, b) => a + b, 0);
  assert.is(v, expected, 'verdict counts add up');
  assert.is(s.conclusions.true + s.conclusions.false + s.conclusions.null, expected, 'conclusion counts add up');
  assert.is(s.ran_now + s.resumed, expected);
}

const base = ['--claim', 'A.T1', '--shape', '1,2,1', '--until-rho', '12', '--max-seconds-per', '5', '--jobs', '2'];

test('writes one JSON line per dataset, seeded (seed S + k) and reproducible; --json summary adds up', () => {
  const out = join(dir, 'a.jsonl');
  const r = run([...base, '--count', '3', '--seed', '7', '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '', 'no progress bar when piped');
  const summary = JSON.parse(r.stdout) as SweepSummary;
  checkSummary(summary, 3);
  assert.is(summary.ran_now, 3);
  const rs = records(out);
  assert.equal(indices(rs), [0, 1, 2]);
  for (const rec of rs) {
    assert.is(rec.seed, 7 + rec.index);
    assert.is(rec.claim, 'A.T1');
    assert.equal(rec.shape, { n: 1, T: 2, d: 1 });
    assert.ok(['consistent', 'refuted', 'inconclusive'].includes(rec.verdict), rec.reason);
    assert.type(rec.seconds, 'number');
    assert.ok('final_gap' in rec && 'conclusion' in rec && 'reason' in rec);
    // the dataset is exact JSON: it parses, and the generator reproduces it from the recorded seed
    const parsed = validateDataset(rec.dataset);
    assert.ok(parsed.ok);
    assert.equal(rec.dataset, datasetToJson(generateDataset(rec.generator, rec.seed, rec.shape)!));
  }
});

test('rerunning resumes: done indices are skipped, no duplicates; a larger --count runs only the new ones', () => {
  const out = join(dir, 'b.jsonl');
  assert.is(run([...base, '--count', '3', '--out', out, '--json']).code, 0);
  const again = run([...base, '--count', '3', '--out', out, '--json']);
  assert.is(again.code, 0, again.stderr);
  const s1 = JSON.parse(again.stdout) as SweepSummary;
  assert.is(s1.ran_now, 0);
  checkSummary(s1, 3);
  assert.equal(indices(records(out)), [0, 1, 2]);
  const more = run([...base, '--count', '5', '--out', out, '--json']);
  const s2 = JSON.parse(more.stdout) as SweepSummary;
  assert.is(s2.ran_now, 2);
  assert.is(s2.resumed, 3);
  checkSummary(s2, 5);
  assert.equal(indices(records(out)), [0, 1, 2, 3, 4]);
});

test('a half-written last line is discarded and its dataset rerun', () => {
  const out = join(dir, 'c.jsonl');
  assert.is(run([...base, '--count', '3', '--out', out, '--json']).code, 0);
  const lines = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '');
  // drop the record of the last written index and leave half of it on the last line
  const last = JSON.parse(lines[lines.length - 1]!) as SweepRecord;
  writeFileSync(out, lines.slice(0, -1).map((l) => l + '\n').join('') + lines[lines.length - 1]!.slice(0, 40));
  const r = run([...base, '--count', '3', '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as SweepSummary;
  assert.is(s.ran_now, 1);
  checkSummary(s, 3);
  const rs = records(out);
  assert.equal(indices(rs), [0, 1, 2]);
  assert.equal(rs.find((x) => x.index === last.index)!.dataset, last.dataset, 'the rerun dataset is the same');
  // garbage without a newline at the end is also dropped
  appendFileSync(out, '{"index": 9');
  const r2 = run([...base, '--count', '3', '--out', out, '--json']);
  assert.is((JSON.parse(r2.stdout) as SweepSummary).ran_now, 0);
  assert.equal(indices(records(out)), [0, 1, 2]);
});

test('killed mid-sweep (SIGKILL) and restarted: every index exactly once', async () => {
  const out = join(dir, 'd.jsonl');
  const args = ['--claim', 'A.T1', '--shape', '2,2,2', '--until-rho', '14', '--max-seconds-per', '3', '--jobs', '2', '--count', '6', '--seed', '3', '--out', out, '--json'];
  const child = spawn(process.execPath, [CLI, 'sweep', ...args], { cwd: dir, stdio: 'ignore' });
  const t0 = Date.now();
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      const n = existsSync(out) ? readFileSync(out, 'utf8').split('\n').filter((l) => l !== '').length : 0;
      if (n >= 1 || Date.now() - t0 > 60_000 || child.exitCode !== null) { clearInterval(poll); child.kill('SIGKILL'); resolve(); }
    }, 20);
  });
  await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)));
  const before = existsSync(out) ? indices(readFileSync(out, 'utf8').split('\n').filter((l) => { try { JSON.parse(l); return true; } catch { return false; } }).map((l) => JSON.parse(l) as SweepRecord)) : [];
  console.log(`  killed after ${before.length} of 6 records`);
  const r = run(args);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as SweepSummary;
  checkSummary(s, 6);
  assert.is(s.resumed, before.length, `resumed the ${before.length} records written before the kill`);
  assert.equal(indices(records(out)), [0, 1, 2, 3, 4, 5]);
});

test('a dataset that overruns --hard-limit is stopped and recorded as "timeout" (the worker is replaced)', () => {
  const out = join(dir, 'g.jsonl');
  // feasibleA1 seed 107, shape 2,3,2: the A.T1 check to ρ = 100 runs well past 2 s (measured 8.5 s for the
  // sweep; to ρ = 20, since Decimal flows compute in the binary field, 1.5 s — too close), its own budget here is
  // 30 s, so the hard limit of 2 s must stop it. (Written first against a bug where the flow ignored its time budget.)
  const t0 = Date.now();
  const r = run(['--claim', 'A.T1', '--shape', '2,3,2', '--seed', '107', '--count', '2', '--until-rho', '100', '--max-seconds-per', '30', '--hard-limit', '2', '--jobs', '1', '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(Date.now() - t0 < 60_000, 'the hard limit stopped the slow check');
  const rs = records(out);
  assert.equal(indices(rs), [0, 1]);
  const slow = rs.find((x) => x.index === 0)!;
  assert.is(slow.verdict, 'timeout');
  assert.match(slow.reason, /hard limit of 2 s/);
  assert.ok(slow.dataset, 'the dataset is recorded');
  checkSummary(JSON.parse(r.stdout) as SweepSummary, 2);
});

test('text summary: a table with counts per verdict, conclusions, worst and median gap, time', () => {
  const out = join(dir, 'e.jsonl');
  const r = run([...base, '--count', '2', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  for (const row of [/^claim\s+A\.T1$/m, /^datasets\s+2 of 2/m, /^\s+consistent\s+\d+$/m, /^\s+refuted\s+\d+$/m, /^\s+inconclusive\s+\d+$/m, /^conclusion\s+true \d+, false \d+, null \d+$/m, /^final gap\s+worst .* median /m, /^time\s+[\d.]+ s of checks, [\d.]+ s wall$/m]) {
    assert.match(r.stdout, row);
  }
});

test('default output file: proofs-data/runs/sweep-<claim>-<seed>.jsonl (relative to the working directory)', () => {
  const r = run([...base, '--count', '1', '--seed', '5', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(existsSync(join(dir, 'proofs-data', 'runs', 'sweep-A.T1-5.jsonl')));
  assert.is((JSON.parse(r.stdout) as SweepSummary).out, join(dir, 'proofs-data', 'runs', 'sweep-A.T1-5.jsonl'));
});

test('bad flags exit 2 with a usage message and nothing on stdout', () => {
  const out = join(dir, 'f.jsonl');
  const cases: string[][] = [
    ['--count', '2'], // no --claim
    ['--claim', 'A.T1'], // no --count
    ['--claim', 'Z.Z', '--count', '2'],
    ['--claim', 'A.T1', '--count', '0'],
    ['--claim', 'A.T1', '--count', '2.5'],
    ['--claim', 'A.T1', '--count', '2', '--shape', '1,1,1'],
    ['--claim', 'A.T1', '--count', '2', '--shape', '2,3'],
    ['--claim', 'A.T1', '--count', '2', '--jobs', '0'],
    ['--claim', 'A.T1', '--count', '2', '--max-seconds-per', 'abc'],
    ['--claim', 'A.T1', '--count', '2', '--generator', 'nope'],
    ['--claim', 'A.T1', '--count', '2', '--bogus'],
    ['--claim', 'A.T1', '--count', '2', '--seed', '-1'],
    ['--claim', 'A.T1', '--count', '2', '--hard-limit', '0'],
    ['--claim', 'A.T1', '--count', '2', '--alpha', 'x'],
  ];
  for (const args of cases) {
    const r = run([...args, '--out', out]);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.is(r.stdout, '', args.join(' '));
    assert.match(r.stderr, /^attnbias: /, args.join(' '));
    assert.not.match(r.stderr, /\s+at\s+\S+\s+\(/, 'no stack trace');
  }
  // an output file that belongs to another sweep is refused, not mixed
  const other = join(dir, 'a.jsonl');
  const r = run(['--claim', 'A.T1', '--shape', '2,2,2', '--count', '2', '--seed', '7', '--out', other]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /another sweep/);
});

// --- sweep --conjecture FILE ---

const here = (f: string): string => fileURLToPath(new URL(f, import.meta.url));
const XLOGISTIC = here('../../src/claims/conjectures/xlogistic.js');
const WRONG_FRO = here('../claims/fixtures/wrongFro.js');
const conj = ['--conjecture', XLOGISTIC, '--shape', '1,2,1', '--until-rho', '12', '--max-seconds-per', '20', '--jobs', '2'];

function tally(rs: readonly SweepRecord[]): Record<string, number> {
  return rs.reduce((m, r) => ({ ...m, [r.verdict]: (m[r.verdict] ?? 0) + 1 }), {} as Record<string, number>);
}

test('--conjecture: one line per dataset from the module\'s own generator, naming the module; counts add up', () => {
  const out = join(dir, 'conj-a.jsonl');
  const r = run([...conj, '--count', '3', '--seed', '7', '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as SweepSummary;
  checkSummary(s, 3);
  assert.equal(s.conjecture, { id: 'X.LOGISTIC', module: XLOGISTIC });
  assert.is(s.claim, 'X.LOGISTIC');
  assert.is(s.generator, 'conjecture');
  const rs = records(out);
  assert.equal(indices(rs), [0, 1, 2]);
  for (const rec of rs) {
    assert.equal(rec.conjecture, { id: 'X.LOGISTIC', module: XLOGISTIC }, 'the record names the conjecture and its module');
    assert.is(rec.claim, 'X.LOGISTIC');
    assert.is(rec.seed, 7 + rec.index);
    assert.is(rec.generator, 'conjecture');
    assert.is(rec.verdict, 'consistent', rec.reason); // X.LOGISTIC holds: the logistic flow reaches the ℓ1 SVM
    assert.equal(rec.dataset, datasetToJson(generateDataset('conjecture', rec.seed, rec.shape, xlogistic.generator)!), 'the module\'s generator reproduces the dataset from the recorded seed');
  }
  assert.equal(s.verdicts, { consistent: 3, refuted: 0, inconclusive: 0, error: 0, 'no-data': 0, timeout: 0 });
});

test('--conjecture with --generator: a false conjecture (X.WRONG-FRO) gets refuted records, counted in the table', () => {
  const out = join(dir, 'conj-b.jsonl');
  // feasibleA1 shape 1,2,2 seeds 1…3: seed 1 separates the ℓ1 and Frobenius SVMs (gap 7.8e-3), seeds 2, 3 do not
  const r = run(['--conjecture', WRONG_FRO, '--generator', 'feasibleA1', '--shape', '1,2,2', '--until-rho', '14', '--max-seconds-per', '20', '--jobs', '2', '--count', '3', '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const rs = records(out);
  assert.equal(tally(rs), { consistent: 2, refuted: 1 });
  assert.is(rs.find((x) => x.verdict === 'refuted')!.index, 0);
  for (const row of [/^claim\s+X\.WRONG-FRO$/m, new RegExp(`^conjecture\\s+${WRONG_FRO.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'), /^data\s+feasibleA1, /m, /^\s+consistent\s+2$/m, /^\s+refuted\s+1$/m, /^refuted at\s+0$/m]) {
    assert.match(r.stdout, row);
  }
  // without --generator, a module with no generator of its own is refused
  const none = run(['--conjecture', WRONG_FRO, '--count', '2', '--out', join(dir, 'conj-none.jsonl')]);
  assert.is(none.code, 2);
  assert.match(none.stderr, /^attnbias: --conjecture .*X\.WRONG-FRO has no generator.*--generator/);
});

test('--conjecture resumes after a partial file: only the missing indices are appended', () => {
  const out = join(dir, 'conj-c.jsonl');
  assert.is(run([...conj, '--count', '3', '--out', out, '--json']).code, 0);
  const lines = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '');
  const kept = lines[0]!;
  writeFileSync(out, kept + '\n' + lines[1]!.slice(0, 30)); // one complete record, one half-written
  const r = run([...conj, '--count', '4', '--out', out, '--json']);
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout) as SweepSummary;
  checkSummary(s, 4);
  assert.is(s.resumed, 1);
  assert.is(s.ran_now, 3);
  const after = readFileSync(out, 'utf8').split('\n').filter((l) => l !== '');
  assert.is(after[0], kept, 'the kept record is untouched');
  const keptIndex = (JSON.parse(kept) as SweepRecord).index;
  assert.equal(after.slice(1).map((l) => (JSON.parse(l) as SweepRecord).index).sort(), [0, 1, 2, 3].filter((k) => k !== keptIndex), 'only the missing indices appended');
  assert.equal(indices(records(out)), [0, 1, 2, 3]);
});

test('resume with another conjecture module, or a claim, on a conjecture sweep\'s file: exit 2, nothing appended', () => {
  const out = join(dir, 'conj-a.jsonl');
  const before = readFileSync(out, 'utf8');
  const other = run(['--conjecture', WRONG_FRO, '--generator', 'feasibleA1', '--shape', '1,2,1', '--count', '3', '--seed', '7', '--out', out]);
  assert.is(other.code, 2);
  assert.is(other.stdout, '');
  assert.match(other.stderr, /^attnbias: .*holds records of another sweep \(index \d+: a sweep of the conjecture module .*xlogistic\.js \(X\.LOGISTIC\), not of the module .*wrongFro\.js\); choose another --out\n$/);
  const claim = run(['--claim', 'X.LOGISTIC', '--shape', '1,2,1', '--count', '3', '--seed', '7', '--out', out]);
  assert.is(claim.code, 2);
  assert.match(claim.stderr, /another sweep .*conjecture module .*not of claim X\.LOGISTIC/);
  // and a claim sweep's file is not resumed by a conjecture
  const conjOnClaim = run([...conj, '--count', '3', '--seed', '7', '--out', join(dir, 'a.jsonl')]);
  assert.is(conjOnClaim.code, 2);
  assert.match(conjOnClaim.stderr, /another sweep .*a sweep of claim A\.T1, not of a conjecture module/);
  assert.is(readFileSync(out, 'utf8'), before);
});

test('exactly one of --claim / --conjecture; a malformed module exits 2, one line per problem; sweep --help', () => {
  for (const args of [['--claim', 'A.T1', '--conjecture', XLOGISTIC, '--count', '2'], ['--count', '2']]) {
    const r = run([...args, '--out', join(dir, 'conj-f.jsonl')]);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stdout, '');
    assert.is(r.stderr, 'attnbias: give exactly one of --claim ID or --conjecture FILE\n');
  }
  const bad = run(['--conjecture', here('../claims/fixtures/notAConjecture.js'), '--count', '2', '--out', join(dir, 'conj-f.jsonl')]);
  assert.is(bad.code, 2);
  for (const field of ['.id', '.param', '.predicted.norm']) assert.match(bad.stderr, new RegExp(`notAConjecture\\.js\\${field}: `));
  assert.not.match(bad.stderr, /\s+at\s+\S+\s+\(/, 'no stack trace');
  const missing = run(['--conjecture', join(dir, 'no-such-module.js'), '--count', '2', '--out', join(dir, 'conj-f.jsonl')]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /^attnbias: --conjecture .*no-such-module\.js: cannot load the module: [^\n]*\n$/);
  assert.not.ok(existsSync(join(dir, 'conj-f.jsonl')), 'nothing written');
  const help = run(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /--conjecture FILE/);
  assert.match(help.stdout, /--claim ID/);
});

test.run();
