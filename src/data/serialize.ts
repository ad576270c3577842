/** Writing a dataset back as `attnbias/dataset@1` JSON, entries as exact rational strings. */
import { qtoString } from '../numeric/rational.js';
import { DATASET_FORMAT, type Dataset } from './Dataset.js';

export function datasetToJson(data: Dataset): Record<string, unknown> {
  return {
    format: DATASET_FORMAT,
    ...(data.name !== undefined ? { name: data.name } : {}),
    head: data.head.map(qtoString),
    samples: data.samples.map((s) => ({
      X: s.X.map((row) => row.map(qtoString)),
      z: s.z.map(qtoString),
      y: s.y,
      ...(s.claimedOpt !== undefined ? { opt: s.claimedOpt } : {}),
    })),
  };
}
