/**
 * CONTRACT.md: every listed bad input is refused before any work with one line per problem naming the
 * JSON path; decimal and rational strings are exact; a JSON number is the exact value of its double.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseDatasetText } from '../../src/data/parse.js';
import { datasetToJson } from '../../src/data/serialize.js';
import { qeq, qparse, rat } from '../../src/numeric/rational.js';
import { arbDataset } from '../support/arbitraries.js';
import { fcParams } from '../support/budget.js';

const good = {
  format: 'attnbias/dataset@1',
  head: [1, '0.5', '-2e-3'],
  samples: [{ X: [[0.1, 0.2, 0.3], [0, 1, '1/3']], z: [1, 0, 0], y: 1 }],
};

function problems(doc: unknown, raw?: string): string[] {
  const r = parseDatasetText(raw ?? JSON.stringify(doc));
  assert.not.ok(r.ok, 'should be refused');
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
}

const clone = (): any => JSON.parse(JSON.stringify(good));

test('the CONTRACT example parses; strings are exact, JSON numbers are their exact doubles', () => {
  const r = parseDatasetText(JSON.stringify(good));
  assert.ok(r.ok);
  if (!r.ok) return;
  assert.is(r.dataset.d, 3);
  assert.ok(qeq(r.dataset.head[1]!, rat(1, 2)));
  assert.ok(qeq(r.dataset.head[2]!, rat(-2, 1000)));
  assert.ok(qeq(r.dataset.samples[0]!.X[1]![2]!, rat(1, 3)));
  assert.ok(qeq(r.dataset.samples[0]!.X[0]![0]!, rat(3602879701896397n, 36028797018963968n)), 'JSON 0.1 is the double nearest to 1/10');
});

const cases: [string, () => { doc?: unknown; raw?: string }, RegExp][] = [
  ['invalid JSON', () => ({ raw: '{"format": "attnbias/dataset@1", ' }), /^\$: invalid JSON/],
  ['missing format', () => { const d = clone(); delete d.format; return { doc: d }; }, /^format: missing/],
  ['wrong format', () => { const d = clone(); d.format = 'attnbias/dataset@2'; return { doc: d }; }, /^format: "attnbias\/dataset@2" is not supported/],
  ['NaN string entry', () => { const d = clone(); d.samples[0].X[1][0] = 'NaN'; return { doc: d }; }, /^samples\[0\]\.X\[1\]\[0\]: not a number: "NaN"/],
  ['Infinity string entry', () => { const d = clone(); d.head[0] = 'Infinity'; return { doc: d }; }, /^head\[0\]: not a number/],
  ['non-numeric entry', () => { const d = clone(); d.samples[0].z[2] = true; return { doc: d }; }, /^samples\[0\]\.z\[2\]: expected a number or a numeric string, got boolean/],
  ['null entry', () => { const d = clone(); d.samples[0].X[0][1] = null; return { doc: d }; }, /^samples\[0\]\.X\[0\]\[1\]: expected a number or a numeric string, got null/],
  ['ragged token row', () => { const d = clone(); d.samples[0].X[1].push(4); return { doc: d }; }, /^samples\[0\]\.X\[1\]: 4 entries, expected 3 \(d = head\.length\)/],
  ['ragged query', () => { const d = clone(); d.samples[0].z.pop(); return { doc: d }; }, /^samples\[0\]\.z: 2 entries, expected 3/],
  ['T_i < 2', () => { const d = clone(); d.samples[0].X.pop(); return { doc: d }; }, /^samples\[0\]\.X: 1 token\(s\), expected T_i ≥ 2/],
  ['y not ±1', () => { const d = clone(); d.samples[0].y = 0; return { doc: d }; }, /^samples\[0\]\.y: 0 is not a label/],
  ['y a string', () => { const d = clone(); d.samples[0].y = '1'; return { doc: d }; }, /^samples\[0\]\.y: "1" is not a label/],
  ['empty samples', () => { const d = clone(); d.samples = []; return { doc: d }; }, /^samples: empty/],
  ['d = 0', () => { const d = clone(); d.head = []; return { doc: d }; }, /^head: empty: d = head.length must be at least 1/],
  ['opt out of range', () => { const d = clone(); d.samples[0].opt = 5; return { doc: d }; }, /^samples\[0\]\.opt: 5 is not a token index in \[0, 1\]/],
  ['document not an object', () => ({ doc: [1, 2] }), /^\$: expected a JSON object, got an array/],
];

for (const [name, make, re] of cases) {
  test(`refused: ${name}`, () => {
    const { doc, raw } = make();
    const lines = problems(doc, raw);
    assert.ok(lines.length >= 1);
    assert.ok(lines.some((l) => re.test(l)), `no line matches ${re}: ${JSON.stringify(lines)}`);
    for (const l of lines) assert.not.match(l, /\n/, 'one line per problem');
  });
}

test('every problem is reported, not just the first', () => {
  const d = clone();
  d.samples.push({ X: [[1, 2, 3]], z: [1, 2], y: 2 });
  d.samples[0].X[0][0] = 'abc';
  const lines = problems(d);
  assert.ok(lines.length >= 4, JSON.stringify(lines));
  for (const p of ['samples[0].X[0][0]', 'samples[1].X', 'samples[1].z', 'samples[1].y']) assert.ok(lines.some((l) => l.startsWith(p + ':')), p);
});

test('tied optimal tokens are not a parse error', () => {
  const d = clone();
  d.samples[0].X = [[1, 0, 0], [1, 5, 5]]; // equal scores h·x = 1
  assert.ok(parseDatasetText(JSON.stringify(d)).ok);
});

test('round trip: serialize then parse gives the same exact dataset', () => {
  fc.assert(fc.property(arbDataset({ n: 3, T: 4, d: 3 }), (data) => {
    const r = parseDatasetText(JSON.stringify(datasetToJson(data)));
    assert.ok(r.ok);
    if (!r.ok) return;
    data.samples.forEach((s, i) => s.X.forEach((row, t) => row.forEach((x, j) => assert.ok(qeq(x, r.dataset.samples[i]!.X[t]![j]!)))));
    data.head.forEach((x, j) => assert.ok(qeq(x, r.dataset.head[j]!)));
  }), fcParams('dataset-roundtrip', 50, 500));
});

test('qparse: decimal, exponent and rational forms are exact; malformed strings are rejected', () => {
  assert.ok(qeq(qparse('-2.5e-3')!, rat(-25, 10000)));
  assert.ok(qeq(qparse('1/3')!, rat(1, 3)));
  assert.ok(qeq(qparse('.5')!, rat(1, 2)));
  assert.ok(qeq(qparse('1e-5000')!, rat(1n, 10n ** 5000n)));
  for (const bad of ['', 'abc', '1/0', '1.2.3', 'NaN', 'Infinity', '0x10', '1e', '--1']) assert.is(qparse(bad), null, bad);
});

test.run();
