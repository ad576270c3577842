/** Reading a dataset file from disk (the only I/O of the data layer). */
import { readFileSync } from 'node:fs';
import type { Dataset } from './Dataset.js';
import { DatasetError, parseDatasetText } from './parse.js';

export function loadDataset(path: string): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DatasetError([{ path: '$', message: `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  const r = parseDatasetText(text);
  if (!r.ok) throw new DatasetError(r.problems);
  return r.dataset;
}
