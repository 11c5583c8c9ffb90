/**
 * Text of a file, gunzipped when its name ends in `.gz` (the large golden files are stored
 * gzipped). Throws the fs or zlib error; callers add what and where.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const readTextFile = (path: string): string => {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
};
