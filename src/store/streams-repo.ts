// StreamStore over Kysely: pseudonymous stream events, findings and the streams they flag,
// daily aggregates, listener consents.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { StoredEvent, StoredFinding, StreamStore } from '../streams/store.ts';
import { appendRows, unnestRows, type Column } from './append-rows.ts';
import type { Engine } from './open.ts';
import { pgErrorCode, UNIQUE_VIOLATION } from './pg-errors.ts';
import { iso, isoDate, isUuid, parseJson } from './rows.ts';
import type { Database, StreamEventsTable, StreamFindingsTable } from './schema.ts';

/** Rows per INSERT: 12 parameters each stays far below PostgreSQL's 65,535. */
const CHUNK = 2_000;
/** Events per insert statement: the embedded engine runs on the event loop, so one statement holds it about 0.1 s at most. */
const INSERT_ROWS = 5_000;
const EVENT_COLUMNS: Column[] = [
  { name: 'org_id', type: 'uuid' },
  { name: 'event_id', type: 'text' },
  { name: 'listener', type: 'text' },
  { name: 'client', type: 'text' },
  { name: 'epoch', type: 'int' },
  { name: 'isrc', type: 'text' },
  { name: 'track_id', type: 'uuid' },
  { name: 'started_at', type: 'timestamptz' },
  { name: 'ms_played', type: 'int' },
  { name: 'country', type: 'text' },
  { name: 'service', type: 'text' },
  { name: 'context', type: 'text' },
];
const eventRow = (e: StoredEvent) => [e.orgId, e.eventId, e.listener, e.client, e.epoch, e.isrc, e.trackId, e.startedAt, e.msPlayed, e.country, e.service, e.context];

function toFinding(r: Selectable<StreamFindingsTable>): StoredFinding {
  return {
    id: r.id,
    orgId: r.org_id,
    key: r.key,
    kind: r.kind,
    periodFrom: iso(r.period_from)!,
    periodTo: iso(r.period_to)!,
    accounts: parseJson(r.accounts) as string[],
    tracks: parseJson(r.tracks) as string[],
    streams: r.streams,
    evidence: parseJson(r.evidence) as Record<string, unknown>,
    status: r.status as StoredFinding['status'],
    reviewedBy: r.reviewed_by,
    reviewedAt: iso(r.reviewed_at),
    note: r.note,
    createdAt: iso(r.created_at)!,
  };
}

function toEvent(r: Selectable<StreamEventsTable>): StoredEvent {
  return {
    orgId: r.org_id,
    eventId: r.event_id,
    listener: r.listener,
    client: r.client,
    epoch: r.epoch,
    isrc: r.isrc,
    trackId: r.track_id,
    startedAt: iso(r.started_at)!,
    msPlayed: r.ms_played,
    country: r.country,
    service: r.service,
    context: r.context,
  };
}

/**
 * Before reading events by time: summarise the block ranges written since the last read into
 * the BRIN index (unsummarised ranges match every query, so a day's read would visit the whole
 * table) and refresh the planner's statistics (without them it reads a day through the primary
 * key, all of the organisation's events). PostgreSQL's autovacuum does both in time; PGlite has
 * none. Cheap when little is new.
 */
export async function readyForTimeRanges(db: Kysely<Database>) {
  await sql`SELECT brin_summarize_new_values('stream_events_started')`.execute(db);
  await sql`ANALYZE stream_events`.execute(db);
}

/** Methods that write several tables expect the caller's transaction (store.transaction). */
export function streamsRepo(db: Kysely<Database>, engine: Engine): StreamStore {
  /**
   * One statement per chunk with a column of values per array parameter (unnest): the engine
   * parses twelve parameters, not twelve per row; events already held are left alone.
   */
  const insertOrSkip = async (part: StoredEvent[]) => {
    const r = await sql`
      INSERT INTO stream_events (${sql.raw(EVENT_COLUMNS.map((c) => c.name).join(', '))}) ${unnestRows(EVENT_COLUMNS, part.map(eventRow))}
      ON CONFLICT (org_id, event_id) DO NOTHING`.execute(db);
    return Number(r.numAffectedRows ?? 0);
  };
  /**
   * On the embedded engine COPY appends rows at about twice the rate of any INSERT, but cannot
   * skip the ones already held: those are looked up first (one index probe each) and left out.
   * Should another ingest add some of the same events in between, the COPY fails whole and the
   * chunk goes the INSERT way. Outside a transaction only (ingest's own statements).
   */
  const appendNew = async (part: StoredEvent[]) => {
    const orgId = part[0]!.orgId;
    if (part.some((e) => e.orgId !== orgId)) return insertOrSkip(part);
    const held = await sql<{ event_id: string }>`SELECT event_id FROM stream_events WHERE org_id = ${orgId} AND event_id = ANY(${part.map((e) => e.eventId)}::text[])`.execute(db);
    const heldIds = new Set(held.rows.map((r) => r.event_id));
    const fresh = heldIds.size === 0 ? part : part.filter((e) => !heldIds.has(e.eventId));
    try {
      await appendRows(db, engine, 'stream_events', EVENT_COLUMNS, fresh.map(eventRow));
      return fresh.length;
    } catch (err) {
      if (pgErrorCode(err) !== UNIQUE_VIOLATION) throw err;
      return insertOrSkip(part);
    }
  };
  return {
    async insertEvents(rows) {
      let added = 0;
      for (let i = 0; i < rows.length; i += INSERT_ROWS) {
        const part = rows.slice(i, i + INSERT_ROWS);
        added += engine === 'pglite' ? await appendNew(part) : await insertOrSkip(part);
      }
      return added;
    },
    async tracksByIsrc(orgId, isrcs) {
      const out = new Map<string, { trackId: string; artistId: string | null }>();
      for (let i = 0; i < isrcs.length; i += CHUNK) {
        const rows = await db.selectFrom('tracks').select(['id', 'isrc', 'artist_id']).where('org_id', '=', orgId).where('isrc', 'in', isrcs.slice(i, i + CHUNK)).execute();
        for (const r of rows) if (r.isrc) out.set(r.isrc, { trackId: r.id, artistId: r.artist_id });
      }
      return out;
    },
    async periodPlays(orgId, from, to, minMs) {
      await readyForTimeRanges(db);
      // Read as one text per day and parsed here: rows one by one cost the engine far more than
      // the scan itself (10 million plays). Fields are tab-separated; none can hold a tab
      // (event ids and pseudonyms are checked on the way in, ISRCs are fixed). Listeners and
      // ISRCs are numbered as they are read, so each distinct one is held once.
      const eventIds: string[] = [];
      const listener: number[] = [];
      const isrc: number[] = [];
      const at: number[] = [];
      const ms: number[] = [];
      const listeners = new Map<string, number>();
      const isrcs = new Map<string, number>();
      const number = (names: Map<string, number>, name: string) => {
        let n = names.get(name);
        if (n === undefined) names.set(name, (n = names.size));
        return n;
      };
      const start = Date.parse(from);
      const end = Date.parse(to);
      for (let day = start; day < end; day += 86_400_000) {
        const next = new Date(Math.min(end, day + 86_400_000)).toISOString();
        const r = await sql<{ plays: string | null }>`
          SELECT string_agg(event_id || chr(9) || listener || chr(9) || isrc || chr(9) ||
                            (extract(epoch FROM started_at) * 1000)::bigint || chr(9) || ms_played, chr(10)) AS plays
          FROM stream_events
          WHERE org_id = ${orgId} AND started_at >= ${new Date(day).toISOString()} AND started_at < ${next} AND ms_played >= ${minMs}`.execute(db);
        const text = r.rows[0]?.plays;
        if (!text) continue;
        for (let pos = 0; pos < text.length; ) {
          const t1 = text.indexOf('\t', pos);
          const t2 = text.indexOf('\t', t1 + 1);
          const t3 = text.indexOf('\t', t2 + 1);
          const t4 = text.indexOf('\t', t3 + 1);
          let eol = text.indexOf('\n', t4 + 1);
          if (eol < 0) eol = text.length;
          eventIds.push(text.slice(pos, t1));
          listener.push(number(listeners, text.slice(t1 + 1, t2)));
          isrc.push(number(isrcs, text.slice(t2 + 1, t3)));
          at.push(Number(text.slice(t3 + 1, t4)) / 1000);
          ms.push(Number(text.slice(t4 + 1, eol)));
          pos = eol + 1;
        }
      }
      const isrcNames = [...isrcs.keys()];
      const tracks = await this.tracksByIsrc(orgId, isrcNames);
      return {
        eventIds,
        listener: Int32Array.from(listener),
        listeners: [...listeners.keys()],
        isrc: Int32Array.from(isrc),
        isrcs: isrcNames,
        artists: isrcNames.map((i) => tracks.get(i)?.artistId ?? null),
        at: Float64Array.from(at),
        msPlayed: Int32Array.from(ms),
      };
    },
    async insertFinding(f, eventIds) {
              const inserted = await db
          .insertInto('stream_findings')
          .values({
            id: f.id,
            org_id: f.orgId,
            key: f.key,
            kind: f.kind,
            period_from: f.periodFrom,
            period_to: f.periodTo,
            accounts: JSON.stringify(f.accounts),
            tracks: JSON.stringify(f.tracks),
            streams: f.streams,
            evidence: JSON.stringify(f.evidence),
            status: f.status,
            created_at: f.createdAt,
          })
          .onConflict((oc) => oc.columns(['org_id', 'key']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
          for (let i = 0; i < eventIds.length; i += CHUNK * 4) {
            await db
              .insertInto('stream_flags')
              .values(eventIds.slice(i, i + CHUNK * 4).map((event_id) => ({ org_id: f.orgId, finding_id: f.id, event_id })))
              .execute();
          }
        }
        return toFinding(await db.selectFrom('stream_findings').selectAll().where('org_id', '=', f.orgId).where('key', '=', f.key).executeTakeFirstOrThrow());
    },
    async getFinding(orgId, id) {
      if (!isUuid(id)) return null;
      const r = await db.selectFrom('stream_findings').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return r ? toFinding(r) : null;
    },
    async listFindings(orgId, opts) {
      let q = db.selectFrom('stream_findings').selectAll().where('org_id', '=', orgId);
      if (opts.status) q = q.where('status', '=', opts.status);
      return (await q.orderBy('created_at', 'desc').orderBy('id').limit(opts.limit).execute()).map(toFinding);
    },
    async reviewFinding(orgId, id, status, by, at, note) {
      if (!isUuid(id)) return false;
      const r = await db
        .updateTable('stream_findings')
        .set({ status, reviewed_by: by, reviewed_at: at, note })
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async flaggedEvents(orgId, from, to) {
      const rows = await db
        .selectFrom('stream_flags as f')
        .innerJoin('stream_findings as s', 's.id', 'f.finding_id')
        .innerJoin('stream_events as e', (j) => j.onRef('e.org_id', '=', 'f.org_id').onRef('e.event_id', '=', 'f.event_id'))
        .select('f.event_id')
        .distinct()
        .where('f.org_id', '=', orgId)
        .where('s.status', '!=', 'cleared')
        .where('e.started_at', '>=', from)
        .where('e.started_at', '<', to)
        .orderBy('f.event_id')
        .execute();
      return rows.map((r) => r.event_id);
    },
    async foldBefore(orgId, cutoff) {
      await readyForTimeRanges(db);
      await sql`
        INSERT INTO stream_daily (org_id, day, isrc, country, service, streams, flagged)
        SELECT e.org_id, (e.started_at AT TIME ZONE 'UTC')::date, e.isrc, coalesce(e.country, '--'), e.service,
               count(*) FILTER (WHERE e.ms_played >= 30000),
               count(*) FILTER (WHERE e.ms_played >= 30000 AND EXISTS (
                 SELECT 1 FROM stream_flags f JOIN stream_findings s ON s.id = f.finding_id
                 WHERE f.org_id = e.org_id AND f.event_id = e.event_id AND s.status != 'cleared'))
        FROM stream_events e
        WHERE e.org_id = ${orgId} AND e.started_at < ${cutoff}
        GROUP BY 1, 2, 3, 4, 5
        ON CONFLICT (org_id, day, isrc, country, service)
        DO UPDATE SET streams = stream_daily.streams + excluded.streams, flagged = stream_daily.flagged + excluded.flagged`.execute(db);
      const r = await db.deleteFrom('stream_events').where('org_id', '=', orgId).where('started_at', '<', cutoff).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async daily(orgId, from, to) {
      const rows = await db.selectFrom('stream_daily').selectAll().where('org_id', '=', orgId).where('day', '>=', from).where('day', '<', to).orderBy('day').orderBy('isrc').orderBy('country').orderBy('service').execute();
      return rows.map((r) => ({ day: isoDate(r.day as Date | string)!, isrc: r.isrc, country: r.country, service: r.service, streams: r.streams, flagged: r.flagged }));
    },
    async eventsOf(orgId, listeners) {
      if (listeners.length === 0) return [];
      return (await db.selectFrom('stream_events').selectAll().where('org_id', '=', orgId).where('listener', 'in', listeners).orderBy('started_at').orderBy('event_id').execute()).map(toEvent);
    },
    async consentsOf(orgId, listeners) {
      if (listeners.length === 0) return [];
      const rows = await db.selectFrom('listener_consents').selectAll().where('org_id', '=', orgId).where('listener', 'in', listeners).orderBy('purpose').execute();
      return rows.map((r) => ({ listener: r.listener, purpose: r.purpose, state: r.state, updatedAt: iso(r.updated_at)! }));
    },
    async findingsNaming(orgId, listeners) {
      const all = await db.selectFrom('stream_findings').selectAll().where('org_id', '=', orgId).execute();
      const wanted = new Set(listeners);
      return all.map(toFinding).filter((f) => f.accounts.some((a) => wanted.has(a)));
    },
    async erase(orgId, listeners) {
      if (listeners.length === 0) return { events: 0, consents: 0, findings: 0 };
      const gone = await db.deleteFrom('stream_events').where('org_id', '=', orgId).where('listener', 'in', listeners).returning('event_id').execute();
      const ids = gone.map((r) => r.event_id);
      for (let i = 0; i < ids.length; i += CHUNK) await db.deleteFrom('stream_flags').where('org_id', '=', orgId).where('event_id', 'in', ids.slice(i, i + CHUNK)).execute();
      const consents = await db.deleteFrom('listener_consents').where('org_id', '=', orgId).where('listener', 'in', listeners).returning('purpose').execute();
      const wanted = new Set(listeners);
      let findings = 0;
      for (const r of await db.selectFrom('stream_findings').select(['id', 'accounts']).where('org_id', '=', orgId).execute()) {
        const accounts = parseJson(r.accounts) as string[];
        if (!accounts.some((a) => wanted.has(a))) continue;
        await db.updateTable('stream_findings').set({ accounts: JSON.stringify(accounts.filter((a) => !wanted.has(a))) }).where('id', '=', r.id).execute();
        findings++;
      }
      return { events: ids.length, consents: consents.length, findings };
    },
    async setConsent(orgId, listener, purpose, state, at) {
      await db
        .insertInto('listener_consents')
        .values({ org_id: orgId, listener, purpose, state, updated_at: at })
        .onConflict((oc) => oc.columns(['org_id', 'listener', 'purpose']).doUpdateSet({ state, updated_at: at }))
        .execute();
    },
    async audience(orgId, isrcs, from, to) {
      if (isrcs.length === 0) return [];
      const rows = await sql<{ isrc: string; country: string; listeners: string | number }>`
        SELECT isrc, country, count(*) AS listeners FROM (
          SELECT DISTINCT ON (isrc, listener) isrc, listener, coalesce(country, '--') AS country
          FROM stream_events
          WHERE org_id = ${orgId} AND started_at >= ${from} AND started_at < ${to} AND ms_played >= 30000
            AND isrc IN (${sql.join(isrcs)})
          ORDER BY isrc, listener, started_at) first_plays
        GROUP BY isrc, country`.execute(db);
      return rows.rows.map((r) => ({ isrc: r.isrc, country: r.country, listeners: Number(r.listeners) }));
    },
    async spendBudget(orgId, recipient, month, milli, limitMilli) {
      if (milli > limitMilli) return null;
      const r = await sql<{ spent_milli: number }>`
        INSERT INTO privacy_budget (org_id, recipient, month, spent_milli) VALUES (${orgId}, ${recipient}, ${month}, ${milli})
        ON CONFLICT (org_id, recipient, month) DO UPDATE SET spent_milli = privacy_budget.spent_milli + excluded.spent_milli
        WHERE privacy_budget.spent_milli + excluded.spent_milli <= ${limitMilli}
        RETURNING spent_milli`.execute(db);
      return r.rows[0]?.spent_milli ?? null;
    },
  };
}
