// Royalties bench: one JSON line of figures, none of them a pass/fail test.
//
// A month of a distributor on the embedded store (and, with --postgres URL, on PostgreSQL):
// tracks with 2-6 master and publishing holders, licences over manifests, generated outputs
// with attributions, streams from listeners (pro rata per territory, and user-centric), with
// some streams flagged. The catalog, streams and manifests are seeded straight into the tables
// (bulk inserts, not the API) so the month's work is what is timed: recording revenue,
// allocating and closing the month, a batch of postings alone, statements for every holder, `ledger verify`. Money is checked to the
// cent: what was reported equals commission + payable + withheld + suspense, and the sum of every
// statement equals the payable total.
//
// Run: npm run bench:royalties [-- --scale F] [-- --postgres URL]
//   scale 1 is the month (100,000 tracks, 20 licences over 10,000 tracks, 50,000 outputs,
//   10 million streams from 200,000 listeners); the default is 0.1.

import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { createOrganisation } from '../src/catalog/index.ts';
import { accounts, addRevenue, addRevenues, allocatePeriod, MAX_REVENUE_BATCH, checkEntry, closePeriod, statementsFor, verifyLedger, type JournalEntry } from '../src/royalties/index.ts';
import { openRuntime } from '../src/runtime/index.ts';
import { seededRandom } from '../src/shared/index.ts';
import type { StoredEvent } from '../src/streams/index.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const scale = Number(arg('--scale') ?? 0.1);
const pgUrl = arg('--postgres');
const log = (m: string) => process.stderr.write(`${m}\n`);
const random = seededRandom(2026);
const N = {
  tracks: Math.round(100_000 * scale),
  holders: Math.round(20_000 * scale),
  licences: Math.max(1, Math.round(20 * scale)),
  manifestTracks: Math.round(10_000 * scale),
  outputs: Math.round(50_000 * scale),
  streams: Math.round(10_000_000 * scale),
  listeners: Math.round(200_000 * scale),
};
const dir = mkdtempSync(join(tmpdir(), 'll-bench-royalties-'));
const rt = await openRuntime(pgUrl ? { databaseUrl: pgUrl } : { dataDir: join(dir, 'data'), threads: 1 });
const db = rt.store.db;
const org = await createOrganisation(rt.catalog, 'bench', { slug: `bench-${Date.now()}`, name: 'bench' });
const caller = { orgId: org.id, actor: 'bench' };
const chunked = async <T>(rows: T[], size: number, fn: (part: T[]) => Promise<unknown>) => {
  for (let i = 0; i < rows.length; i += size) await fn(rows.slice(i, i + size));
};

log(`seeding ${JSON.stringify(N)}…`);
const t0 = performance.now();
const holders = Array.from({ length: N.holders }, () => randomUUID());
await chunked(holders, 5000, (part) => db.insertInto('rights_holders').values(part.map((id, i) => ({ id, org_id: org.id, name: `holder ${i}`, kind: 'other' }))).execute());
const tracks = Array.from({ length: N.tracks }, (_, i) => ({ id: randomUUID(), isrc: `GBBEN${String(26).padStart(2, '0')}${String(i).padStart(5, '0').slice(-5)}${i >= 100_000 ? 'X' : ''}`.slice(0, 12) }));
await chunked(tracks, 5000, (part) => db.insertInto('tracks').values(part.map((t, i) => ({ id: t.id, org_id: org.id, title: `track ${i}`, isrc: t.isrc, duration_ms: 120_000 + Math.floor(random() * 120_000) }))).execute());
// A track's split rows go in together: the database checks each split sums to 1,000,000 as a statement ends.
const splitRows: Array<Array<{ track_id: string; kind: string; rights_holder_id: string; role: null; share_ppm: number }>> = [];
for (const t of tracks) {
  const rows: (typeof splitRows)[number] = [];
  splitRows.push(rows);
  for (const kind of ['master', 'publishing']) {
    const n = 1 + Math.floor(random() * 3);
    const chosen = new Set<string>();
    while (chosen.size < n) chosen.add(holders[Math.floor(random() * holders.length)]!);
    const shares = [...chosen];
    let left = 1_000_000;
    shares.forEach((h, i) => {
      const share = i === shares.length - 1 ? left : Math.floor(left / (shares.length - i));
      left -= share;
      rows.push({ track_id: t.id, kind, rights_holder_id: h, role: null, share_ppm: share });
    });
  }
}
await chunked(splitRows, 1000, (part) => db.insertInto('splits').values(part.flat()).execute());
// Their versions, as the catalog writes them beside every split (a licence pays by the version in force at its manifest's issue).
const splitsSince = new Date(Date.now() - 86_400_000).toISOString();
await chunked(splitRows, 2000, (part) =>
  db
    .insertInto('split_versions')
    .values(part.flatMap((rows) => (['master', 'publishing'] as const).map((kind) => ({ track_id: rows[0]!.track_id, kind, valid_from: splitsSince, shares: JSON.stringify(rows.filter((r) => r.kind === kind).map((r) => ({ holderId: r.rights_holder_id, sharePpm: r.share_ppm }))) }))))
    .execute(),
);
// Licences, each over a manifest of manifestTracks tracks.
await sql`INSERT INTO signing_keys (id, public_key) VALUES ('bench-key', 'bench') ON CONFLICT DO NOTHING`.execute(db);
const licensee = (await db.insertInto('licensees').values({ org_id: org.id, slug: 'bench-ai', name: 'bench AI' }).returning('id').executeTakeFirstOrThrow()).id;
const licences: string[] = [];
for (let l = 0; l < N.licences; l++) {
  const licence = (await db.insertInto('licenses').values({ org_id: org.id, licensee_id: licensee, uses: JSON.stringify(['ai_training']), territories: JSON.stringify(['Worldwide']), valid_from: new Date().toISOString() } as never).returning('id').executeTakeFirstOrThrow()).id;
  const manifest = randomUUID();
  await db.insertInto('manifests').values({ id: manifest, org_id: org.id, license_id: licence, licensee_id: licensee, header: JSON.stringify({}), root: 'x', key_id: 'bench-key', signature: 'x', issued_at: new Date().toISOString() } as never).execute();
  const start = Math.floor(random() * Math.max(1, N.tracks - N.manifestTracks));
  const entries = tracks.slice(start, start + N.manifestTracks).map((t, position) => ({ manifest_id: manifest, position, track_id: t.id, isrc: t.isrc, content_hash: 'x', duration_ms: 180_000, consent_version: 1 }));
  await chunked(entries, 5000, (part) => db.insertInto('manifest_entries').values(part as never).execute());
  licences.push(licence);
}
// Outputs with an attribution each: one to three tracks on each layer, the rest unattributed.
const outputs = Array.from({ length: N.outputs }, () => randomUUID());
await chunked(outputs, 2000, (part) =>
  db.insertInto('outputs').values(part.map((id) => ({ id, org_id: org.id, licensee_id: licensee, run_id: null, title: 'gen', external_id: null, content_hash: id, duration_ms: 180_000, status: 'done', error: null, created_by: 'bench', created_at: new Date().toISOString() })) as never).execute(),
);
const layer = () => {
  const n = Math.floor(random() * 4);
  const shares = Array.from({ length: n }, () => ({ trackId: tracks[Math.floor(random() * tracks.length)]!.id, sharePpm: 50_000 + Math.floor(random() * 200_000) }));
  return { shares, unattributedPpm: 1_000_000 - shares.reduce((s, x) => s + x.sharePpm, 0) };
};
await chunked(outputs, 2000, (part) =>
  db.insertInto('attributions').values(part.map((output_id) => ({ output_id, version: 1, engine_version: 'bench', result: JSON.stringify({ master: layer(), composition: layer() }), created_at: new Date().toISOString() })) as never).execute(),
);
// Streams: Zipf popularity, listeners in three territories, 2% of listeners' plays flagged.
const cdf = new Float64Array(tracks.length);
let s = 0;
for (let i = 0; i < tracks.length; i++) cdf[i] = s += 1 / (i + 1);
const pick = () => {
  const x = random() * s;
  let lo = 0;
  let hi = tracks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cdf[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return tracks[lo]!;
};
const territories = ['GB', 'DE', 'FR'];
const flaggedIds: string[] = [];
const events: StoredEvent[] = [];
for (let i = 0; i < N.streams; i++) {
  const listener = Math.floor(random() * N.listeners);
  const t = pick();
  const eventId = `e${i}`;
  if (listener % 50 === 0) flaggedIds.push(eventId);
  events.push({ orgId: org.id, eventId, listener: `p${listener}`, client: null, epoch: 1, isrc: t.isrc, trackId: t.id, startedAt: new Date(Date.UTC(2026, 10, 1) + random() * 29 * 86_400_000).toISOString(), msPlayed: 60_000, country: territories[listener % 3]!, service: 'bench', context: null });
  if (events.length === 200_000) await rt.store.repos.streams.insertEvents(events.splice(0));
}
await rt.store.repos.streams.insertEvents(events.splice(0));
const at = new Date().toISOString();
await rt.store.transaction((r) => r.streams.insertFinding({ id: randomUUID(), orgId: org.id, key: 'bench', kind: 'dense_block', periodFrom: at, periodTo: at, accounts: [], tracks: [], streams: flaggedIds.length, evidence: {}, status: 'open', reviewedBy: null, reviewedAt: null, note: null, createdAt: at }, flaggedIds));
const seedMs = performance.now() - t0;
log(`seeded in ${Math.round(seedMs / 1000)} s`);

// ---- the month ----
const t1 = performance.now();
let reported = 0;
const report = async (input: Parameters<typeof addRevenue>[2]) => {
  await addRevenue(rt.royalties, caller, input);
  reported += input.amountMinor ?? 0;
};
for (const territory of territories) await report({ source: 'streams', period: '2026-11', currency: 'EUR', amountMinor: 5_000_000 + Math.floor(random() * 1e6), service: 'bench', territory, commissionPpm: 150_000, publishingPpm: 200_000 });
await report({ source: 'streams', period: '2026-11', currency: 'EUR', amountMinor: 3_000_000, service: 'bench', method: 'user_centric', key: 'uc', commissionPpm: 150_000, publishingPpm: 200_000 });
for (const licence of licences) await report({ source: 'licence', period: '2026-11', currency: 'EUR', amountMinor: 2_000_000, licenceId: licence, by: 'duration' });
// A licensee's month of outputs arrives as one file (\`royalties revenue import\`): batches of up to 50,000.
const outputReports = outputs.map((output) => ({ source: 'output' as const, period: '2026-11', currency: 'EUR', amountMinor: 1 + Math.floor(random() * 5000), outputId: output, masterPpm: 600_000 }));
for (let i = 0; i < outputReports.length; i += MAX_REVENUE_BATCH) await addRevenues(rt.royalties, caller, outputReports.slice(i, i + MAX_REVENUE_BATCH));
for (const r of outputReports) reported += r.amountMinor;
const revenueMs = performance.now() - t1;
const t2 = performance.now();
const allocation = await allocatePeriod(rt.royalties, caller, '2026-11');
await closePeriod(rt.royalties, caller, '2026-11');
const allocateMs = performance.now() - t2;
const postings = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id WHERE e.org_id = ${org.id} AND e.source_kind = 'allocation'`.execute(db)).rows[0]!.n);
const t3 = performance.now();
let statementsTotal = 0;
const statements = await statementsFor(rt.royalties, caller, '2026-11');
for (const s of statements) for (const c of s.currencies) statementsTotal += c.earned;
const statementsMs = performance.now() - t3;
const t4 = performance.now();
const check = await verifyLedger(rt.royalties, caller);
const verifyMs = performance.now() - t4;
const eur = allocation.totals.EUR!;

// ---- batch posting alone: entries of ten lines (a pool into nine holders), checked and posted in one transaction ----
const org2 = await createOrganisation(rt.catalog, 'bench', { slug: `bench-post-${Date.now()}`, name: 'bench post' });
const batch: JournalEntry[] = Array.from({ length: Math.max(1000, Math.round(N.streams / 100)) }, (_, i) => {
  const amounts = Array.from({ length: 9 }, () => 1 + Math.floor(random() * 10_000));
  return {
    id: randomUUID(),
    orgId: org2.id,
    key: `bench:${i}`,
    period: '2026-11',
    sourceKind: 'allocation',
    sourceRef: `bench-${i}`,
    memo: 'bench',
    createdAt: new Date().toISOString(),
    postings: [
      { account: `pool:bench-${i}`, currency: 'EUR', amount: amounts.reduce((x, y) => x + y, 0), trackId: null, memo: null },
      ...amounts.map((a) => ({ account: accounts.payable(holders[Math.floor(random() * holders.length)]!), currency: 'EUR', amount: -a, trackId: tracks[Math.floor(random() * tracks.length)]!.id, memo: 'master' })),
    ],
  };
});
const t5 = performance.now();
for (const e of batch) checkEntry(e);
await rt.royalties.store.transaction((r) => r.royalties.post(batch));
const batchMs = performance.now() - t5;
await rt.close();
rmSync(dir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    bench: 'royalties',
    engine: pgUrl ? 'postgres' : 'pglite',
    scale,
    month: N,
    seedSeconds: Math.round(seedMs / 1000),
    revenueRecords: 3 + 1 + licences.length + outputs.length,
    revenueSeconds: Math.round(revenueMs / 100) / 10,
    allocateSeconds: Math.round(allocateMs / 100) / 10,
    allocationPostings: postings,
    allocationPostingsPerSecond: Math.round(postings / (allocateMs / 1000)),
    batchPostings: batch.length * 10,
    batchPostingsPerSecond: Math.round((batch.length * 10) / (batchMs / 1000)),
    statementsSeconds: Math.round(statementsMs / 100) / 10,
    statements: statements.length,
    verifySeconds: Math.round(verifyMs / 100) / 10,
    ledgerOk: check.ok,
    money: {
      reported,
      allocated: eur.amount,
      commission: eur.commission,
      payable: eur.payable,
      withheld: eur.withheld,
      suspense: eur.suspense,
      differenceReportedVsAllocated: reported - (eur.commission + eur.payable + eur.withheld + eur.suspense),
      differencePayableVsStatements: eur.payable - statementsTotal,
    },
  }),
);
