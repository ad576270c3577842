/**
 * Worker thread of `attnbias sweep`: imports the claim registry once, then answers each SweepJob message
 * with its SweepRecord (one dataset at a time).
 */
import { parentPort } from 'node:worker_threads';
import { CLAIMS } from './registry.js';
import { type SweepJob, runSweepJob } from './sweep.js';

if (!parentPort) throw new Error('sweepWorker must run in a worker thread');
const port = parentPort;
port.on('message', (job: SweepJob) => {
  port.postMessage(runSweepJob(job, (data, o) => CLAIMS[job.claim].check(data, o)));
});
