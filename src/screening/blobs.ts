// Where upload bytes are kept: by SHA-256, once per content, durable before the upload that names
// them is recorded. The screening job reads them back by path on any worker, so the store is a
// directory every worker reaches (local disk embedded, a shared mount when scaled).

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface BlobStore {
  /** Keeps the bytes; returns their SHA-256 and the path a worker reads them from. */
  put(bytes: Uint8Array): Promise<{ hash: string; path: string }>;
  /** The path of the bytes with this SHA-256. */
  pathOf(hash: string): string;
}

/** A directory of blobs named by hash under two-character folders. */
export function directoryBlobStore(dir: string): BlobStore {
  const pathOf = (hash: string) => join(dir, hash.slice(0, 2), hash);
  return {
    pathOf,
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
