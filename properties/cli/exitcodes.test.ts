/**
 * CONTRACT.md exit codes through the real command line: bad input or usage → exit 2, one line per problem
 * naming the JSON path, no stack trace, nothing on stdout; --json prints exactly one JSON document.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'attnbias-cli-'));

function run(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const ragged = file('ragged.json', JSON.stringify({
  format: 'attnbias/dataset@1', head: [1, 0, 0, 0, 0],
  samples: [0, 1, 2, 3].map((i) => ({ X: [[1, 0, 0, 0, 0], i === 3 ? [0, 1, 0, 0, 0] : [0, 1, 0, 0, 0], i === 3 ? [1, 2, 3, 4] : [0, 0, 1, 0, 0]], z: [1, 1, 1, 1, 1], y: 1 })),
}));

test('ragged row: exit 2, the CONTRACT message, no stack trace, nothing on stdout', () => {
  const r = run(['check-data', '--data', ragged, '--json']);
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /^samples\[3\]\.X\[2\]: 4 entries, expected 5 \(d = head\.length\)$/m);
  assert.not.match(r.stderr, /\s+at\s+\S+\s+\(/, 'no stack trace');
});

test('invalid JSON and missing file: exit 2 with a $ line', () => {
  const bad = file('bad.json', '{"format": ');
  for (const args of [['check-data', '--data', bad], ['svm', '--data', join(dir, 'nope.json'), '--norm', 'l1']]) {
    const r = run(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^\$: /m);
  }
});

test('usage errors exit 2: unknown command, unknown flag, bad --norm, bad --predictor, missing --data', () => {
  const good = file('good-usage.json', JSON.stringify({
    format: 'attnbias/dataset@1', head: [1, 0],
    samples: [{ X: [[1, 0], [0, 1], [-1, -1]], z: [1, 1], y: 1 }, { X: [[1, 1], [0, 0]], z: [1, 2], y: 1 }],
  }));
  const predictor = run(['flow', '--data', good, '--param', 'r', '--predictor', 'sometimes', '--json']);
  assert.is(predictor.code, 2, predictor.stderr);
  assert.match(predictor.stderr, /--predictor/);
  assert.is(predictor.stdout, '');
  for (const args of [['frobnicate'], ['check-data', '--data', ragged, '--bogus'], ['svm', '--data', ragged, '--norm', 'l7'], ['check-data']]) {
    const r = run(args);
    assert.is(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^attnbias: /);
    assert.is(r.stderr.trim().split('\n').length >= 1, true);
    assert.not.match(r.stderr, /\s+at\s+\S+\s+\(/);
  }
});

test('check-data --json on good data: exit 0, exactly one JSON document with A1 (a), (b), (c)', () => {
  const good = file('good.json', JSON.stringify({
    format: 'attnbias/dataset@1', head: [1, 0],
    samples: [{ X: [[1, 0], [0, 1], [-1, -1]], z: [1, 1], y: 1 }, { X: [[1, 1], [0, 0]], z: [1, 2], y: 1 }],
  }));
  const r = run(['check-data', '--data', good, '--json']);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.assumption1.a.holds, true);
  assert.is(doc.assumption1.b.holds, false);
  assert.is(doc.assumption1.b.failures[0].i, 0);
  assert.is(doc.assumption1.c.diag.holds, true);
  assert.is(doc.assumption1.c.diag.exact, true);
});

test('tied optimal tokens: check-data reports A1(a) failing (exit 0); svm refuses with exit 2', () => {
  const tied = file('tied.json', JSON.stringify({ format: 'attnbias/dataset@1', head: [1, 0], samples: [{ X: [[1, 0], [1, 3]], z: [1, 1], y: 1 }] }));
  const r = run(['check-data', '--data', tied, '--json']);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.assumption1.a.holds, false);
  assert.equal(doc.assumption1.a.failures[0].tied_tokens, [0, 1]);
  assert.is(doc.assumption1.c, null);
  const s = run(['svm', '--data', tied, '--norm', 'l1']);
  assert.is(s.code, 2);
  assert.match(s.stderr, /1\(a\)/);
});

test.run();
