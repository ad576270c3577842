/**
 * `attnbias sweep` through the compiled CLI (node dist/src/cli/main.js sweep …): JSONL records written and
 * flushed one per dataset, seeded and reproducible; resumption skips the indices already in the file
 * (after a second run, a half-written last line, and a SIGKILL mid-sweep) without duplicates; the summary
 * counts add up; a check overrunning --hard-limit is recorded as "timeout"; bad flags exit 2.
 * Budget: tiny datasets (A.T1 on shape 1,2,1 and 2,2,2, ρ ≤ 14), ~15 s.
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
  // feasibleA1 seed 107, shape 2,3,2: the A.T1 check runs well past 2 s (its own budget here is 30 s), so
  // the hard limit of 2 s must stop it. (Written first against a bug where the flow ignored its time budget.)
  const t0 = Date.now();
  const r = run(['--claim', 'A.T1', '--shape', '2,3,2', '--seed', '107', '--count', '2', '--until-rho', '20', '--max-seconds-per', '30', '--hard-limit', '2', '--jobs', '1', '--out', out, '--json']);
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

test.run();
