// A server secret kept in a file only the service user can read (0600), made on first use: what
// must survive restarts and be shared by the processes of one deployment, yet never sit in the
// database.

import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function loadOrCreateSecret(path: string, bytes = 32): Promise<Buffer> {
  const existing = await readFile(path, 'utf8').catch(() => null);
  if (existing !== null) {
    if ((await stat(path)).mode & 0o077) await chmod(path, 0o600);
    return Buffer.from(existing.trim(), 'hex');
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, randomBytes(bytes).toString('hex'), { mode: 0o600 });
  // Two processes racing both write; the rename makes one whole file win, and both read it back.
  await rename(tmp, path);
  return Buffer.from((await readFile(path, 'utf8')).trim(), 'hex');
}
