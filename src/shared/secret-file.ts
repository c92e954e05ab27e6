// Files only the service user may read (0600): a server secret kept across restarts and shared by
// the processes of one deployment, key files. Written whole under a temporary name and renamed,
// so a reader never sees half of one and none is ever readable by others, even for a moment.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `data` to `path` as 0600 (its folder made 0700 if new). Two writers racing: one whole file wins. */
export async function writePrivateFile(path: string, data: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, path);
}

/** Narrows a file to its owner when a copy or an old version left it open to others. */
export async function keepPrivate(path: string): Promise<void> {
  if ((await stat(path)).mode & 0o077) await chmod(path, 0o600);
}

/** A hex secret of `bytes` random bytes at `path`, made on first use. */
export async function loadOrCreateSecret(path: string, bytes = 32): Promise<Buffer> {
  const existing = await readFile(path, 'utf8').catch(() => null);
  if (existing === null) await writePrivateFile(path, randomBytes(bytes).toString('hex'));
  else await keepPrivate(path);
  return Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
}
