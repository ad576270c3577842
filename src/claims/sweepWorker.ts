/**
 * Worker thread of `attnbias sweep`: imports the claim registry once, then answers each SweepJob message
 * with its SweepRecord (one dataset at a time). A conjecture job names its module by absolute path; the
 * worker imports it itself (once per path) — a module that fails to load here, or whose id is no longer the
 * one the sweep was started with, gives "error" records.
 */
import { parentPort } from 'node:worker_threads';
import { CLAIMS } from './registry.js';
import type { ClaimId } from './Claim.js';
import { type Conjecture, checkConjecture, loadConjecture } from './conjecture.js';
import { type SweepJob, failedRecord, runSweepJob } from './sweep.js';

if (!parentPort) throw new Error('sweepWorker must run in a worker thread');
const port = parentPort;
const modules = new Map<string, Promise<Conjecture>>();

port.on('message', (job: SweepJob) => {
  if (!job.conjecture) {
    port.postMessage(runSweepJob(job, (data, o) => CLAIMS[job.claim as ClaimId].check(data, o)));
    return;
  }
  const t0 = Date.now();
  const { id, module } = job.conjecture;
  if (!modules.has(module)) modules.set(module, loadConjecture(module));
  modules.get(module)!.then(
    (c) => port.postMessage(c.id === id
      ? runSweepJob(job, (data, o) => checkConjecture(c, data, o), c.generator)
      : failedRecord(job, 'error', `${module} now exports conjecture ${c.id}, not ${id}`, (Date.now() - t0) / 1000, null)),
    (e: unknown) => port.postMessage(failedRecord(job, 'error', `the worker could not load the conjecture: ${(e as Error).message}`, (Date.now() - t0) / 1000, null)),
  );
});
