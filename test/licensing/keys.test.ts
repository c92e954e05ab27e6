// The manifest-signing key never lives in the database: a copy of the data (its tables, its WAL,
// a backup) cannot sign. Key files are private to the service's user, optionally encrypted;
// keys an older version kept in the table move out at start; rotation keeps every manifest
// verifiable.

import { createPrivateKey, sign } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey, keyRing, requestDataset, verifyManifest, publicKeys, createLicensee, createLicense, rotateSigningKey } from '../../src/licensing/index.ts';
import { moveKeysOutOfDatabase, openRuntime, type Runtime } from '../../src/runtime/index.ts';
import * as catalog from '../../src/catalog/index.ts';
import { setConsent } from '../../src/consent/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'll-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every file under a directory, with its mode. */
async function files(root: string): Promise<{ path: string; mode: number }[]> {
  const out: { path: string; mode: number }[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath, e.name);
    out.push({ path, mode: (await stat(path)).mode & 0o777 });
  }
  return out;
}

async function seedAndSign(rt: Runtime) {
  const c = { orgId: (await catalog.createOrganisation(rt.catalog, 'test', { slug: `o${Math.random().toString(36).slice(2, 8)}`, name: 'O' })).id, actor: 'test' };
  const holder = await catalog.createRightsHolder(rt.catalog, c, { name: 'Label', kind: 'label' });
  const track = await catalog.createTrack(rt.catalog, c, { title: 'T', isrc: 'GBAAA2600001', contentHash: 'a'.repeat(64) });
  await catalog.setSplit(rt.catalog, c, track.id, 'master', [{ rightsHolderId: holder.id, percent: 100 }]);
  await setConsent(rt.consent, { ...c, role: 'rights_holder', subjectId: holder.id }, { level: 'track', isrc: 'GBAAA2600001', use: 'ai_training', state: 'allowed' });
  const licensee = await createLicensee(rt.licensing, c, { slug: 'acme', name: 'Acme' });
  const license = await createLicense(rt.licensing, c, { licensee: licensee.slug, uses: ['ai_training'], territories: ['Worldwide'] });
  return async () => (await requestDataset(rt.licensing, { ...c, role: 'operator', subjectId: null }, license.id, { use: 'ai_training', territory: 'GB' })).manifest;
}

describe('the signing key', () => {
  it('signs from a 0600 key file in a 0700 directory; the database and its files hold no private key', async () => {
    const data = join(dir, 'data');
    const rt = await openRuntime({ dataDir: data, threads: 1 });
    try {
      const manifest = await (await seedAndSign(rt))();
      const [pub] = await publicKeys(rt.licensing);
      expect(verifyManifest(manifest, pub!.publicKeyPem).ok).toBe(true);
      const rows = await rt.store.db.selectFrom('signing_keys').selectAll().execute();
      expect(rows.map((r) => r.private_key)).toEqual([null]);
      const keyFiles = (await files(join(data, 'keys'))).filter((f) => f.path.endsWith('.pem'));
      expect(keyFiles).toHaveLength(1);
      expect(keyFiles[0]!.mode).toBe(0o600);
      expect((await stat(join(data, 'keys'))).mode & 0o777).toBe(0o700);
    } finally {
      await rt.close();
    }
    // Nothing in the database's own files (tables, WAL) is a private key.
    for (const f of await files(data)) {
      if (f.path.includes(`${join(data, 'keys')}/`) || !(await stat(f.path)).isFile()) continue;
      expect((await readFile(f.path)).includes('PRIVATE KEY'), f.path).toBe(false);
    }
  });

  it('moves a key an older version kept in the table to a key file, and forgets it there', async () => {
    const data = join(dir, 'legacy');
    const rt = await openRuntime({ dataDir: data, threads: 1 });
    const old = generateSigningKey();
    try {
      await rt.store.db.insertInto('signing_keys').values({ id: old.id, public_key: old.publicKeyPem, private_key: old.privateKeyPem }).execute();
      const keysDir = join(dir, 'legacy-keys');
      expect(await moveKeysOutOfDatabase(rt.store, { dir: keysDir })).toBe(1);
      expect((await rt.store.db.selectFrom('signing_keys').select('private_key').execute()).map((r) => r.private_key)).toEqual([null]);
      const ring = keyRing({ dir: keysDir });
      expect((await ring.current()).id).toBe(old.id);
      expect(await moveKeysOutOfDatabase(rt.store, { dir: keysDir })).toBe(0);
    } finally {
      await rt.close();
    }
  });

  it('rotates: the new key signs, every earlier manifest still verifies under its published key', async () => {
    const data = join(dir, 'rotate');
    const rt = await openRuntime({ dataDir: data, threads: 1 });
    try {
      const issue = await seedAndSign(rt);
      const first = await issue();
      const next = await rotateSigningKey(rt.licensing, 'test');
      const second = await issue();
      expect(second.header.keyId).toBe(next.id);
      expect(first.header.keyId).not.toBe(next.id);
      const published = await publicKeys(rt.licensing);
      for (const m of [first, second]) {
        const pem = published.find((k) => k.id === m.header.keyId)!.publicKeyPem;
        expect(verifyManifest(m, pem).ok).toBe(true);
      }
    } finally {
      await rt.close();
    }
  });

  it('encrypts key files at rest under a passphrase, and refuses to sign without it', async () => {
    const keysDir = join(dir, 'encrypted');
    const key = await keyRing({ dir: keysDir, passphrase: 'correct horse' }).current();
    const [name] = await readdir(keysDir);
    const pem = await readFile(join(keysDir, name!), 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(() => createPrivateKey(pem)).toThrow();
    expect(sign(null, Buffer.from('x'), createPrivateKey({ key: pem, passphrase: 'correct horse' })).length).toBe(64);
    await expect(keyRing({ dir: keysDir }).current()).rejects.toMatchObject({ code: 'LL_LICENSING_SIGNING_KEY', message: expect.stringMatching(/encrypted: set LEDGERLINE_KEY_PASSPHRASE/) });
    await expect(keyRing({ dir: keysDir, passphrase: 'wrong' }).current()).rejects.toMatchObject({ code: 'LL_LICENSING_SIGNING_KEY' });
    expect((await keyRing({ dir: keysDir, passphrase: 'correct horse' }).current()).id).toBe(key.id);
  });
});
