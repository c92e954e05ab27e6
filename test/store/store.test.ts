// The store on both engines: migrations, the catalog repositories, organisation scoping and
// the guarantees the schema itself enforces.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../src/audit/index.ts';
import * as catalog from '../../src/catalog/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { loadMigrations, migrate, openStore, parseDatabaseUrl } from '../../src/store/index.ts';
import { dropSchema, ENGINES, freshSchemaUrl, openTestStore, type TestStore } from '../helpers/store.ts';

describe.each(ENGINES)('store on %s', (engine) => {
  let ts: TestStore;
  let deps: catalog.CatalogDeps;
  let a: { orgId: string; actor: string };
  let b: { orgId: string; actor: string };

  beforeAll(async () => {
    ts = await openTestStore(engine);
    deps = { store: ts.store, clock: systemClock };
    const oa = await catalog.createOrganisation(deps, 'test', { slug: 'org-a', name: 'A' });
    const ob = await catalog.createOrganisation(deps, 'test', { slug: 'org-b', name: 'B' });
    a = { orgId: oa.id, actor: 'test' };
    b = { orgId: ob.id, actor: 'test' };
  });
  afterAll(async () => {
    await ts.cleanup();
  });

  it('applies migrations once: a second run applies nothing', async () => {
    expect(await migrate(ts.store.db, ts.store.schema)).toEqual([]);
    const rows = await sql<{ name: string }>`select name from ll_migrations`.execute(ts.store.db);
    expect(rows.rows.map((r) => r.name)).toEqual((await loadMigrations()).map((m) => m.name));
  });

  it('refuses to start when an applied migration was edited', async () => {
    const edited = (await loadMigrations()).map((m, i) => (i === 0 ? { ...m, checksum: 'x' } : m));
    await expect(migrate(ts.store.db, ts.store.schema, edited)).rejects.toMatchObject({ code: 'LL_STORE_MIGRATION_EDITED' });
  });

  it('creates, reads, updates and deletes every catalog entity', async () => {
    const artist = await catalog.createArtist(deps, a, { name: 'Ada', verified: true });
    expect(artist).toMatchObject({ name: 'Ada', verified: true, orgId: a.orgId });
    const rel = await catalog.createRelease(deps, a, { title: 'EP', artistId: artist.id, icpn: '5012345678900', releaseDate: '2026-01-31' });
    expect(rel.releaseDate).toBe('2026-01-31');
    const t = await catalog.createTrack(deps, a, {
      title: 'One',
      artistId: artist.id,
      releaseId: rel.id,
      isrc: 'gb-abc-26-00001',
      iswc: 'T-034.524.680-1',
      durationMs: 200_000,
      contentHash: 'AB'.repeat(32),
    });
    expect(t).toMatchObject({ isrc: 'GBABC2600001', iswc: 'T0345246801', contentHash: 'ab'.repeat(32) });
    expect((await catalog.updateTrack(deps, a, t.id, { title: 'One (remaster)' })).title).toBe('One (remaster)');
    expect((await catalog.listTracks(deps, a, { limit: 10, offset: 0, isrc: 'GBABC2600001' })).map((x) => x.id)).toEqual([t.id]);
    const h = await catalog.createRightsHolder(deps, a, { name: 'Label', kind: 'label', ipi: '00 123 456 789' });
    expect(h.ipi).toBe('00123456789');
    await catalog.setSplit(deps, a, t.id, 'master', [{ rightsHolderId: h.id, percent: 100 }]);
    await expect(catalog.deleteRightsHolder(deps, a, h.id)).rejects.toMatchObject({ code: 'LL_CATALOG_IN_USE' });
    await expect(catalog.deleteArtist(deps, a, artist.id)).rejects.toMatchObject({ code: 'LL_CATALOG_IN_USE' });
    await catalog.deleteTrack(deps, a, t.id);
    await expect(catalog.getTrack(deps, a, t.id)).rejects.toMatchObject({ code: 'LL_CATALOG_NOT_FOUND' });
    await catalog.deleteRightsHolder(deps, a, h.id);
    await catalog.deleteRelease(deps, a, rel.id);
    await catalog.deleteArtist(deps, a, artist.id);
  });

  it('never shows or touches another organisation’s rows', async () => {
    const t = await catalog.createTrack(deps, a, { title: 'Mine', isrc: 'GBABC2600002' });
    await expect(catalog.getTrack(deps, b, t.id)).rejects.toMatchObject({ code: 'LL_CATALOG_NOT_FOUND' });
    await expect(catalog.updateTrack(deps, b, t.id, { title: 'stolen' })).rejects.toMatchObject({ code: 'LL_CATALOG_NOT_FOUND' });
    await expect(catalog.deleteTrack(deps, b, t.id)).rejects.toMatchObject({ code: 'LL_CATALOG_NOT_FOUND' });
    expect(await catalog.listTracks(deps, b, { limit: 100, offset: 0 })).toEqual([]);
    // The same ISRC may exist in another organisation (a distributor and a label both carry it).
    await catalog.createTrack(deps, b, { title: 'Theirs', isrc: 'GBABC2600002' });
    const hb = await catalog.createRightsHolder(deps, b, { name: 'Other', kind: 'label' });
    await expect(catalog.setSplit(deps, a, t.id, 'master', [{ rightsHolderId: hb.id, percent: 100 }])).rejects.toMatchObject({
      code: 'LL_CATALOG_BAD_REFERENCE',
    });
  });

  it('rejects a duplicate ISRC and writes nothing', async () => {
    await catalog.createTrack(deps, a, { title: 'First', isrc: 'GBABC2600003' });
    const before = await ts.store.repos.audit.readAfter(0, 100_000);
    await expect(catalog.createTrack(deps, a, { title: 'Second', isrc: 'GB-ABC-26-00003' })).rejects.toMatchObject({ code: 'LL_CATALOG_DUPLICATE_ISRC' });
    expect(await ts.store.repos.audit.readAfter(0, 100_000)).toHaveLength(before.length);
  });

  it('rejects splits that do not sum to 100% at the database too', async () => {
    const t = await catalog.createTrack(deps, a, { title: 'Split', isrc: 'GBABC2600004' });
    const h = await catalog.createRightsHolder(deps, a, { name: 'H', kind: 'publisher' });
    await expect(
      ts.store.transaction(async (r) => {
        await r.catalog.replaceSplits(t.id, 'publishing', [{ rightsHolderId: h.id, role: null, sharePpm: 990_000 }], new Date().toISOString());
      }),
    ).rejects.toThrow(/sums to 990000/);
    expect((await catalog.getSplits(deps, a, t.id)).publishing).toEqual([]);
  });

  it('keeps the audit log append-only', async () => {
    await ts.store.transaction((r) => appendAudit(r.audit, systemClock, { orgId: a.orgId, actor: 't', action: 'x', subject: null, data: {} }));
    await expect(sql`update audit_log set actor = 'mallory'`.execute(ts.store.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(ts.store.db)).rejects.toThrow(/append-only/);
  });
});

describe('PostgreSQL specifics', () => {
  it('migrates from several processes at once without conflict', async () => {
    const { url, schema } = freshSchemaUrl();
    try {
      const stores = await Promise.all([openStore({ databaseUrl: url }), openStore({ databaseUrl: url }), openStore({ databaseUrl: url })]);
      const rows = await sql<{ n: string }>`select count(*) as n from ll_migrations`.execute(stores[0]!.db);
      expect(Number(rows.rows[0]!.n)).toBe((await loadMigrations()).length);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it('explains bad database URLs and unreachable servers', async () => {
    expect(() => parseDatabaseUrl('not a url')).toThrow(expect.objectContaining({ code: 'LL_STORE_BAD_URL' }));
    expect(() => parseDatabaseUrl('mysql://x/y')).toThrow(/must start with postgres/);
    expect(() => parseDatabaseUrl('postgres://h/db?schema=Robert;drop')).toThrow(/lower-case identifier/);
    expect(parseDatabaseUrl('postgres://u:secret@h:5/db').location).not.toContain('secret');
    await expect(openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toMatchObject({ code: 'LL_STORE_UNREACHABLE' });
  });
});

describe('PGlite specifics', () => {
  it('refuses a second opener of the same data directory, and takes over a stale lock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'll-lock-'));
    try {
      const first = await openStore({ dataDir: dir });
      await expect(openStore({ dataDir: dir })).rejects.toMatchObject({ code: 'LL_STORE_DATA_DIR_LOCKED' });
      await first.close();
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'ledgerline.lock'), '999999:deadbeef');
      const again = await openStore({ dataDir: dir });
      await again.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the embedded data directory', () => {
  it('is private to the service user: no file or folder in it is open to group or others, after open and after close', async () => {
    const { openStore } = await import('../../src/store/index.ts');
    const { mkdtemp, readdir, stat, rm, chmod, mkdir } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = await mkdtemp(join(tmpdir(), 'll-private-'));
    const data = join(root, 'data');
    // Made world-open first, as a careless install or a restore from an archive would leave it.
    await mkdir(data, { mode: 0o777 });
    await chmod(data, 0o777);
    const open = async () => {
      const out: string[] = [];
      for (const e of await readdir(data, { withFileTypes: true, recursive: true })) {
        const p = join(e.parentPath, e.name);
        if ((await stat(p)).mode & 0o077) out.push(p);
      }
      if ((await stat(data)).mode & 0o077) out.push(data);
      return out;
    };
    const store = await openStore({ dataDir: data });
    try {
      expect((await stat(data)).mode & 0o777).toBe(0o700);
      await store.db.selectFrom('organisations').selectAll().execute();
    } finally {
      await store.close();
    }
    expect(await open()).toEqual([]);
    await rm(root, { recursive: true, force: true });
  });
});
