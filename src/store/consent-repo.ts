// ConsentStore over Kysely: rule versions, partner signals, and the track-to-scope lookups
// evaluation needs (a track with its release, artist and every rights holder in its splits).

import { sql, type Kysely, type Selectable } from 'kysely';
import type { ConsentRule, ConsentSignal, ConsentStore, ConsentTerm, Level, TrackScopes, Use } from '../consent/index.ts';
import type { ConsentRulesTable, ConsentSignalsTable, Database } from './schema.ts';
import { iso, isUuid, parseJson } from './rows.ts';

const toRule = (r: Selectable<ConsentRulesTable>): ConsentRule => ({
  version: Number(r.version),
  orgId: r.org_id,
  level: r.level as Level,
  scopeId: r.scope_id,
  use: r.use as Use,
  state: r.state as ConsentRule['state'],
  terms: parseJson(r.terms) as ConsentTerm[],
  effectiveAt: iso(r.effective_at)!,
  recordedAt: iso(r.recorded_at)!,
  author: r.author,
  authorRole: r.author_role,
  authorSubject: r.author_subject,
  authorKeyIssuedBy: r.author_key_issued_by,
  note: r.note,
});

const toSignal = (r: Selectable<ConsentSignalsTable>): ConsentSignal => ({
  id: Number(r.id),
  trackId: r.track_id,
  use: r.use as Use,
  reserved: r.reserved,
  format: r.format as ConsentSignal['format'],
  source: r.source,
  rule: r.rule,
  policy: r.policy,
  observedAt: iso(r.observed_at)!,
});

type ScopeRow = { id: string; isrc: string | null; release_id: string | null; artist_id: string | null; holders: string | null };
const toScopes = (r: ScopeRow): TrackScopes => ({
  trackId: r.id,
  isrc: r.isrc ?? '',
  releaseId: r.release_id,
  artistId: r.artist_id,
  rightsHolderIds: r.holders ? [...new Set(r.holders.split(','))].sort() : [],
});

export function consentRepo(db: Kysely<Database>): ConsentStore {
  const scopes = () =>
    db
      .selectFrom('tracks as t')
      .select(['t.id', 't.isrc', 't.release_id', 't.artist_id', sql<string | null>`(select string_agg(s.rights_holder_id::text, ',') from splits s where s.track_id = t.id)`.as('holders')]);
  return {
    async insertRule(rule) {
      const row = await db
        .insertInto('consent_rules')
        .values({
          org_id: rule.orgId,
          level: rule.level,
          scope_id: rule.scopeId,
          use: rule.use,
          state: rule.state,
          terms: JSON.stringify(rule.terms),
          effective_at: rule.effectiveAt,
          recorded_at: rule.recordedAt,
          author: rule.author,
          author_role: rule.authorRole,
          author_subject: rule.authorSubject,
          author_key_issued_by: rule.authorKeyIssuedBy ?? null,
          note: rule.note,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toRule(row);
    },
    async rulesForScopes(orgId, scopeIds) {
      const ids = scopeIds.filter(isUuid);
      if (ids.length === 0) return [];
      // One array parameter, not thousands of bound values: both engines plan it as one scan.
      const rows = await db.selectFrom('consent_rules').selectAll().where('org_id', '=', orgId).where(sql<boolean>`scope_id = any(${ids}::uuid[])`).orderBy('version').execute();
      return rows.map(toRule);
    },
    async scopesByIsrc(orgId, isrcs) {
      if (isrcs.length === 0) return [];
      const rows = await scopes().where('t.org_id', '=', orgId).where(sql<boolean>`t.isrc = any(${isrcs}::text[])`).execute();
      return rows.map(toScopes);
    },
    async tracksUnder(orgId, level, scopeId) {
      if (!isUuid(scopeId)) return [];
      let q = scopes().where('t.org_id', '=', orgId);
      if (level === 'track') q = q.where('t.id', '=', scopeId);
      else if (level === 'release') q = q.where('t.release_id', '=', scopeId);
      else if (level === 'artist') q = q.where('t.artist_id', '=', scopeId);
      else q = q.where('t.id', 'in', db.selectFrom('splits').select('track_id').where('rights_holder_id', '=', scopeId));
      return (await q.execute()).map(toScopes);
    },
    async scopeExists(orgId, level, scopeId) {
      if (!isUuid(scopeId)) return false;
      const table = ({ track: 'tracks', release: 'releases', artist: 'artists', rights_holder: 'rights_holders' } as const)[level];
      const row = await db.selectFrom(table).select('id').where('org_id', '=', orgId).where('id', '=', scopeId).executeTakeFirst();
      return row !== undefined;
    },
    async insertSignals(orgId, signals) {
      if (signals.length === 0) return;
      await db
        .insertInto('consent_signals')
        .values(
          signals.map((s) => ({
            org_id: orgId,
            track_id: s.trackId,
            use: s.use,
            reserved: s.reserved,
            format: s.format,
            source: s.source,
            rule: s.rule,
            policy: s.policy,
            observed_at: s.observedAt,
          })),
        )
        .execute();
    },
    async signalsFor(orgId, trackIds) {
      if (trackIds.length === 0) return [];
      const rows = await db.selectFrom('consent_signals').selectAll().where('org_id', '=', orgId).where(sql<boolean>`track_id = any(${trackIds}::uuid[])`).orderBy('id').execute();
      return rows.map(toSignal);
    },
    async signalsAfter(orgId, id) {
      const rows = await db.selectFrom('consent_signals').selectAll().where('org_id', '=', orgId).where('id', '>', id).orderBy('id').execute();
      return rows.map(toSignal);
    },
    async rulesAfter(orgId, version) {
      const rows = await db.selectFrom('consent_rules').selectAll().where('org_id', '=', orgId).where('version', '>', version).orderBy('version').execute();
      return rows.map(toRule);
    },
    async heads(orgId) {
      const r = await sql<{ a: string | null; r: string | null; s: string | null }>`
        select (select max(seq) from audit_log where org_id = ${orgId}) as a,
               (select max(version) from consent_rules where org_id = ${orgId}) as r,
               (select max(id) from consent_signals where org_id = ${orgId}) as s`.execute(db);
      const row = r.rows[0]!;
      return { auditSeq: Number(row.a ?? 0), ruleVersion: Number(row.r ?? 0), signalId: Number(row.s ?? 0) };
    },
    async subjectsBetween(orgId, afterSeq, upToSeq, limit) {
      const rows = await db
        .selectFrom('audit_log')
        .select('subject')
        .distinct()
        .where('org_id', '=', orgId)
        .where('seq', '>', afterSeq)
        .where('seq', '<=', upToSeq)
        .limit(limit)
        .execute();
      return rows.map((r) => r.subject ?? '');
    },
    async scopesOfTracks(orgId, trackIds) {
      const ids = trackIds.filter(isUuid);
      if (ids.length === 0) return [];
      return (await scopes().where('t.org_id', '=', orgId).where(sql<boolean>`t.id = any(${ids}::uuid[])`).execute()).map(toScopes);
    },
    async listScopes(orgId, afterIsrc, limit) {
      const rows = await scopes().where('t.org_id', '=', orgId).where('t.isrc', 'is not', null).where('t.isrc', '>', afterIsrc).orderBy('t.isrc').limit(limit).execute();
      return rows.map(toScopes);
    },
  };
}
