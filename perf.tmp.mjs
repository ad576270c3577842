import { loadDataset } from './dist/src/data/load.js';
import { follow } from './dist/src/flows/follow.js';
const data = loadDataset('/tmp/ds-6-8-10.json');
const r = follow(data, { param: 'r', backend: process.argv[2], digits: 50, stop: { rho: Number(process.argv[3]), maxSeconds: Number(process.argv[4] || 200) }, checkpoints: 4 });
console.log(process.argv[2], r.status, r.reason, 'steps', r.steps, 'seconds', r.seconds, r.segments.map(s => JSON.stringify(s.run.stats)).join(' | '));
