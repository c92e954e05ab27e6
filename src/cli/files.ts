// Expands FILE_OR_DIR arguments: files as given, directories searched recursively for audio.

import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';

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
