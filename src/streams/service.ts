// Streams: taking in partners' stream events under pseudonyms, scanning a period for
// artificial streaming, reviewing what a scan found, and folding old events into aggregates.

import { createHash } from 'node:crypto';
import { appendAudit, type AuditStore } from '../audit/index.ts';
import type { Pseudonymizer } from '../privacy/pseudonyms.ts';
import { LedgerlineError, type Caller, type Clock, type Transactor } from '../shared/index.ts';
import { detectAll, type Plays } from './detect/index.ts';
import { StreamErrors } from './errors.ts';
import { COUNTED_MS, parseCsv, parseNdjson, type LineError } from './events.ts';
import type { FindingStatus, PeriodPlays, StoredEvent, StoredFinding, StreamStore } from './store.ts';

export type StreamRepos = { streams: StreamStore; audit: AuditStore };

export interface StreamsDeps {
  store: Transactor<StreamRepos>;
  clock: Clock;
  pseudonyms: Pseudonymizer;
  newId: () => string;
  /** Days raw events are kept before they are folded into daily aggregates (default 90). */
  retentionDays?: number;
  /**
   * Sets free what a cleared finding's streams had withheld (royalties: the runtime wires it).
   * It runs after the review commits; a month it cannot release is reported, not thrown, and
   * can be released later (`royalties release`): the money waits in the withheld account.
   */
  onCleared?: (caller: Caller, finding: FindingView) => Promise<ReleaseOutcome[]>;
}

/** What clearing a finding released in one month, or why it could not. */
export type ReleaseOutcome = { period: string; postedIn: string; currency: string; amount: number } | { period: string; failed: string };

export const DEFAULT_RETENTION_DAYS = 90;
/** A scan covers at most this many days: one billing period and then some. */
const MAX_PERIOD_DAYS = 92;

export interface IngestReport {
  received: number;
  accepted: number;
  duplicates: number;
  unknownIsrcs: { count: number; sample: string[] };
  errors: LineError[];
}

/** Reads a batch (NDJSON or CSV), pseudonymises it at once, and stores what is new. */
export async function ingestStreams(deps: StreamsDeps, caller: Caller, body: string, format: 'ndjson' | 'csv'): Promise<IngestReport> {
  const now = deps.clock.now().getTime();
  const parsed = format === 'csv' ? parseCsv(body, now) : parseNdjson(body, now);
  const repos = deps.store.repos;
  const tracks = await repos.streams.tracksByIsrc(caller.orgId, [...new Set(parsed.events.map((e) => e.isrc))]);
  const epoch = deps.pseudonyms.epoch;
  const cache = new Map<string, string>();
  const pseudonym = (kind: 'listener' | 'client', id: string) => {
    const key = `${kind}\0${id}`;
    let p = cache.get(key);
    if (p === undefined) cache.set(key, (p = deps.pseudonyms.pseudonym(kind, id, epoch)));
    return p;
  };
  const seen = new Set<string>();
  const rows: StoredEvent[] = [];
  const unknown = new Set<string>();
  for (const e of parsed.events) {
    if (seen.has(e.eventId)) continue;
    seen.add(e.eventId);
    const track = tracks.get(e.isrc);
    if (!track) unknown.add(e.isrc);
    rows.push({
      orgId: caller.orgId,
      eventId: e.eventId,
      listener: pseudonym('listener', e.listener),
      client: e.client === null ? null : pseudonym('client', e.client),
      epoch,
      isrc: e.isrc,
      trackId: track?.trackId ?? null,
      startedAt: e.startedAt,
      msPlayed: e.msPlayed,
      country: e.country,
      service: e.service,
      context: e.context,
    });
  }
  const accepted = await repos.streams.insertEvents(rows);
  return {
    received: parsed.events.length + parsed.errors.length,
    accepted,
    duplicates: parsed.events.length - accepted,
    unknownIsrcs: { count: unknown.size, sample: [...unknown].sort().slice(0, 20) },
    errors: parsed.errors,
  };
}

export interface Period {
  from: string;
  to: string;
}

export function checkPeriod(p: { from: string; to: string }): Period {
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  if (Number.isNaN(from) || Number.isNaN(to)) throw new LedgerlineError(StreamErrors.BAD_PERIOD, 'from and to must be dates (YYYY-MM-DD or ISO 8601)');
  if (to <= from) throw new LedgerlineError(StreamErrors.BAD_PERIOD, 'to must come after from');
  if (to - from > MAX_PERIOD_DAYS * 86_400_000) throw new LedgerlineError(StreamErrors.BAD_PERIOD, `a scan covers at most ${MAX_PERIOD_DAYS} days`);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** A finding as callers see it: accounts are pseudonyms (raw listener identifiers are never held), tracks ISRCs. */
export type FindingView = Omit<StoredFinding, 'orgId' | 'key' | 'createdAt'>;

const view = (f: StoredFinding): FindingView => ({
  id: f.id,
  kind: f.kind,
  status: f.status,
  periodFrom: f.periodFrom,
  periodTo: f.periodTo,
  accounts: f.accounts,
  tracks: f.tracks,
  streams: f.streams,
  evidence: f.evidence,
  reviewedBy: f.reviewedBy,
  reviewedAt: f.reviewedAt,
  note: f.note,
});

export interface ScanReport {
  findings: FindingView[];
  /** The event ids (as partners sent them) of the period's flagged streams: they earn nothing unless a review clears them. */
  flaggedEventIds: string[];
}

/** Runs every detector over the period's counted streams and stores what they find. */
export async function scanStreams(deps: StreamsDeps, caller: Caller, period: { from: string; to: string }): Promise<ScanReport> {
  const { from, to } = checkPeriod(period);
  const repos = deps.store.repos;
  const rows = await repos.streams.periodPlays(caller.orgId, from, to, COUNTED_MS);
  const plays = toPlays(rows);
  const { findings } = detectAll(plays);
  const stored: FindingView[] = [];
  for (const f of findings) {
    const accounts = f.accounts.map((a) => plays.accounts[a]!).sort();
    const tracks = f.tracks.map((t) => plays.tracks[t]!).sort();
    const key = createHash('sha256').update(JSON.stringify([f.kind, from, to, accounts, tracks])).digest('hex');
    const finding = await deps.store.transaction(async (r) => {
      const s = await r.streams.insertFinding(
        { id: deps.newId(), orgId: caller.orgId, key, kind: f.kind, periodFrom: from, periodTo: to, accounts, tracks, streams: f.plays.length, evidence: f.evidence, status: 'open', reviewedBy: null, reviewedAt: null, note: null, createdAt: deps.clock.now().toISOString() },
        f.plays.map((i) => rows.eventIds[i]!),
      );
      await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'streams.finding', subject: `finding:${s.id}`, data: { kind: f.kind, accounts: accounts.length, tracks: tracks.length, streams: f.plays.length, from, to } });
      return s;
    });
    stored.push(view(finding));
  }
  return { findings: stored, flaggedEventIds: await repos.streams.flaggedEvents(caller.orgId, from, to) };
}

function toPlays(rows: PeriodPlays): Plays {
  const artistNames = new Map<string, number>();
  const artistOf = rows.artists.map((a) => {
    if (!a) return -1;
    let n = artistNames.get(a);
    if (n === undefined) artistNames.set(a, (n = artistNames.size));
    return n;
  });
  return { account: rows.listener, track: rows.isrc, at: rows.at, msPlayed: rows.msPlayed, accounts: rows.listeners, tracks: rows.isrcs, artistOf: Int32Array.from(artistOf), artists: [...artistNames.keys()] };
}

export async function listFindings(deps: StreamsDeps, caller: Caller, opts: { status?: FindingStatus; limit: number }): Promise<FindingView[]> {
  return (await deps.store.repos.streams.listFindings(caller.orgId, opts)).map(view);
}

/**
 * A reviewer clears a finding (its streams count again, and what they had withheld is released)
 * or confirms it; once, audit-logged.
 */
export async function reviewFinding(deps: StreamsDeps, caller: Caller, id: string, decision: 'clear' | 'confirm', note: string | null): Promise<FindingView & { released?: ReleaseOutcome[] }> {
  const reviewed = await deps.store.transaction(async (r) => {
    const f = await r.streams.getFinding(caller.orgId, id);
    if (!f) throw new LedgerlineError(StreamErrors.FINDING_NOT_FOUND, `no finding ${id} in the organisation`);
    if (f.status !== 'open') throw new LedgerlineError(StreamErrors.FINDING_REVIEWED, `finding ${id} was ${f.status} already`, { status: f.status });
    const status = decision === 'clear' ? 'cleared' : 'confirmed';
    const at = deps.clock.now().toISOString();
    if (!(await r.streams.reviewFinding(caller.orgId, id, status, caller.actor, at, note))) {
      throw new LedgerlineError(StreamErrors.FINDING_REVIEWED, `finding ${id} was reviewed meanwhile`);
    }
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: `streams.${decision}`, subject: `finding:${id}`, data: { kind: f.kind, streams: f.streams, note } });
    return view((await r.streams.getFinding(caller.orgId, id))!);
  });
  if (decision !== 'clear' || !deps.onCleared) return reviewed;
  return { ...reviewed, released: await deps.onCleared(caller, reviewed) };
}

/** Folds raw events older than the retention window into daily aggregates and deletes them. */
export async function applyRetention(deps: StreamsDeps, caller: Caller): Promise<{ folded: number; before: string }> {
  const days = deps.retentionDays ?? DEFAULT_RETENTION_DAYS;
  const before = new Date(deps.clock.now().getTime() - days * 86_400_000).toISOString();
  const folded = await deps.store.transaction(async (r) => {
    const n = await r.streams.foldBefore(caller.orgId, before);
    if (n > 0) await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'streams.retention', subject: null, data: { folded: n, before } });
    return n;
  });
  return { folded, before };
}
