// Reading the files commands are given: FILE_OR_DIR arguments expanded to audio files (directories
// searched recursively), and whole files read under a size limit.

import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CommonErrors, LedgerlineError } from '../shared/index.ts';

const AUDIO = new Set(['.wav', '.wave', '.flac', '.mp3', '.ogg', '.oga', '.opus', '.m4a', '.aac', '.aif', '.aiff', '.wma', '.webm', '.mka']);

export async function expandAudioPaths(args: string[]): Promise<{ files: string[]; missing: string[] }> {
  const files: string[] = [];
  const missing: string[] = [];
  const walk = async (dir: string) => {
    for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && AUDIO.has(extname(e.name).toLowerCase())) files.push(p);
    }
  };
  for (const a of args) {
    const s = await stat(a).catch(() => null);
    if (!s) missing.push(a);
    else if (s.isDirectory()) await walk(a);
    else files.push(a);
  }
  return { files, missing };
}

/** A whole file, refused when missing or over `limit` bytes (with `advice` on what to do instead). */
export async function readSmallFile(file: string, limit = 4 * 1024 * 1024, advice?: string): Promise<Buffer> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new LedgerlineError(CommonErrors.BAD_INPUT, `${file}: no such file`, { file });
  if (info.size > limit) {
    throw new LedgerlineError(CommonErrors.BAD_INPUT, `${file}: ${info.size} bytes is over the ${limit}-byte limit${advice ? `; ${advice}` : ''}`, { file });
  }
  return readFile(file);
}
