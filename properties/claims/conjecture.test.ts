/**
 * The conjecture hook (issue "Theorem property suites…"): a conjecture stated as a module runs through the
 * claim machinery. X.LOGISTIC (shipped, src/claims/conjectures/xlogistic.ts) is consistent on datasets from
 * its own generator; a deliberately false conjecture is refuted on the demo data (the diagonal flow goes
 * to the ℓ1 SVM (1/3, 1/3, 0), not to the Frobenius one (3, 3, 2)/11: gap ≈ 0.105 ≫ 1e-3); a malformed
 * module is refused with exit 2, one line per problem. Budget: ρ ≤ 25, 60 s per run.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import xlogistic from '../../src/claims/conjectures/xlogistic.js';
import { checkConjecture } from '../../src/claims/conjecture.js';
import { mulberry32 } from '../../src/data/generate.js';
import { DEMO_DATASET_JSON } from '../../src/data/builtin/demo.js';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'attnbias-conj-'));
const demo = join(dir, 'demo.json');
writeFileSync(demo, JSON.stringify(DEMO_DATASET_JSON));

test('X.LOGISTIC, shipped as a conjecture module, is consistent on datasets from its own generator', () => {
  let checked = 0;
  for (let seed = 1; checked < 2 && seed < 20; seed++) {
    const data = xlogistic.generator!(mulberry32(seed), { n: 2, T: 2, d: 2 });
    if (!data) continue;
    const o = checkConjecture(xlogistic, data, { maxSeconds: 30 });
    if (o.verdict === 'inconclusive' && o.conclusion === null) continue; // budget, not a verdict
    assert.is(o.verdict, 'consistent', `seed ${seed}: ${o.reason}`);
    checked++;
  }
  assert.ok(checked >= 1, 'at least one generated dataset reached a verdict');
});

test('verify --conjecture: the shipped module through the CLI, and a false conjecture refuted', () => {
  const ok = spawnSync(process.execPath, [CLI, 'verify', '--conjecture', here('../../src/claims/conjectures/xlogistic.js'), '--data', demo, '--json'], { encoding: 'utf8' });
  assert.is(ok.status, 0, ok.stderr);
  const a = JSON.parse(ok.stdout);
  assert.is(a.claim, 'X.LOGISTIC');
  assert.is(a.verdict, 'consistent', a.reason);
  const bad = spawnSync(process.execPath, [CLI, 'verify', '--conjecture', here('fixtures/wrongFro.js'), '--data', demo, '--json'], { encoding: 'utf8' });
  assert.is(bad.status, 0, bad.stderr);
  const b = JSON.parse(bad.stdout);
  assert.is(b.verdict, 'refuted', b.reason);
  assert.ok(b.final.relative_gap > 0.05, `gap to the Frobenius SVM ${b.final.relative_gap}`);
});

test('a malformed conjecture module: exit 2, one line per problem naming the field', () => {
  const r = spawnSync(process.execPath, [CLI, 'verify', '--conjecture', here('fixtures/notAConjecture.js'), '--data', demo], { encoding: 'utf8' });
  assert.is(r.status, 2);
  for (const field of ['.id', '.param', '.predicted.norm']) assert.match(r.stderr, new RegExp(field.replace('.', '\\.')));
  assert.not.match(r.stderr, /\s+at\s+\S+\s+\(/, 'no stack trace');
});

test.run();
