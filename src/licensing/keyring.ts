// Where the manifest-signing private key lives: never in the database (whose WAL and backups
// anyone with a copy of the data can read), but in a key file readable by the service's user
// alone (0600 in a 0700 directory), or in the environment, and encrypted at rest when a
// passphrase (the key-encryption key) is given: PKCS#8 "ENCRYPTED PRIVATE KEY" (PBES2,
// AES-256-CBC). Only public keys go into the database, so every manifest ever signed stays
// verifiable after the key is rotated.
//
// Rotation: `rotate()` writes a new key file; the newest file signs from then on. The old file can
// be moved offline; its public key stays published (GET /v1/signing-keys).

import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { keepPrivate, LedgerlineError, writePrivateFile } from '../shared/index.ts';
import { LicensingErrors } from './errors.ts';
import { signingKeyFrom, type SigningKey } from './signing.ts';

export interface KeyRing {
  /** The key that signs new manifests, made on first use when there is none. */
  current(): Promise<SigningKey>;
  /** Makes a new key the current one; the old ones' public keys stay published. */
  rotate(): Promise<SigningKey>;
  /** Where the key comes from, for the start-up line and the docs ("file …", "environment"). */
  describe(): string;
}

export interface KeyRingOptions {
  /** The directory of key files (0700). */
  dir: string;
  /** Encrypts key files at rest and decrypts them (LEDGERLINE_KEY_PASSPHRASE). */
  passphrase?: string;
  /** A PEM private key given by the environment (LEDGERLINE_SIGNING_KEY): used instead of files, never written. */
  pem?: string;
}

const FILE = /^signing-(\d{8}T\d{6}Z)-([0-9a-f]{16})\.pem$/;

function fromPrivate(privateKey: KeyObject): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new LedgerlineError(LicensingErrors.SIGNING_KEY, `the signing key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
  return signingKeyFrom(privateKey);
}

function readPem(pem: string, passphrase: string | undefined, where: string): SigningKey {
  try {
    return fromPrivate(createPrivateKey(passphrase ? { key: pem, passphrase } : pem));
  } catch (err) {
    if (err instanceof LedgerlineError) throw err;
    const hint = /ENCRYPTED/.test(pem) && !passphrase ? ' (it is encrypted: set LEDGERLINE_KEY_PASSPHRASE)' : '';
    throw new LedgerlineError(LicensingErrors.SIGNING_KEY, `cannot read the signing key from ${where}${hint}: ${(err as Error).message}`);
  }
}

/** A key file's name: when it was made, and its id. */
const fileName = (when: Date, id: string) => `signing-${when.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${id}.pem`;

/** The PEM a key file holds: encrypted under the passphrase when there is one. */
const filePem = (privateKey: KeyObject, passphrase: string | undefined) =>
  privateKey.export(passphrase ? { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase } : { type: 'pkcs8', format: 'pem' }).toString();

export function keyRing(opts: KeyRingOptions): KeyRing {
  let cached: SigningKey | null = null;

  async function privateDir(): Promise<void> {
    await mkdir(opts.dir, { recursive: true, mode: 0o700 });
    const info = await stat(opts.dir);
    if (info.mode & 0o077) await chmod(opts.dir, 0o700);
  }

  async function newest(): Promise<string | null> {
    const names = (await readdir(opts.dir).catch(() => [] as string[])).filter((n) => FILE.test(n)).sort();
    return names.at(-1) ?? null;
  }

  async function write(): Promise<SigningKey> {
    await privateDir();
    const { privateKey } = generateKeyPairSync('ed25519');
    const key = fromPrivate(privateKey);
    await writePrivateFile(join(opts.dir, fileName(new Date(), key.id)), filePem(privateKey, opts.passphrase));
    return key;
  }

  async function load(name: string): Promise<SigningKey> {
    const path = join(opts.dir, name);
    await keepPrivate(path);
    const key = readPem(await readFile(path, 'utf8'), opts.passphrase, path);
    if (key.id !== FILE.exec(name)![2]) throw new LedgerlineError(LicensingErrors.SIGNING_KEY, `${path} holds key ${key.id}, not the one its name says`);
    return key;
  }

  return {
    async current() {
      if (cached) return cached;
      if (opts.pem) return (cached = readPem(opts.pem, opts.passphrase, 'LEDGERLINE_SIGNING_KEY'));
      await privateDir();
      const name = await newest();
      return (cached = name ? await load(name) : await write());
    },
    async rotate() {
      if (opts.pem) throw new LedgerlineError(LicensingErrors.SIGNING_KEY, 'the signing key comes from LEDGERLINE_SIGNING_KEY: rotate it there');
      return (cached = await write());
    },
    describe: () => (opts.pem ? 'LEDGERLINE_SIGNING_KEY' : `key files in ${opts.dir}${opts.passphrase ? ', encrypted' : ''}`),
  };
}

/** Writes a private key that an older version kept in the database to the key directory (once). */
export async function adoptKey(opts: KeyRingOptions, privateKeyPem: string, createdAt: string): Promise<string> {
  const key = readPem(privateKeyPem, undefined, 'the database');
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  const existing = (await readdir(opts.dir)).find((n) => FILE.exec(n)?.[2] === key.id);
  if (existing) return existing;
  const name = fileName(new Date(createdAt), key.id);
  await writePrivateFile(join(opts.dir, name), filePem(createPrivateKey(privateKeyPem), opts.passphrase));
  return name;
}
