// The embedded data directory is the service's alone: its tables, WAL, fingerprint segments,
// uploads and key files must not be readable or writable by other local users. PGlite writes
// its files 0666 whatever the umask, so the directory itself is made 0700 (nobody else can reach
// anything under it), and every file and folder under it is narrowed to the owner when the
// directory is found open and at close, so a copy that keeps modes (a backup, an archive) stays
// private too.

import { chmod, lstat, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LedgerlineError } from '../shared/index.ts';
import { StoreErrors } from './errors.ts';

/** Narrows a tree to its owner: folders 0700, files without group or other bits. Symlinks are left alone. */
export async function narrowToOwner(root: string): Promise<number> {
  let changed = 0;
  const visit = async (path: string) => {
    const info = await lstat(path).catch(() => null);
    if (!info || info.isSymbolicLink()) return;
    const mode = info.mode & 0o777;
    const want = info.isDirectory() ? 0o700 : mode & 0o700;
    if (mode !== want) {
      await chmod(path, want).catch(() => undefined);
      changed++;
    }
    if (info.isDirectory()) for (const name of await readdir(path).catch(() => [] as string[])) await visit(join(path, name));
  };
  await visit(root);
  return changed;
}

/**
 * Makes (or takes) a data directory private to this user, and checks that it is. The whole tree
 * is narrowed only when the directory itself was open to others: under a 0700 directory nothing
 * is reachable by anyone else, and walking every file (an uploads directory holds one per upload)
 * at each start would cost every command for nothing. The store narrows its tree at close.
 */
export async function privateDataDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await stat(dir)).mode & 0o077) await narrowToOwner(dir);
  const info = await stat(dir);
  if (info.mode & 0o077) {
    throw new LedgerlineError(StoreErrors.DATA_DIR_OPEN, `data directory ${dir} is open to other users (mode ${(info.mode & 0o777).toString(8)}) and cannot be made private`, { dataDir: dir });
  }
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) {
    throw new LedgerlineError(StoreErrors.DATA_DIR_OPEN, `data directory ${dir} belongs to another user (uid ${info.uid}); run the service as its owner`, { dataDir: dir });
  }
}
