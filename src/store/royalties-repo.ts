// RoyaltyStore over Kysely: revenue, the append-only journal with balances kept beside it, periods,
// and the inputs of allocation. Writes expect the caller's transaction (store.transaction).

import { sql, type Kysely } from 'kysely';
import { FOLDED, PeriodStreams } from '../royalties/period-streams.ts';
import type { OutputForRevenue, Revenue, RoyaltyStore, StoredPosting } from '../royalties/store.ts';
import type { OutputAttribution, TrackSplits } from '../royalties/sources.ts';
import { appendRows } from './append-rows.ts';
import { counted, playsByCopy, playsByRows } from './period-plays.ts';
import type { Engine } from './open.ts';
import { iso, isUuid, parseJson } from './rows.ts';
import { readyForTimeRanges } from './streams-repo.ts';
import type { Database } from './schema.ts';

const CHUNK = 4_000;

/**
 * Counted streams in a period per service, country and track, with how many an uncleared
 * finding flags: all of them in one pass over the period's events, then the flagged ones from
 * the (few) flags, so no event is joined with the flags. The events' time index and the
 * planner's statistics are brought up to date first (readyForTimeRanges: PGlite has no
 * autovacuum, and a plan made for an empty table sorts millions of rows on disk).
 */
async function streamsPerTrack(db: Kysely<Database>, orgId: string, from: string, to: string, into: PeriodStreams): Promise<void> {
  await readyForTimeRanges(db);
  await sql`SET LOCAL work_mem = '64MB'`.execute(db);
  const all = await sql<{ service: string; country: string | null; track_id: string; n: string }>`
    SELECT e.service, e.country, e.track_id, count(*) AS n FROM stream_events e WHERE ${counted(orgId, from, to)} GROUP BY e.service, e.country, e.track_id`.execute(db);
  for (const r of all.rows) into.add({ service: r.service, country: r.country, listener: FOLDED, trackId: r.track_id, valid: Number(r.n), flagged: 0 });
  await flaggedStreams(db, orgId, from, to, false, into);
}


/** The same per listener: the plays are counted outside the engine (period-plays.ts). */
async function streamsPerListener(db: Kysely<Database>, engine: Engine, orgId: string, from: string, to: string, into: PeriodStreams): Promise<void> {
  await readyForTimeRanges(db);
  if (engine === 'pglite') await playsByCopy(db, orgId, from, to, into);
  else await playsByRows(db, orgId, from, to, into);
  await flaggedStreams(db, orgId, from, to, true, into);
}

/** Flagged streams as rows of their own that move counts from valid to flagged (readers sum rows by key), so no row is looked up by key. */
async function flaggedStreams(db: Kysely<Database>, orgId: string, from: string, to: string, byListener: boolean, into: PeriodStreams): Promise<void> {
  const listener = byListener ? sql`e.listener` : sql`''`;
  const groups = byListener ? sql`e.service, e.country, e.listener, e.track_id` : sql`e.service, e.country, e.track_id`;
  const flagged = await sql<{ service: string; country: string | null; listener: string; track_id: string; n: string }>`
    SELECT e.service, e.country, ${listener} AS listener, e.track_id, count(DISTINCT e.event_id) AS n
    FROM stream_flags fl JOIN stream_findings s ON s.id = fl.finding_id AND s.status <> 'cleared'
    JOIN stream_events e ON e.org_id = fl.org_id AND e.event_id = fl.event_id
    WHERE fl.org_id = ${orgId} AND ${counted(orgId, from, to)} GROUP BY ${groups}`.execute(db);
  for (const r of flagged.rows) into.add({ service: r.service, country: r.country, listener: r.listener, trackId: r.track_id, valid: -Number(r.n), flagged: Number(r.n) });
}

type PostingRow = { entry_id: string; key: string; period: string; source_kind: string; source_ref: string; account: string; currency: string; amount: string | number | bigint; track_id: string | null; memo: string | null };
const storedPosting = (r: PostingRow): StoredPosting => ({ entryId: r.entry_id, entryKey: r.key, period: r.period, sourceKind: r.source_kind, sourceRef: r.source_ref, account: r.account, currency: r.currency, amount: Number(r.amount), trackId: r.track_id, memo: r.memo });

const POSTING_COLUMNS = [
  { name: 'entry_id', type: 'uuid' },
  { name: 'line', type: 'int' },
  { name: 'org_id', type: 'uuid' },
  { name: 'account', type: 'text' },
  { name: 'currency', type: 'text' },
  { name: 'amount', type: 'bigint' },
  { name: 'track_id', type: 'uuid' },
  { name: 'memo', type: 'text' },
];

export function royaltiesRepo(db: Kysely<Database>, engine: Engine): RoyaltyStore {
  const toRevenue = (r: { id: string; org_id: string; key: string; source: string; period: string; currency: string; amount_minor: string | number | bigint; payer: string; details: unknown; created_at: Date | string }): Revenue => ({
    id: r.id,
    orgId: r.org_id,
    key: r.key,
    source: r.source as Revenue['source'],
    period: r.period,
    currency: r.currency,
    amountMinor: Number(r.amount_minor),
    payer: r.payer,
    details: parseJson(r.details) as Revenue['details'],
    createdAt: iso(r.created_at)!,
  });
  return {
    async insertRevenues(rows) {
      if (rows.length === 0) return [];
      const orgId = rows[0]!.orgId;
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db
          .insertInto('revenue')
          .values(rows.slice(i, i + CHUNK).map((r) => ({ id: r.id, org_id: r.orgId, key: r.key, source: r.source, period: r.period, currency: r.currency, amount_minor: r.amountMinor, payer: r.payer, details: JSON.stringify(r.details), created_at: r.createdAt })))
          .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
          .execute();
      }
      const stored = new Map<string, Revenue>();
      const keys = [...new Set(rows.map((r) => r.key))];
      for (let i = 0; i < keys.length; i += CHUNK) {
        for (const r of await db.selectFrom('revenue').selectAll().where('org_id', '=', orgId).where('key', 'in', keys.slice(i, i + CHUNK)).execute()) stored.set(r.key, toRevenue(r));
      }
      return rows.map((r) => stored.get(r.key)!);
    },
    async revenueOf(orgId, period) {
      return (await db.selectFrom('revenue').selectAll().where('org_id', '=', orgId).where('period', '=', period).orderBy('created_at').orderBy('id').execute()).map(toRevenue);
    },
    async revenueOfPayer(orgId, payer, limit) {
      return (await db.selectFrom('revenue').selectAll().where('org_id', '=', orgId).where('payer', '=', payer).orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()).map(toRevenue);
    },
    async getRevenue(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('revenue').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toRevenue(r) : null;
    },
    async entryPostings(orgId, key) {
      const rows = await db
        .selectFrom('ledger_postings as p')
        .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
        .select(['p.account', 'p.currency', 'p.amount', 'p.track_id', 'p.memo'])
        .where('e.org_id', '=', orgId)
        .where('e.key', '=', key)
        .orderBy('p.line')
        .execute();
      return rows.map((r) => ({ account: r.account, currency: r.currency, amount: Number(r.amount), trackId: r.track_id, memo: r.memo }));
    },
    async post(entries) {
      if (entries.length === 0) return [];
      const orgId = entries[0]!.orgId;
      const existing = await this.entryKeys(orgId, entries.map((e) => e.key));
      const fresh = entries.filter((e) => !existing.has(e.key));
      for (let i = 0; i < fresh.length; i += CHUNK) {
        await db
          .insertInto('ledger_entries')
          .values(fresh.slice(i, i + CHUNK).map((e) => ({ id: e.id, org_id: e.orgId, key: e.key, period: e.period, source_kind: e.sourceKind, source_ref: e.sourceRef, memo: e.memo, created_at: e.createdAt })))
          .execute();
      }
      const postings = fresh.flatMap((e) => e.postings.map((p, line) => ({ entry_id: e.id, line, org_id: e.orgId, account: p.account, currency: p.currency, amount: p.amount, track_id: p.trackId, memo: p.memo })));
      await appendRows(db, engine, 'ledger_postings', POSTING_COLUMNS, postings.map((p) => [p.entry_id, p.line, p.org_id, p.account, p.currency, p.amount, p.track_id, p.memo]));
      // Balances move with the postings, in the same transaction.
      const delta = new Map<string, { account: string; currency: string; amount: number }>();
      for (const p of postings) {
        const k = `${p.account}\u0000${p.currency}`;
        const d = delta.get(k) ?? { account: p.account, currency: p.currency, amount: 0 };
        d.amount += p.amount;
        delta.set(k, d);
      }
      const rows = [...delta.values()].map((d) => ({ org_id: orgId, account: d.account, currency: d.currency, balance: d.amount }));
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db
          .insertInto('ledger_balances')
          .values(rows.slice(i, i + CHUNK))
          .onConflict((oc) => oc.columns(['org_id', 'account', 'currency']).doUpdateSet({ balance: sql`ledger_balances.balance + excluded.balance` }))
          .execute();
      }
      return fresh.map((e) => e.key);
    },
    async entryKeys(orgId, keys) {
      const out = new Set<string>();
      for (let i = 0; i < keys.length; i += CHUNK) {
        const rows = await db.selectFrom('ledger_entries').select('key').where('org_id', '=', orgId).where('key', 'in', keys.slice(i, i + CHUNK)).execute();
        for (const r of rows) out.add(r.key);
      }
      return out;
    },
    async isClosed(orgId, period) {
      return !!(await db.selectFrom('royalty_periods').select('period').where('org_id', '=', orgId).where('period', '=', period).executeTakeFirst());
    },
    async close(orgId, period, by, at) {
      await db.insertInto('royalty_periods').values({ org_id: orgId, period, closed_by: by, closed_at: at }).onConflict((oc) => oc.columns(['org_id', 'period']).doNothing()).execute();
    },
    async balances(orgId, prefix) {
      const rows = await db.selectFrom('ledger_balances').selectAll().where('org_id', '=', orgId).where('account', 'like', `${prefix}%`).orderBy('account').orderBy('currency').execute();
      return rows.map((r) => ({ account: r.account, currency: r.currency, balance: Number(r.balance) }));
    },
    async holderPostings(orgId, upToPeriod) {
      // Every holder's postings come back as one JSON array per account (the engine's per-row
      // cost dominates reading millions of rows one by one); JSON keeps any text intact.
      const rows = await sql<{ postings: string }>`
        SELECT json_agg(json_build_array(p.entry_id, e.key, e.period, e.source_kind, e.source_ref, p.account, p.currency, p.amount, p.track_id, p.memo)
                        ORDER BY e.period, e.created_at, p.entry_id, p.line)::text AS postings
        FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id
        WHERE p.org_id = ${orgId} AND p.account LIKE 'payable:holder:%' AND e.period <= ${upToPeriod}
        GROUP BY p.account ORDER BY p.account`.execute(db);
      return rows.rows.flatMap((r) =>
        (JSON.parse(r.postings) as Array<[string, string, string, string, string, string, string, number | string, string | null, string | null]>).map(([entry_id, key, period, source_kind, source_ref, account, currency, amount, track_id, memo]) =>
          storedPosting({ entry_id, key, period, source_kind, source_ref, account, currency, amount, track_id, memo }),
        ),
      );
    },
    async postingsOf(orgId, account) {
      const rows = await db
        .selectFrom('ledger_postings as p')
        .innerJoin('ledger_entries as e', 'e.id', 'p.entry_id')
        .select(['p.entry_id', 'e.key', 'e.period', 'e.source_kind', 'e.source_ref', 'p.account', 'p.currency', 'p.amount', 'p.track_id', 'p.memo'])
        .where('p.org_id', '=', orgId)
        .where('p.account', '=', account)
        .orderBy('e.period')
        .orderBy('e.created_at')
        .orderBy('p.entry_id')
        .orderBy('p.line')
        .execute();
      return rows.map(storedPosting);
    },
    async verify(orgId) {
      const counts = await sql<{ entries: string; postings: string }>`
        SELECT (SELECT count(*) FROM ledger_entries WHERE org_id = ${orgId}) AS entries, (SELECT count(*) FROM ledger_postings WHERE org_id = ${orgId}) AS postings`.execute(db);
      const unbalanced = await sql<{ key: string }>`
        SELECT e.key FROM ledger_entries e JOIN ledger_postings p ON p.entry_id = e.id
        WHERE e.org_id = ${orgId} GROUP BY e.key, p.currency HAVING sum(p.amount) <> 0
        UNION SELECT e.key FROM ledger_entries e LEFT JOIN ledger_postings p ON p.entry_id = e.id
        WHERE e.org_id = ${orgId} GROUP BY e.key HAVING count(p.line) < 2`.execute(db);
      const orphans = await sql<{ n: string }>`
        SELECT count(*) AS n FROM ledger_postings p LEFT JOIN ledger_entries e ON e.id = p.entry_id
        WHERE p.org_id = ${orgId} AND (e.id IS NULL OR e.org_id <> p.org_id)`.execute(db);
      const mismatched = await sql<{ account: string; currency: string; kept: string | null; posted: string | null }>`
        SELECT coalesce(b.account, s.account) AS account, coalesce(b.currency, s.currency) AS currency, b.balance AS kept, s.posted
        FROM (SELECT account, currency, balance FROM ledger_balances WHERE org_id = ${orgId}) b
        FULL JOIN (SELECT account, currency, sum(amount) AS posted FROM ledger_postings WHERE org_id = ${orgId} GROUP BY account, currency) s
          ON s.account = b.account AND s.currency = b.currency
        WHERE b.balance IS DISTINCT FROM s.posted`.execute(db);
      return {
        entries: Number(counts.rows[0]!.entries),
        postings: Number(counts.rows[0]!.postings),
        unbalanced: [...new Set(unbalanced.rows.map((r) => r.key))].sort(),
        orphanPostings: Number(orphans.rows[0]!.n),
        mismatched: mismatched.rows.map((r) => ({ account: r.account, currency: r.currency, kept: Number(r.kept ?? 0), posted: Number(r.posted ?? 0) })),
      };
    },
    async splitsOf(trackIds) {
      const out = new Map<string, TrackSplits>();
      for (const id of trackIds) out.set(id, { master: [], publishing: [] });
      for (let i = 0; i < trackIds.length; i += CHUNK) {
        const rows = await db.selectFrom('splits').select(['track_id', 'kind', 'rights_holder_id', 'share_ppm']).where('track_id', 'in', trackIds.slice(i, i + CHUNK)).orderBy('track_id').orderBy('rights_holder_id').execute();
        for (const r of rows) {
          const s = out.get(r.track_id)!;
          (r.kind === 'publishing' ? s.publishing : s.master).push({ holderId: r.rights_holder_id, sharePpm: r.share_ppm });
        }
      }
      return out;
    },
    async splitsAsOf(tracks) {
      const out = new Map<string, TrackSplits>();
      for (let i = 0; i < tracks.length; i += CHUNK) {
        const part = tracks.slice(i, i + CHUNK);
        for (const t of part) out.set(`${t.trackId}@${t.at}`, { master: [], publishing: [] });
        // Per track, instant and kind, the version in force then (else the earliest one). PostgreSQL
        // plans the join over the whole table and sorts all of it for every chunk (200,000
        // tracks: 25 s), so there each is found through the key (track, kind, from) instead
        // (5.5 s); on PGlite the join is the quicker of the two (8.0 s against 9.6 s).
        const pairs = sql`unnest(${part.map((t) => t.trackId)}::uuid[], ${part.map((t) => t.at)}::timestamptz[]) AS q(track_id, at)`;
        const inForce = (v: string) => sql.raw(`(${v}.valid_from <= q.at) DESC, CASE WHEN ${v}.valid_from <= q.at THEN ${v}.valid_from END DESC, ${v}.valid_from`);
        const rows =
          engine === 'pglite'
            ? await sql<{ track_id: string; at: Date | string; kind: string; shares: unknown }>`
                SELECT DISTINCT ON (q.track_id, q.at, v.kind) q.track_id, q.at, v.kind, v.shares
                FROM ${pairs} JOIN split_versions v ON v.track_id = q.track_id
                ORDER BY q.track_id, q.at, v.kind, ${inForce('v')}`.execute(db)
            : await sql<{ track_id: string; at: Date | string; kind: string; shares: unknown }>`
                SELECT q.track_id, q.at, k.kind, v.shares
                FROM ${pairs} CROSS JOIN (VALUES ('master'), ('publishing')) AS k(kind)
                CROSS JOIN LATERAL (SELECT s.shares FROM split_versions s WHERE s.track_id = q.track_id AND s.kind = k.kind ORDER BY ${inForce('s')} LIMIT 1) v`.execute(db);
        for (const r of rows.rows) {
          const s = out.get(`${r.track_id}@${iso(r.at)}`);
          if (!s) continue;
          const shares = parseJson(r.shares) as Array<{ holderId: string; sharePpm: number }>;
          (r.kind === 'publishing' ? s.publishing : s.master).push(...shares);
        }
      }
      return out;
    },
    async periodStreams(orgId, from, to, perListener) {
      const out = new PeriodStreams();
      if (perListener) await streamsPerListener(db, engine, orgId, from, to, out);
      else await streamsPerTrack(db, orgId, from, to, out);
      // Days already folded into daily counts by retention (their raw events are gone, so nothing counts twice).
      const folded = await sql<{ service: string; country: string | null; track_id: string; streams: string; flagged: string }>`
        SELECT d.service, d.country, t.id AS track_id, sum(d.streams) AS streams, sum(d.flagged) AS flagged
        FROM stream_daily d JOIN tracks t ON t.org_id = d.org_id AND t.isrc = d.isrc
        WHERE d.org_id = ${orgId} AND d.day >= ${from.slice(0, 10)} AND d.day < ${to.slice(0, 10)}
        GROUP BY d.service, d.country, t.id`.execute(db);
      for (const r of folded.rows) out.add({ service: r.service, country: r.country, listener: FOLDED, trackId: r.track_id, valid: Number(r.streams) - Number(r.flagged), flagged: Number(r.flagged) });
      return out;
    },
    async licenceTracks(orgId, licenceId) {
      if (!isUuid(licenceId)) return null;
      const licence = await db.selectFrom('licenses').select(['id', 'licensee_id']).where('org_id', '=', orgId).where('id', '=', licenceId).executeTakeFirst();
      if (!licence) return null;
      const rows = await db
        .selectFrom('manifest_entries as m')
        .innerJoin('manifests as h', 'h.id', 'm.manifest_id')
        .select(['m.track_id', (eb) => eb.fn.max('m.duration_ms').as('duration_ms'), (eb) => eb.fn.min('h.issued_at').as('issued_at')])
        .where('h.org_id', '=', orgId)
        .where('h.license_id', '=', licenceId)
        .groupBy('m.track_id')
        .orderBy('m.track_id')
        .execute();
      return { licenseeId: licence.licensee_id, tracks: rows.map((r) => ({ trackId: r.track_id, durationMs: r.duration_ms, issuedAt: iso(r.issued_at)! })) };
    },
    async outputAttributions(orgId, outputIds) {
      const out = new Map<string, OutputForRevenue>();
      const ids = [...new Set(outputIds.filter(isUuid))];
      const manifests = new Map<string, string[]>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const part = ids.slice(i, i + CHUNK);
        const outputs = await db.selectFrom('outputs').select(['id', 'licensee_id', 'run_id']).where('org_id', '=', orgId).where('id', 'in', part).execute();
        const latest = await sql<{ output_id: string; result: unknown }>`
          SELECT DISTINCT ON (output_id) output_id, result FROM attributions WHERE output_id IN (${sql.join(part)}) ORDER BY output_id, version DESC`.execute(db);
        const results = new Map(latest.rows.map((r) => [r.output_id, parseJson(r.result) as OutputAttribution]));
        const runs = [...new Set(outputs.map((o) => o.run_id).filter((r): r is string => r !== null))];
        const manifestOfRun = new Map<string, string>();
        if (runs.length > 0) for (const r of await db.selectFrom('training_runs').select(['id', 'manifest_id']).where('id', 'in', runs).execute()) manifestOfRun.set(r.id, r.manifest_id);
        for (const m of new Set(manifestOfRun.values())) {
          if (!manifests.has(m)) manifests.set(m, (await db.selectFrom('manifest_entries').select('track_id').where('manifest_id', '=', m).execute()).map((r) => r.track_id));
        }
        for (const o of outputs) {
          const result = results.get(o.id);
          if (!result) continue;
          const manifest = o.run_id ? manifestOfRun.get(o.run_id) : undefined;
          out.set(o.id, { licenseeId: o.licensee_id, manifestTracks: manifest ? manifests.get(manifest)! : [], result });
        }
      }
      return out;
    },
    async artistPostings(orgId, artistId, period) {
      if (!isUuid(artistId)) return [];
      const rows = await sql<{ track_id: string; title: string; account: string; memo: string | null; source_kind: string; currency: string; amount: string }>`
        SELECT p.track_id, t.title, p.account, p.memo, e.source_kind, p.currency, sum(p.amount) AS amount
        FROM ledger_postings p JOIN ledger_entries e ON e.id = p.entry_id JOIN tracks t ON t.id = p.track_id
        WHERE p.org_id = ${orgId} AND e.period = ${period} AND t.artist_id = ${artistId} AND p.account LIKE 'payable:holder:%'
        GROUP BY p.track_id, t.title, p.account, p.memo, e.source_kind, p.currency
        ORDER BY t.title, p.track_id, p.account, p.memo, e.source_kind`.execute(db);
      return rows.rows.map((r) => ({ trackId: r.track_id, title: r.title, holderId: r.account.slice('payable:holder:'.length), right: r.memo ?? '', sourceKind: r.source_kind, currency: r.currency, amount: -Number(r.amount) }));
    },
    async holderNames(orgId, ids) {
      const out = new Map<string, string>();
      const valid = ids.filter(isUuid);
      for (let i = 0; i < valid.length; i += CHUNK) {
        for (const r of await db.selectFrom('rights_holders').select(['id', 'name']).where('org_id', '=', orgId).where('id', 'in', valid.slice(i, i + CHUNK)).execute()) out.set(r.id, r.name);
      }
      return out;
    },
  };
}
