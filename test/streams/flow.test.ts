// Streams and listeners' privacy end to end, on the embedded store and on PostgreSQL, through the
// API: a batch with honest listening and a group of accounts streaming in lockstep goes in; the
// raw listener identifiers are then nowhere (database files or tables, logs); a scan finds the
// group and flags exactly its streams; a review clears it; a licensee reaches none of it; a
// listener's data is exported and erased; old events fold into aggregates; audience releases are
// noised and stop when the recipient's budget is spent.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/index.ts';
import * as catalog from '../../src/catalog/index.ts';
import { releaseAudience } from '../../src/privacy/index.ts';
import { seededRandom, systemClock } from '../../src/shared/index.ts';
import { applyRetention } from '../../src/streams/index.ts';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/store.ts';

const DAY = 86_400_000;
const START = Date.parse('2026-11-01T00:00:00Z');
const ISRCS = Array.from({ length: 40 }, (_, i) => `GBLLS26${String(i).padStart(5, '0')}`);
/** Raw identifiers carry a marker no pseudonym or other field can contain. */
const rawListener = (i: number) => `RAWLISTENER-${i}-7f3a@example.com`;

interface Line {
  eventId: string;
  listener: string;
  isrc: string;
  startedAt: string;
  msPlayed: number;
  country: string;
  service: string;
  client: string;
  context: string;
}

function batch(): { lines: Line[]; planted: Set<string> } {
  const random = seededRandom(31);
  const lines: Line[] = [];
  const planted = new Set<string>();
  let n = 0;
  const add = (listener: number, isrc: string, at: number, ms: number) => {
    const eventId = `ev-${n++}`;
    lines.push({ eventId, listener: rawListener(listener), isrc, startedAt: new Date(at).toISOString(), msPlayed: ms, country: listener % 3 === 0 ? 'DE' : 'GB', service: 'tidal', client: `RAWCLIENT-${listener}`, context: 'playlist' });
    return eventId;
  };
  // 300 honest listeners, a few sessions each.
  for (let l = 0; l < 300; l++) {
    for (let s = 0; s < 4; s++) {
      let at = START + Math.floor(random() * 28) * DAY + (8 + random() * 14) * 3_600_000;
      for (let k = 0; k < 1 + Math.floor(random() * 6); k++) {
        const ms = random() < 0.2 ? 10_000 : 30_000 + Math.floor(random() * 180_000);
        add(l, ISRCS[Math.floor(random() * random() * 30)]!, at, ms);
        at += ms + 3000;
      }
    }
  }
  // 8 accounts playing one playlist of 10 tracks together, every third day.
  for (let day = 0; day < 27; day += 3) {
    let at = START + day * DAY + 2 * 3_600_000;
    for (let k = 0; k < 10; k++) {
      for (let b = 0; b < 8; b++) planted.add(add(1000 + b, ISRCS[30 + k]!, at + Math.floor(random() * 20_000), 40_000));
      at += 60_000;
    }
  }
  return { lines, planted };
}

describe.each(ENGINES)('streams and listener privacy on %s', (engine) => {
  let t: TestApp;
  let org: SeededOrg;
  const logs: string[] = [];
  let logged: Awaited<ReturnType<typeof buildApp>>;
  const { lines, planted } = batch();
  const ndjson = lines.map((l) => JSON.stringify(l)).join('\n');

  beforeAll(async () => {
    t = await buildTestApp(engine);
    org = await t.seedOrg('streams');
    const deps = { store: t.ts.store, clock: systemClock };
    for (const isrc of ISRCS) await catalog.createTrack(deps, { orgId: org.orgId, actor: 'test' }, { title: isrc, isrc, artistId: org.artistId });
    // The same app with its log kept, to search it for raw identifiers.
    const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
    logged = await buildApp(t.rt, { logger: pino({ level: 'trace' }, sink) });
  }, 120_000);
  afterAll(async () => {
    await logged.close();
    await t.close();
  });

  const post = (body: string, type = 'application/x-ndjson', key = org.keys.operator, app = logged) =>
    app.inject({ method: 'POST', url: '/v1/streams', headers: { ...auth(key), 'content-type': type }, payload: body });

  it('takes a batch, counts duplicates and unknown ISRCs, reports bad lines, and refuses a forbidden field by name', async () => {
    const first = await post(`${ndjson}\n{"eventId":"bad"}\n${JSON.stringify({ ...lines[0]!, eventId: 'unknown-isrc', isrc: 'ZZZZZ9900001' })}`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: lines.length + 2, accepted: lines.length + 1, duplicates: 0, unknownIsrcs: { count: 1, sample: ['ZZZZZ9900001'] } });
    expect(first.json().errors).toEqual([{ line: lines.length + 1, error: expect.stringMatching(/listener is required/) }]);
    const again = await post(ndjson.split('\n').slice(0, 100).join('\n'));
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 100 });
    // The same new events in two batches at once (a client retrying before the first answer):
    // each is stored once, and the two answers together count every event once.
    const overlapping = lines.slice(0, 50).map((l, i) => JSON.stringify({ ...l, eventId: `twice-${i}` })).join('\n');
    const both = await Promise.all([post(overlapping), post(overlapping)]);
    expect(both.map((r) => r.json().accepted as number).reduce((a, b) => a + b, 0)).toBe(50);
    const forbidden = await post(JSON.stringify({ ...lines[0]!, eventId: 'x1', emotion: 'sad' }));
    expect(forbidden.statusCode).toBe(400);
    expect(forbidden.json()).toMatchObject({ code: 'LL_STREAMS_FORBIDDEN_FIELD' });
    expect(forbidden.json().detail).toMatch(/"emotion"/);
    const csv = await post('eventId,listener,isrc,startedAt,msPlayed,service\ncsv-1,RAWLISTENER-5-7f3a@example.com,GBLLS2600001,2026-11-20T10:00:00Z,45000,tidal\n', 'text/csv');
    expect(csv.json()).toMatchObject({ accepted: 1 });
  });

  it('keeps no raw listener or client identifier in the database or the logs', async () => {
    const needles = ['RAWLISTENER-', 'RAWCLIENT-'];
    if (t.ts.location.dataDir) {
      const files: string[] = [];
      const walk = async (dir: string) => {
        for (const e of await readdir(dir, { withFileTypes: true })) {
          if (e.isDirectory()) await walk(join(dir, e.name));
          else files.push(join(dir, e.name));
        }
      };
      await walk(t.ts.location.dataDir);
      expect(files.length).toBeGreaterThan(10);
      for (const f of files) {
        const bytes = await readFile(f);
        for (const n of needles) expect(bytes.includes(n), `${n} in ${f}`).toBe(false);
      }
    }
    for (const table of ['stream_events', 'stream_findings', 'stream_flags', 'listener_consents', 'audit_log'] as const) {
      const rows = await t.ts.store.db.selectFrom(table as 'stream_events').selectAll().execute();
      const text = JSON.stringify(rows);
      for (const n of needles) expect(text.includes(n), `${n} in ${table}`).toBe(false);
    }
    expect(logs.length).toBeGreaterThan(0);
    for (const n of needles) expect(logs.join('').includes(n)).toBe(false);
  });

  it('finds the accounts streaming in lockstep, flags exactly their streams, and a review clears them', async () => {
    const scan = await logged.inject({ method: 'POST', url: '/v1/streams/scan', headers: auth(org.keys.operator), payload: { from: '2026-11-01', to: '2026-12-01' } });
    expect(scan.statusCode).toBe(200);
    const { findings, flaggedEventIds } = scan.json() as { findings: Array<{ id: string; kind: string; accounts: string[] }>; flaggedEventIds: string[] };
    const lockstep = findings.filter((f) => f.kind === 'lockstep');
    expect(lockstep).toHaveLength(1);
    expect(lockstep[0]!.accounts).toHaveLength(8);
    expect(flaggedEventIds.filter((id) => !planted.has(id))).toEqual([]);
    expect(flaggedEventIds.length).toBeGreaterThanOrEqual(0.95 * planted.size);
    // A second scan of the period stores nothing twice.
    const again = await logged.inject({ method: 'POST', url: '/v1/streams/scan', headers: auth(org.keys.operator), payload: { from: '2026-11-01', to: '2026-12-01' } });
    expect(again.json().findings.map((f: { id: string }) => f.id).sort()).toEqual(findings.map((f) => f.id).sort());
    const listed = await logged.inject({ method: 'GET', url: '/v1/streams/findings?status=open', headers: auth(org.keys.reviewer) });
    expect(listed.json().map((f: { id: string }) => f.id)).toContain(lockstep[0]!.id);
    const cleared = await logged.inject({ method: 'POST', url: `/v1/streams/findings/${lockstep[0]!.id}/review`, headers: auth(org.keys.reviewer), payload: { decision: 'clear', note: 'a choir rehearsing' } });
    expect(cleared.json()).toMatchObject({ status: 'cleared', note: 'a choir rehearsing' });
    const twice = await logged.inject({ method: 'POST', url: `/v1/streams/findings/${lockstep[0]!.id}/review`, headers: auth(org.keys.reviewer), payload: { decision: 'confirm' } });
    expect(twice.statusCode).toBe(409);
    const after = await logged.inject({ method: 'POST', url: '/v1/streams/scan', headers: auth(org.keys.operator), payload: { from: '2026-11-01', to: '2026-12-01' } });
    expect(after.json().flaggedEventIds.filter((id: string) => planted.has(id))).toEqual([]);
    const bad = await logged.inject({ method: 'POST', url: '/v1/streams/scan', headers: auth(org.keys.operator), payload: { from: '2026-12-01', to: '2026-11-01' } });
    expect(bad.statusCode).toBe(400);
  });

  it('gives a licensee nothing about listeners through any route', async () => {
    const listener = { listener: rawListener(1) };
    for (const [method, url, payload] of [
      ['POST', '/v1/streams', ndjson],
      ['POST', '/v1/streams/scan', { from: '2026-11-01', to: '2026-12-01' }],
      ['GET', '/v1/streams/findings', undefined],
      ['POST', '/v1/privacy/export', listener],
      ['POST', '/v1/privacy/erase', listener],
      ['POST', '/v1/privacy/audience', { recipient: 'x', isrcs: [ISRCS[0]], countries: ['GB'], from: '2026-11-01', to: '2026-12-01', epsilon: 0.1 }],
    ] as const) {
      const r = await logged.inject({ method, url, headers: { ...auth(org.keys.licensee), ...(typeof payload === 'string' ? { 'content-type': 'application/x-ndjson' } : {}) }, payload: payload as never });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
    }
  });

  it("exports everything held about a listener, then erases it so nothing about them remains", async () => {
    const who = { listener: rawListener(7) };
    const exported = await logged.inject({ method: 'POST', url: '/v1/privacy/export', headers: auth(org.keys.operator), payload: who });
    expect(exported.statusCode).toBe(200);
    const mine = lines.filter((l) => l.listener === who.listener).map((l) => l.eventId).sort();
    expect(exported.json().events.map((e: { eventId: string }) => e.eventId).sort()).toEqual(mine);
    expect(exported.json().defaults).toMatchObject({ ai_training: 'not_allowed' });
    const consent = await logged.inject({ method: 'POST', url: '/v1/privacy/consents', headers: auth(org.keys.operator), payload: { ...who, purpose: 'analytics', allowed: true } });
    expect(consent.json()).toEqual({ purpose: 'analytics', state: 'allowed' });
    const erased = await logged.inject({ method: 'POST', url: '/v1/privacy/erase', headers: auth(org.keys.operator), payload: who });
    expect(erased.json()).toMatchObject({ found: true, eventsErased: mine.length });
    const pseudonym = exported.json().pseudonyms[0] as string;
    const left = await t.ts.store.db.selectFrom('stream_events').select('event_id').where('listener', '=', pseudonym).execute();
    expect(left).toEqual([]);
    const everything = JSON.stringify([await t.ts.store.db.selectFrom('stream_findings').selectAll().execute(), await t.ts.store.db.selectFrom('listener_consents').selectAll().execute()]);
    expect(everything.includes(pseudonym)).toBe(false);
    const none = await logged.inject({ method: 'POST', url: '/v1/privacy/export', headers: auth(org.keys.operator), payload: who });
    expect(none.json()).toMatchObject({ events: [], consents: [], findings: [] });
    const unknown = await logged.inject({ method: 'POST', url: '/v1/privacy/erase', headers: auth(org.keys.operator), payload: { listener: 'nobody-we-know' } });
    expect(unknown.json()).toEqual({ found: false, eventsErased: 0, findingsUnlinked: 0 });
  });

  it('releases audience counts with noise of the stated scale, and refuses once the budget is spent', async () => {
    const deps = await t.rt.streams();
    const caller = { orgId: org.orgId, actor: 'test' };
    const req = { recipient: 'artist-dashboard', isrcs: ISRCS.slice(0, 2), countries: ['GB', 'DE', 'FR'], from: '2026-11-01', to: '2026-12-01', epsilon: 0.5 };
    const first = await releaseAudience(deps, caller, req);
    expect(first).toMatchObject({ epsilon: 0.5, sensitivity: 2, noiseScale: 4, suppressedBelow: 10, budget: { spent: 0.5, limit: 1 } });
    expect(first.cells).toHaveLength(6);
    const fr = first.cells.filter((c) => c.country === 'FR');
    // Nobody listens from France: what is released there is noise, mostly suppressed.
    expect(fr.every((c) => c.listeners === null || c.listeners < 40)).toBe(true);
    await releaseAudience(deps, caller, req);
    await expect(releaseAudience(deps, caller, { ...req, epsilon: 0.001 })).rejects.toMatchObject({ code: 'LL_PRIVACY_BUDGET_SPENT' });
    await expect(releaseAudience(deps, caller, { ...req, recipient: 'another', epsilon: 0.0001 })).rejects.toMatchObject({ code: 'LL_PRIVACY_BAD_RELEASE' });
  });

  it('folds events past the retention window into daily aggregates and deletes them', async () => {
    const deps = { ...(await t.rt.streams()), clock: { now: () => new Date(Date.parse('2026-12-01T00:00:00Z') + 91 * DAY) } };
    const counted = await t.ts.store.db.selectFrom('stream_events').select((eb) => eb.fn.countAll<string>().as('n')).where('org_id', '=', org.orgId).where('ms_played', '>=', 30_000).executeTakeFirstOrThrow();
    const r = await applyRetention(deps, { orgId: org.orgId, actor: 'test' });
    expect(r.folded).toBeGreaterThan(0);
    const left = await t.ts.store.db.selectFrom('stream_events').select('event_id').where('org_id', '=', org.orgId).execute();
    expect(left).toEqual([]);
    const daily = await t.ts.store.repos.streams.daily(org.orgId, '2026-10-01', '2027-01-01');
    expect(daily.reduce((s, d) => s + d.streams, 0)).toBe(Number(counted.n));
    // Nothing left to fold.
    expect((await applyRetention(deps, { orgId: org.orgId, actor: 'test' })).folded).toBe(0);
  });
});
