// The hash-chained audit log on both engines: concurrent appenders keep one chain, and any
// change made behind the application's back is found and named.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, verifyAudit } from '../../src/audit/index.ts';
import { canonicalJson, systemClock } from '../../src/shared/index.ts';
import { openStore } from '../../src/store/index.ts';
import { main } from '../../src/cli/index.ts';
import { ENGINES, openTestStore, type TestStore } from '../helpers/store.ts';
import { captureIo } from '../helpers/io.ts';

describe.each(ENGINES)('audit log on %s', (engine) => {
  let ts: TestStore;
  const append = (i: number) =>
    ts.store.transaction((r) => appendAudit(r.audit, systemClock, { orgId: null, actor: 'test', action: 'test.append', subject: `s${i}`, data: { i, nested: { b: 1, a: [i] } } }));

  beforeAll(async () => {
    ts = await openTestStore(engine);
  });
  afterAll(async () => {
    await ts.cleanup();
  });

  it('keeps one contiguous chain under concurrent appenders', async () => {
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(i)));
    const v = await verifyAudit(ts.store.repos.audit);
    expect(v).toMatchObject({ ok: true, checked: 40, headSeq: 40, firstBroken: null });
    expect(canonicalJson({ b: 1, a: [2, { d: 1, c: null }] })).toBe('{"a":[2,{"c":null,"d":1}],"b":1}');
  });

  it('names the first changed entry after a row is edited in the database', async () => {
    // A DBA with owner rights can switch the trigger off; the chain still tells.
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(ts.store.db);
    await sql`update audit_log set data = '{"i": 999}' where seq = 17`.execute(ts.store.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(ts.store.db);
    const v = await verifyAudit(ts.store.repos.audit);
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ seq: 17, reason: 'hash_mismatch' });
    expect(v.checked).toBe(16);

    // The command line says the same, with exit code 1. An embedded directory admits one
    // process at a time, so the test's own handle steps aside while the CLI runs.
    if (engine === 'pglite') await ts.store.close();
    const io = captureIo();
    const where = ts.location.databaseUrl ? ['--database', ts.location.databaseUrl] : ['--data', ts.location.dataDir!];
    const code = await main(['audit', 'verify', '--json', ...where], io);
    if (engine === 'pglite') ts.store = await openStore(ts.location);
    expect(code).toBe(1);
    expect(JSON.parse(io.stdout())).toMatchObject({ ok: false, firstBroken: { seq: 17 } });
  });

  it('finds a removed entry as a gap', async () => {
    await sql`alter table audit_log disable trigger audit_log_no_update`.execute(ts.store.db);
    await sql`delete from audit_log where seq = 5`.execute(ts.store.db);
    await sql`alter table audit_log enable trigger audit_log_no_update`.execute(ts.store.db);
    const v = await verifyAudit(ts.store.repos.audit);
    expect(v.firstBroken).toMatchObject({ seq: 6, reason: 'gap' });
  });

  it('finds a forged entry whose hash was recomputed without its predecessor', async () => {
    const fresh = await openTestStore(engine);
    try {
      for (let i = 0; i < 3; i++) {
        await fresh.store.transaction((r) => appendAudit(r.audit, systemClock, { orgId: null, actor: 't', action: 'a', subject: null, data: { i } }));
      }
      await sql`alter table audit_log disable trigger audit_log_no_update`.execute(fresh.store.db);
      await sql`update audit_log set prev_hash = ${'f'.repeat(64)} where seq = 2`.execute(fresh.store.db);
      await sql`alter table audit_log enable trigger audit_log_no_update`.execute(fresh.store.db);
      expect((await verifyAudit(fresh.store.repos.audit)).firstBroken).toMatchObject({ seq: 2, reason: 'prev_hash_mismatch' });
    } finally {
      await fresh.cleanup();
    }
  });
});
