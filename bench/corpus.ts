// The shared corpus, read in place: ../shared/corpus or LEDGERLINE_CORPUS.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface CorpusTrack {
  file: string;
  path: string;
  durationSeconds: number;
  channels: number;
  title: string;
  genre: string;
}

export function corpusDir(): string {
  return resolve(process.env.LEDGERLINE_CORPUS ?? join(import.meta.dirname, '../../shared/corpus'));
}

export function loadCorpus(): CorpusTrack[] {
  const dir = corpusDir();
  const manifest = join(dir, 'MANIFEST.tsv');
  if (!existsSync(manifest)) throw new Error(`corpus not found at ${dir} (set LEDGERLINE_CORPUS)`);
  const [head, ...rows] = readFileSync(manifest, 'utf8').trim().split('\n');
  const cols = head!.split('\t');
  const at = (name: string) => cols.indexOf(name);
  return rows
    .map((r) => r.split('\t'))
    .map((c) => ({
      file: c[at('file')]!,
      path: join(dir, c[at('file')]!),
      durationSeconds: Number(c[at('duration_seconds')]),
      channels: Number(c[at('channels')]),
      title: c[at('title')]!,
      genre: c[at('genre')]!,
    }));
}
