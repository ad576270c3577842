#!/usr/bin/env node
// Runs every compiled suite dist/properties/**/*.test.js in its own node process (two at a time, one per
// core), passes their output through, and closes with the line CI reads: "N passed, N failed".
// A suite that crashes before uvu prints its totals counts as one failure. Skipped tests are failures
// of discipline: they are reported and counted as failed.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpus } from 'node:os';

const root = join(process.cwd(), 'dist', 'properties');
const filter = process.argv[2] ? new RegExp(process.argv[2]) : null;

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const files = walk(root).filter((f) => !filter || filter.test(f));
const width = Math.max(1, Math.min(cpus().length, Number(process.env.ATTNBIAS_TEST_JOBS) || 2));
let passed = 0, failed = 0, skipped = 0;
const t0 = Date.now();

function runOne(file) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [file], { env: { ...process.env, FORCE_COLOR: '0' } });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.stderr.on('data', (b) => (out += b));
    child.on('close', (code) => {
      const total = /Total:\s+(\d+)/.exec(out);
      const pass = /Passed:\s+(\d+)/.exec(out);
      const skip = /Skipped:\s+(\d+)/.exec(out);
      const name = relative(process.cwd(), file);
      let p = 0, f = 0, s = 0;
      if (total && pass) {
        p = Number(pass[1]); s = skip ? Number(skip[1]) : 0; f = Number(total[1]) - p - s;
        if (code !== 0 && f === 0) f = 1; // crashed after the summary
      } else f = 1;
      passed += p; failed += f + s; skipped += s;
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(`\n── ${name}: ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''} (${secs}s)\n`);
      if (f || s || process.env.ATTNBIAS_VERBOSE) process.stdout.write(out);
      resolve();
    });
  });
}

const queue = files.slice();
await Promise.all(Array.from({ length: width }, async () => {
  while (queue.length) await runOne(queue.shift());
}));
process.stdout.write(`\n${files.length} suites in ${((Date.now() - t0) / 1000).toFixed(1)}s${skipped ? ` (${skipped} skipped tests counted as failed)` : ''}\n`);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 || files.length === 0 ? 1 : 0);
