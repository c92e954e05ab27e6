// Where upload bytes are kept: by SHA-256, once per content, durable before the upload that names
// them is recorded. The screening job reads them back by path on any worker, so the store is a
// directory every worker reaches (local disk embedded, a shared mount when scaled).

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface BlobStore {
  /** Keeps the bytes; returns their SHA-256 and the path a worker reads them from. */
  put(bytes: Uint8Array): Promise<{ hash: string; path: string }>;
  /** The path of the bytes with this SHA-256. */
  pathOf(hash: string): string;
  /** Removes pieces a process killed mid-write left behind, older than `olderThanMs`; returns how many. */
  removeStale(now: number, olderThanMs: number): Promise<number>;
}

/** A directory of blobs named by hash under two-character folders. */
export function directoryBlobStore(dir: string): BlobStore {
  const pathOf = (hash: string) => join(dir, hash.slice(0, 2), hash);
  return {
    pathOf,
    async removeStale(now, olderThanMs) {
      let removed = 0;
      for (const folder of await readdir(dir).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{2}$/.test(folder)) continue;
        for (const name of await readdir(join(dir, folder)).catch(() => [] as string[])) {
          if (!name.endsWith('.part')) continue;
          const path = join(dir, folder, name);
          const info = await stat(path).catch(() => null);
          if (info && now - info.mtimeMs > olderThanMs) {
            await rm(path, { force: true });
            removed++;
          }
        }
      }
      return removed;
    },
    // Written to a temporary name, flushed, renamed and the folder flushed: a recorded upload
    // always has its audio after a crash; the same audio is kept once.
    async put(bytes) {
      const hash = createHash('sha256').update(bytes).digest('hex');
      const path = pathOf(hash);
      const folder = dirname(path);
      if (!(await stat(path).catch(() => null))) {
        await mkdir(folder, { recursive: true, mode: 0o700 });
        const tmp = `${path}.${process.pid}.${randomUUID()}.part`;
        const file = await open(tmp, 'w', 0o600);
        try {
          await file.writeFile(bytes);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(tmp, path);
        const entry = await open(folder, 'r');
        try {
          await entry.sync();
        } finally {
          await entry.close();
        }
      }
      return { hash, path };
    },
  };
}
