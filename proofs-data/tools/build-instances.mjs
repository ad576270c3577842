#!/usr/bin/env node
// Builds the certified instances of proofs-data/instances/ (schema: proofs-data/schemas/instance@1.md).
// Run from the repository root after `npx tsc -p tsconfig.json`:
//   node proofs-data/tools/build-instances.mjs [--until-rho 24] [--checkpoints 12] [--max-seconds 90]
// For each instance: the dataset (exact strings), the ℓ1 SVM from `attnbias svm --norm l1 --json` plus the
// exact rational optimum/duals from the library (solveSvm), and the checkpoint series of
// `attnbias verify --claim A.T1 --json` run to ρ = untilRho.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const root = process.cwd();
const dist = (p) => import(join(root, 'dist', p));
const { DEMO_DATASET_JSON } = await dist('src/data/builtin/demo.js');
const G = await dist('src/data/generate.js');
const { datasetToJson } = await dist('src/data/serialize.js');
const { validateDataset } = await dist('src/data/parse.js');
const { solveSvm } = await dist('src/svm/solve.js');
const { qtoString, qsum, qabs } = await dist('src/numeric/rational.js');

const arg = (name, dflt) => { const k = process.argv.indexOf(name); return k >= 0 ? process.argv[k + 1] : dflt; };
const untilRho = Number(arg('--until-rho', '24'));
const checkpoints = Number(arg('--checkpoints', '12'));
const maxSeconds = Number(arg('--max-seconds', '90'));
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const tmp = mkdtempSync(join(tmpdir(), 'attnbias-inst-'));
const cli = (args) => JSON.parse(execFileSync(process.execPath, [join(root, 'dist/src/cli/main.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }));

/** candidates: the built-in demo, then generated A1 data with a unique ℓ1 optimum */
function generated(name, shape, firstSeed) {
  for (let seed = firstSeed; seed < firstSeed + 200; seed++) {
    const data = G.feasibleA1(G.mulberry32(seed), shape);
    if (!data) continue;
    const svm = solveSvm(data, { norm: 'l1', structure: 'diag' });
    if (svm.status === 'optimal' && svm.unique === true && svm.certificate?.exact) {
      return { name, data: { ...data, name: `${name} (feasibleA1 seed ${seed})` }, generator: { name: 'feasibleA1', seed, shape, version: G.GENERATOR_VERSION } };
    }
  }
  throw new Error(`no unique instance for ${name}`);
}
const demo = validateDataset(DEMO_DATASET_JSON);
const cases = [
  { name: 'demo-l1-vs-fro', data: demo.dataset, generator: null },
  generated('planted-n2-T2-d2', { n: 2, T: 2, d: 2 }, 1),
  generated('planted-n3-T3-d3', { n: 3, T: 3, d: 3 }, 1),
  generated('planted-n4-T3-d2', { n: 4, T: 3, d: 2 }, 1),
];

mkdirSync(join(root, 'proofs-data/instances'), { recursive: true });
for (const c of cases) {
  const t0 = Date.now();
  const file = join(tmp, `${c.name}.json`);
  const datasetJson = datasetToJson(c.data);
  writeFileSync(file, JSON.stringify(datasetJson));
  const svmCli = cli(['svm', '--data', file, '--norm', 'l1', '--json']);
  const svm = solveSvm(c.data, { norm: 'l1', structure: 'diag' });
  const verify = cli(['verify', '--claim', 'A.T1', '--data', file, '--json', '--until-rho', String(untilRho), '--checkpoints', String(checkpoints), '--max-seconds', String(maxSeconds)]);
  const doc = {
    format: 'attnbias/instance@1',
    name: c.name,
    dataset: datasetJson,
    generator: c.generator,
    svm: svmCli,
    exact: {
      objective: qtoString(qsum(svm.wExact.map(qabs))),
      w: svm.wExact.map(qtoString),
      duals: svm.dualsExact ? svm.dualsExact.map(qtoString) : null,
      unique: svm.unique,
    },
    run: {
      command: `attnbias verify --claim A.T1 --data <dataset> --json --until-rho ${untilRho} --checkpoints ${checkpoints} --max-seconds ${maxSeconds}`,
      options: { untilRho, checkpoints, maxSeconds, alpha: '1e-3', backend: 'auto' },
      verdict: verify.verdict,
      reason: verify.reason,
      final: verify.final ?? null,
      checkpoints: verify.checkpoints,
    },
    attnbias_version: version,
    created: new Date().toISOString(),
  };
  writeFileSync(join(root, 'proofs-data/instances', `${c.name}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  process.stdout.write(`${c.name}: OPT = ${doc.exact.objective}, verdict ${verify.verdict}, ${verify.checkpoints?.length} checkpoints (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
}
