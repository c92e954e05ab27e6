// Royalties end to end on the embedded store and on PostgreSQL: stream revenue (the worked
// example of docs/royalties.md, through real stream events and a real finding), user-centric
// stream revenue, a training licence and a generated output, allocated in one go; every cent
// accounted for, statements that reconcile, payouts once, a period that closes, a ledger that
// cannot be edited, and each role seeing only its own.

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as catalog from '../../src/catalog/index.ts';
import { addRevenue, allocatePeriod, closePeriod, correctRevenue, payoutRun, releaseWithheld, statementCsv, statementDsr, statementFor, statementsFor, verifyLedger } from '../../src/royalties/index.ts';
import { systemClock } from '../../src/shared/index.ts';
import { applyRetention, ingestStreams } from '../../src/streams/index.ts';
import { auth, buildTestApp, type SeededOrg, type TestApp } from '../helpers/app.ts';
import { ENGINES } from '../helpers/store.ts';

describe.each(ENGINES)('royalties on %s', (engine) => {
  let t: TestApp;
  let org: SeededOrg;
  const h: Record<'X' | 'Y' | 'Z', string> = { X: '', Y: '', Z: '' };
  const tr: Record<'A' | 'B', string> = { A: '', B: '' };
  let outputId = '';
  const caller = () => ({ orgId: org.orgId, actor: 'test' });

  beforeAll(async () => {
    t = await buildTestApp(engine);
    org = await t.seedOrg('royal');
    const deps = { store: t.ts.store, clock: systemClock };
    for (const k of ['X', 'Y', 'Z'] as const) h[k] = (await catalog.createRightsHolder(deps, caller(), { name: `holder ${k}`, kind: 'other' })).id;
    tr.A = (await catalog.createTrack(deps, caller(), { title: 'A', isrc: 'GBLLR2600001' })).id;
    tr.B = (await catalog.createTrack(deps, caller(), { title: 'B', isrc: 'GBLLR2600002' })).id;
    await catalog.setSplit(deps, caller(), tr.A, 'master', [{ rightsHolderId: h.X, percent: 60 }, { rightsHolderId: h.Y, percent: 40 }]);
    await catalog.setSplit(deps, caller(), tr.A, 'publishing', [{ rightsHolderId: h.Z, percent: 100 }]);
    await catalog.setSplit(deps, caller(), tr.B, 'master', [{ rightsHolderId: h.X, percent: 100 }]);
    // November at tidal, GB: A three counted streams, B three, one of them flagged; one stream too short to count.
    const ev = (id: string, listener: string, isrc: string, ms = 60_000) => JSON.stringify({ eventId: id, listener, isrc, startedAt: '2026-11-10T12:00:00Z', msPlayed: ms, country: 'GB', service: 'tidal' });
    const body = [ev('a1', 'l1', 'GBLLR2600001'), ev('a2', 'l2', 'GBLLR2600001'), ev('a3', 'l3', 'GBLLR2600001'), ev('b1', 'l1', 'GBLLR2600002'), ev('b2', 'l2', 'GBLLR2600002'), ev('b3', 'l4', 'GBLLR2600002'), ev('b4', 'l5', 'GBLLR2600002', 10_000)].join('\n');
    expect((await ingestStreams(await t.rt.streams(), caller(), body, 'ndjson')).accepted).toBe(7);
    const at = new Date().toISOString();
    await t.ts.store.transaction((r) => r.streams.insertFinding({ id: randomUUID(), orgId: org.orgId, key: 'k1', kind: 'just_over_30s', periodFrom: '2026-11-01T00:00:00.000Z', periodTo: '2026-12-01T00:00:00.000Z', accounts: [], tracks: [], streams: 1, evidence: {}, status: 'open', reviewedBy: null, reviewedAt: null, note: null, createdAt: at }, ['b3']));
    // An output whose master draws 30% on A, the rest unexplained; no run, so no manifest to share the residual over.
    outputId = randomUUID();
    await t.ts.store.repos.attributions.insertOutput({ id: outputId, orgId: org.orgId, licenseeId: org.licenseeId, runId: null, title: 'gen', externalId: null, contentHash: 'x', durationMs: 1000, status: 'done', error: null, createdBy: 'test', createdAt: at });
    const result = { durationSeconds: 1, engineVersion: 'test', master: { shares: [{ trackId: tr.A, isrc: 'GBLLR2600001', title: 'A', sharePpm: 300_000, evidence: [] }], unattributedPpm: 700_000 }, composition: { shares: [], unattributedPpm: 1_000_000 }, unlicensed: [] };
    await t.ts.store.repos.attributions.insertAttribution({ outputId, engineVersion: 'test', result, createdAt: at }, [{ trackId: tr.A, layer: 'master', sharePpm: 300_000, licensed: true }]);
  }, 120_000);
  afterAll(async () => t.close());

  it('allocates the worked example to the cent, with the other sources, and every cent is somewhere', async () => {
    const deps = t.rt.royalties;
    await addRevenue(deps, caller(), { source: 'streams', period: '2026-11', currency: 'EUR', amountMinor: 10_000, service: 'tidal', territory: 'GB', commissionPpm: 150_000, publishingPpm: 200_000 });
    await addRevenue(deps, caller(), { source: 'streams', period: '2026-11', currency: 'EUR', amountMinor: 999, service: 'tidal', method: 'user_centric', key: 'uc-1' });
    await addRevenue(deps, caller(), { source: 'licence', period: '2026-11', currency: 'EUR', amountMinor: 5_000, licenceId: org.licenseId });
    await addRevenue(deps, caller(), { source: 'output', period: '2026-11', currency: 'EUR', amountMinor: 1_000, outputId, masterPpm: 500_000 });
    // A retried report records once.
    await addRevenue(deps, caller(), { source: 'licence', period: '2026-11', currency: 'EUR', amountMinor: 5_000, licenceId: org.licenseId });
    const report = await allocatePeriod(deps, caller(), '2026-11');
    expect(report).toMatchObject({ revenues: 4, allocated: 4 });
    const total = report.totals.EUR!;
    expect(total.amount).toBe(10_000 + 999 + 5_000 + 1_000);
    expect(total.commission + total.payable + total.withheld + total.suspense).toBe(total.amount);
    // The worked example: X 2,040 + 2,266 from the stream revenue, Y 1,360, Z 850 (docs/royalties.md).
    const x = await statementFor(deps, caller(), h.X, '2026-11');
    const fromExample = x.currencies[0]!.lines.filter((l) => l.source === 'allocation' && l.right === 'master').map((l) => l.amount);
    expect(fromExample).toEqual(expect.arrayContaining([2040, 2266]));
    const y = await statementFor(deps, caller(), h.Y, '2026-11');
    const z = await statementFor(deps, caller(), h.Z, '2026-11');
    expect(z.currencies[0]!.lines.map((l) => l.amount)).toContain(850);
    expect(y.currencies[0]!.lines.map((l) => l.amount)).toContain(1360);
    // Every statement reconciles, and together with commission, withheld and suspense they are the money allocated.
    const holders = [h.X, h.Y, h.Z, org.rightsHolderId];
    let paidToHolders = 0;
    for (const id of holders) {
      const s = await statementFor(deps, caller(), id, '2026-11');
      for (const c of s.currencies) {
        expect(c.lines.reduce((a, l) => a + l.amount, 0)).toBe(c.earned + c.adjustments - c.payouts);
        expect(c.opening + c.earned + c.adjustments - c.payouts).toBe(c.closing);
        paidToHolders += c.earned;
      }
    }
    expect(paidToHolders).toBe(total.payable);
    const bal = async (prefix: string) => (await t.ts.store.repos.royalties.balances(org.orgId, prefix)).reduce((s, b) => s - b.balance, 0);
    expect(await bal('commission:')).toBe(1500);
    expect(await bal('withheld:')).toBe(total.withheld);
    expect(total.withheld).toBeGreaterThanOrEqual(1417);
    // Pools are empty once allocated; receivables are what payers owe.
    expect(await bal('pool:')).toBe(0);
    expect(-(await bal('receivable:'))).toBe(total.amount);
    expect(await verifyLedger(deps, caller())).toMatchObject({ ok: true, unbalanced: [], mismatched: [] });
    // Allocating again moves nothing.
    expect((await allocatePeriod(deps, caller(), '2026-11')).allocated).toBe(0);
    const csv = statementCsv(x);
    expect(csv.split('\n')[0]).toBe('period,holder,currency,kind,source,ref,track,right,amount');
    expect(csv).toContain('20.40');
    const dsr = statementDsr(x, 'royal').trim().split('\n');
    expect(dsr[0]!.startsWith('HEAD\t')).toBe(true);
    expect(dsr.at(-1)).toBe(`FOOT\t1\t${x.currencies[0]!.lines.length}\t${dsr.length}`);
  });

  it('releases the withheld share to the holders once a review clears the finding', async () => {
    const deps = t.rt.royalties;
    const before = await statementFor(deps, caller(), h.X, '2026-11');
    const withheld = async () => 0 - (await t.ts.store.repos.royalties.balances(org.orgId, 'withheld:')).reduce((s, b) => s + b.balance, 0) || 0;
    const heldBefore = await withheld();
    // Nothing is released while the finding stands.
    expect((await releaseWithheld(deps, caller(), '2026-11')).released).toEqual([]);
    const [finding] = await t.ts.store.repos.streams.listFindings(org.orgId, { limit: 10 });
    // Clearing it releases what it withheld, in the month it was withheld.
    const reviewed = await t.app.inject({ method: 'POST', url: `/v1/streams/findings/${finding!.id}/review`, headers: auth(org.keys.operator), payload: { decision: 'clear', note: 'a real listener' } });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    expect(reviewed.json()).toMatchObject({ status: 'cleared', released: [{ period: '2026-11', postedIn: '2026-11', currency: 'EUR', amount: heldBefore }] });
    expect(await withheld()).toBe(0);
    // B's master share of the example's withheld 1,417 (1,134) reaches X; its publishing share (283) waits in suspense.
    const after = await statementFor(deps, caller(), h.X, '2026-11');
    expect(after.currencies[0]!.adjustments - before.currencies[0]!.adjustments).toBeGreaterThanOrEqual(1134);
    expect(after.currencies[0]!.closing - before.currencies[0]!.closing).toBe(after.currencies[0]!.adjustments - before.currencies[0]!.adjustments);
    expect(after.currencies[0]!.lines.some((l) => l.source === 'release' && l.trackId === tr.B && l.amount === 1134)).toBe(true);
    expect((await releaseWithheld(deps, caller(), '2026-11')).released).toEqual([]);
    expect((await verifyLedger(deps, caller())).ok).toBe(true);
  });

  it('pays balances above the minimum once, closes the period, and refuses what would change it', async () => {
    const deps = t.rt.royalties;
    const first = await payoutRun(deps, caller(), { period: '2026-11', reference: 'BATCH-1', minimumMinor: 1000 });
    expect(first.paid.map((p) => p.holderId).sort()).toEqual([h.X, h.Y, org.rightsHolderId].sort());
    expect(first.belowMinimum).toBe(1); // Z's 8.50
    // Every holder's statement read in one pass is each holder's own, line for line (payouts with a reference that holds a tab and a newline too).
    await payoutRun(deps, caller(), { period: '2026-11', reference: 'odd\tref\nB', minimumMinor: 1 });
    const all = await statementsFor(deps, caller(), '2026-11');
    expect(all.map((s) => s.holderId)).toEqual([h.X, h.Y, h.Z, org.rightsHolderId].sort());
    for (const s of all) expect(s).toEqual(await statementFor(deps, caller(), s.holderId, '2026-11'));
    expect(all.find((s) => s.holderId === h.Z)!.currencies[0]!.lines.some((l) => l.ref === 'odd\tref\nB')).toBe(true);
    expect((await payoutRun(deps, caller(), { period: '2026-11', reference: 'BATCH-1', minimumMinor: 1000 })).paid).toEqual([]);
    const x = await statementFor(deps, caller(), h.X, '2026-11');
    expect(x.currencies[0]!.closing).toBe(0);
    await closePeriod(deps, caller(), '2026-11');
    await expect(addRevenue(deps, caller(), { source: 'streams', period: '2026-11', currency: 'EUR', amountMinor: 1, service: 'tidal', key: 'late' })).rejects.toMatchObject({ code: 'LL_ROYALTIES_PERIOD_CLOSED' });
    await expect(allocatePeriod(deps, caller(), '2026-11')).rejects.toMatchObject({ code: 'LL_ROYALTIES_PERIOD_CLOSED' });
    await expect(addRevenue(deps, caller(), { source: 'streams', period: '2026-12', currency: 'XYZ', amountMinor: 1, service: 'tidal' })).rejects.toMatchObject({ code: 'LL_ROYALTIES_UNKNOWN_CURRENCY' });
    await expect(addRevenue(deps, caller(), { source: 'streams', period: '2026-12', currency: 'EUR', amountMinor: -5, service: 'tidal' })).rejects.toMatchObject({ code: 'LL_ROYALTIES_BAD_AMOUNT' });
    await expect(addRevenue(deps, caller(), { source: 'licence', period: '2026-12', currency: 'EUR', amountMinor: 5, licenceId: randomUUID() })).rejects.toMatchObject({ code: 'LL_ROYALTIES_SOURCE_NOT_FOUND' });
    // A correction reverses and re-records in an open month; one that would leave a paid holder owing is refused.
    const [licence] = (await t.ts.store.repos.royalties.revenueOf(org.orgId, '2026-11')).filter((v) => v.source === 'licence');
    await expect(correctRevenue(deps, caller(), licence!.id, { period: '2026-12', amountMinor: 4_000 })).rejects.toMatchObject({ code: 'LL_ROYALTIES_WOULD_GO_NEGATIVE' });
    const corrected = await correctRevenue(deps, caller(), licence!.id, { period: '2026-12', amountMinor: 6_000 });
    expect(corrected.holders).toEqual([{ holderId: org.rightsHolderId, currency: 'EUR', change: 1000 }]);
    const december = await statementFor(deps, caller(), org.rightsHolderId, '2026-12');
    expect(december.currencies[0]).toMatchObject({ opening: 0, adjustments: -5000, earned: 6000, closing: 1000 });
    await expect(correctRevenue(deps, caller(), licence!.id, { period: '2026-12', amountMinor: 7_000 })).rejects.toMatchObject({ code: 'LL_ROYALTIES_BAD_REVENUE' });
    // The ledger cannot be edited, even by a direct write.
    await expect(t.ts.store.db.updateTable('ledger_postings').set({ amount: 0 }).where('org_id', '=', org.orgId).execute()).rejects.toThrow();
    await expect(t.ts.store.db.deleteFrom('ledger_entries').where('org_id', '=', org.orgId).execute()).rejects.toThrow();
    expect((await verifyLedger(deps, caller())).ok).toBe(true);
  });

  it('shows a rights holder only its own statement and balance, and a licensee what it owes', async () => {
    const own = await t.app.inject({ method: 'GET', url: `/v1/royalties/statements?holder=${org.rightsHolderId}&period=2026-11`, headers: auth(org.keys.rights_holder) });
    expect(own.statusCode).toBe(200);
    expect(own.json().currencies[0].earned).toBe(5000);
    const other = await t.app.inject({ method: 'GET', url: `/v1/royalties/statements?holder=${h.X}&period=2026-11`, headers: auth(org.keys.rights_holder) });
    expect(other.statusCode).toBe(404);
    const owes = await t.app.inject({ method: 'GET', url: '/v1/royalties/balances', headers: auth(org.keys.licensee) });
    // The licence (5,000, corrected to 6,000) and the output (1,000).
    expect(owes.json()).toEqual([{ account: `receivable:licensee:${org.licenseeId}`, currency: 'EUR', balance: 7000 }]);
    // The seeded artist's track paid its holder 5,000 in November (the licence, before its correction).
    const artist = await t.app.inject({ method: 'GET', url: '/v1/royalties/artist-statement?period=2026-11', headers: auth(org.keys.artist) });
    expect(artist.json().lines).toEqual([expect.objectContaining({ trackId: org.trackId, holderId: org.rightsHolderId, right: 'master', source: 'allocation', amount: 5000 })]);
    expect(artist.json().totals).toEqual([{ currency: 'EUR', amount: 5000 }]);
    const invoice = await t.app.inject({ method: 'GET', url: '/v1/royalties/invoice', headers: auth(org.keys.licensee) });
    expect(invoice.json().owed).toEqual([{ currency: 'EUR', amount: 7000 }]);
    expect(invoice.json().lines.map((l: { source: string }) => l.source).sort()).toEqual(['licence', 'licence', 'output']);
    const mine = await t.app.inject({ method: 'GET', url: '/v1/royalties/balances', headers: auth(org.keys.rights_holder) });
    expect(mine.json().every((b: { account: string }) => b.account === `payable:holder:${org.rightsHolderId}`)).toBe(true);
    const verify = await t.app.inject({ method: 'GET', url: '/v1/ledger/verify', headers: auth(org.keys.operator) });
    expect(verify.json()).toMatchObject({ ok: true, orphanPostings: 0 });
    const forbidden = await t.app.inject({ method: 'POST', url: '/v1/royalties/allocate', headers: auth(org.keys.rights_holder), payload: { period: '2026-12' } });
    expect(forbidden.statusCode).toBe(403);
  });

  it("pays a licence's fee by the splits that stood when its manifest was issued, not today's", async () => {
    const other = await t.seedOrg('royal-splits');
    const c = { orgId: other.orgId, actor: 'test' };
    const later = { store: t.ts.store, clock: { now: () => new Date(Date.now() + 60_000) } };
    const newcomer = (await catalog.createRightsHolder(later, c, { name: 'newcomer', kind: 'other' })).id;
    await catalog.setSplit(later, c, other.trackId, 'master', [{ rightsHolderId: newcomer, percent: 100 }]);
    const deps = t.rt.royalties;
    await addRevenue(deps, c, { source: 'licence', period: '2027-01', currency: 'EUR', amountMinor: 1_000, licenceId: other.licenseId });
    // A service reporting nothing for the month does not stop the month's allocation.
    await addRevenue(deps, c, { source: 'streams', period: '2027-01', currency: 'EUR', amountMinor: 0, service: 'none' });
    await allocatePeriod(deps, c, '2027-01');
    expect((await statementFor(deps, c, other.rightsHolderId, '2027-01')).currencies[0]).toMatchObject({ earned: 1000 });
    expect((await statementFor(deps, c, newcomer, '2027-01')).currencies).toEqual([]);
  });

  it('records a batch of reports through the API all or nothing, naming the report that failed', async () => {
    const other = await t.seedOrg('royal-batch');
    const report = (service: string, amountMinor: number, currency = 'EUR') => ({ source: 'streams', period: '2026-11', currency, amountMinor, service });
    const bad = await t.app.inject({ method: 'POST', url: '/v1/royalties/revenue/batch', headers: auth(other.keys.operator), payload: { reports: [report('a', 1), report('b', 2), report('c', 3, 'XYZ')] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'LL_ROYALTIES_UNKNOWN_CURRENCY', details: { index: 2 } });
    expect(await t.ts.store.repos.royalties.revenueOf(other.orgId, '2026-11')).toEqual([]);
    const good = await t.app.inject({ method: 'POST', url: '/v1/royalties/revenue/batch', headers: auth(other.keys.operator), payload: { reports: [report('a', 1), report('b', 2)] } });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json()).toMatchObject({ recorded: 2, alreadyRecorded: 0 });
    const again = await t.app.inject({ method: 'POST', url: '/v1/royalties/revenue/batch', headers: auth(other.keys.operator), payload: { reports: [report('a', 1), report('d', 4)] } });
    expect(again.json()).toMatchObject({ recorded: 1, alreadyRecorded: 1, ids: [good.json().ids[0], expect.any(String)] });
    expect(await verifyLedger(t.rt.royalties, { orgId: other.orgId, actor: 'test' })).toMatchObject({ ok: true });
  });

  it('ledger verify finds a posting written around the ledger, without its entry', async () => {
    const other = await t.seedOrg('royal-orphan');
    const c = { orgId: other.orgId, actor: 'test' };
    expect(await verifyLedger(t.rt.royalties, c)).toMatchObject({ ok: true, orphanPostings: 0 });
    await t.ts.store.db.insertInto('ledger_postings').values({ entry_id: randomUUID(), line: 0, org_id: other.orgId, account: 'suspense', currency: 'EUR', amount: 0, track_id: null, memo: null }).execute();
    expect(await verifyLedger(t.rt.royalties, c)).toMatchObject({ ok: false, orphanPostings: 1 });
  });

  it('pays streams that retention has already folded into daily counts', async () => {
    const other = await t.seedOrg('royal-folded');
    const c = { orgId: other.orgId, actor: 'test' };
    const lines = [1, 2, 3].map((i) => JSON.stringify({ eventId: `f${i}`, listener: `l${i}`, isrc: 'GBAAA2600001', startedAt: '2026-08-03T10:00:00Z', msPlayed: 45_000, country: 'GB', service: 'tidal' }));
    expect((await ingestStreams(await t.rt.streams(), c, lines.join('\n'), 'ndjson')).accepted).toBe(3);
    const later = { ...(await t.rt.streams()), clock: { now: () => new Date('2026-12-01T00:00:00Z') } };
    expect((await applyRetention(later, c)).folded).toBe(3);
    await addRevenue(t.rt.royalties, c, { source: 'streams', period: '2026-08', currency: 'EUR', amountMinor: 900, service: 'tidal', territory: 'GB' });
    // User-centric cannot see the folded days' listeners: its money waits in suspense, and the
    // pro-rata revenue, read from the same per-listener rows, still pays the folded streams.
    await addRevenue(t.rt.royalties, c, { source: 'streams', period: '2026-08', currency: 'EUR', amountMinor: 100, service: 'tidal', method: 'user_centric', key: 'uc-folded' });
    const report = await allocatePeriod(t.rt.royalties, c, '2026-08');
    expect(report.totals.EUR).toMatchObject({ amount: 1000, payable: 900, suspense: 100 });
  });
});
