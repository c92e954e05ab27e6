// Royalties: revenue in, allocation of a period down to every rights holder, payouts, periods
// that close, and the ledger's own check. Every movement of money is a balanced journal entry
// (ledger.ts); allocation of a period is one transaction, so a crash leaves all of it or none.

import { createHash, randomUUID } from 'node:crypto';
import { appendAudit, type AuditStore } from '../audit/index.ts';
import { LedgerlineError, type Caller, type Clock, type Transactor } from '../shared/index.ts';
import { checkAmount, checkCurrency } from './currency.ts';
import { RoyaltyErrors } from './errors.ts';
import { accounts, checkEntry, checkPeriod, periodBounds, type JournalEntry, type Posting } from './ledger.ts';
import { outputRevenue, splitTrack, streamsProRata, streamsUserCentric, takeCommission, trainingFee, type TrackPart, type TrackSplits } from './sources.ts';
import type { PeriodStreams } from './period-streams.ts';
import type { OutputForRevenue, Revenue, RoyaltyStore } from './store.ts';

export type RoyaltyRepos = { royalties: RoyaltyStore; audit: AuditStore };

export interface RoyaltyDeps {
  store: Transactor<RoyaltyRepos>;
  clock: Clock;
  newId?: () => string;
}

/** A revenue report: the revenue's own fields and its details (service, licence, output, ppm settings). */
export type RevenueInput = Pick<Revenue, 'source' | 'period' | 'currency'> &
  Revenue['details'] & {
    /** Minor units. */
    amountMinor?: number;
    /** Idempotency: the same key records the revenue once (default: derived from the input). */
    key?: string;
  };

const ppm = (v: number | undefined, what: string, fallback: number) => {
  const x = v ?? fallback;
  if (!Number.isInteger(x) || x < 0 || x > 1_000_000) throw new LedgerlineError(RoyaltyErrors.BAD_REVENUE, `${what} must be parts per million, 0 to 1,000,000`);
  return x;
};

async function openPeriod(r: RoyaltyRepos, orgId: string, period: string) {
  checkPeriod(period);
  if (await r.royalties.isClosed(orgId, period)) throw new LedgerlineError(RoyaltyErrors.PERIOD_CLOSED, `period ${period} is closed: post a correction in an open period`, { period });
}

/** Records revenue and books it: the payer owes it, and it waits in its own pool for allocation. */
export async function addRevenue(deps: RoyaltyDeps, caller: Caller, input: RevenueInput): Promise<Revenue> {
  return (await addRevenues(deps, caller, [input])).revenues[0]!;
}

/** At most this many reports in one batch (one transaction). */
export const MAX_REVENUE_BATCH = 50_000;

/**
 * Records a batch of revenue reports (a licensee's month of outputs, a service's territories) in
 * one transaction: all of them or, if one is not valid, none, with the error naming its place
 * (`details.index`). Sources are looked up in bulk; a report whose key was recorded before
 * returns the recorded revenue and books nothing (`recorded` counts the others). One audit entry covers the batch, with a
 * digest of what it recorded.
 */
export async function addRevenues(deps: RoyaltyDeps, caller: Caller, inputs: RevenueInput[]): Promise<{ revenues: Revenue[]; recorded: number }> {
  if (inputs.length === 0) return { revenues: [], recorded: 0 };
  if (inputs.length > MAX_REVENUE_BATCH) throw new LedgerlineError(RoyaltyErrors.BAD_REVENUE, `at most ${MAX_REVENUE_BATCH} revenue reports in one batch`, { reports: inputs.length });
  const at = deps.clock.now().toISOString();
  return deps.store.transaction(async (r) => {
    const open = new Set<string>();
    const licences = new Map<string, string | null>();
    for (const id of new Set(inputs.flatMap((i) => (i.source === 'licence' && i.licenceId ? [i.licenceId] : [])))) licences.set(id, (await r.royalties.licenceTracks(caller.orgId, id))?.licenseeId ?? null);
    const outputs = await r.royalties.outputAttributions(caller.orgId, [...new Set(inputs.flatMap((i) => (i.source === 'output' && i.outputId ? [i.outputId] : [])))]);
    const planned: Revenue[] = [];
    for (const [index, input] of inputs.entries()) {
      try {
        if (!open.has(input.period)) {
          await openPeriod(r, caller.orgId, input.period);
          open.add(input.period);
        }
        planned.push(revenueOf(deps, caller, input, at, licences, outputs));
      } catch (err) {
        if (inputs.length === 1 || !(err instanceof LedgerlineError)) throw err;
        throw new LedgerlineError(err, `report ${index + 1}: ${err.message}`, { ...err.details, index });
      }
    }
    const stored = await r.royalties.insertRevenues(planned);
    const fresh = stored.filter((v, i) => v.id === planned[i]!.id);
    await r.royalties.post(fresh.map((v) => bookingEntry(deps, v, `${v.source} revenue from ${v.payer}`)));
    if (fresh.length > 0) {
      const totals: Record<string, number> = {};
      for (const v of fresh) totals[v.currency] = (totals[v.currency] ?? 0) + v.amountMinor;
      const digest = createHash('sha256').update(fresh.map((v) => `${v.id}\t${v.key}\t${v.currency}\t${v.amountMinor}`).join('\n')).digest('hex');
      const one = fresh.length === 1 ? fresh[0]! : null;
      await appendAudit(r.audit, deps.clock, {
        orgId: caller.orgId,
        actor: caller.actor,
        action: 'royalties.revenue',
        subject: one ? `revenue:${one.id}` : `revenue-batch:${digest.slice(0, 16)}`,
        data: one ? { source: one.source, period: one.period, currency: one.currency, amount: one.amountMinor, payer: one.payer } : { revenues: fresh.length, totals, digest },
      });
    }
    return { revenues: stored, recorded: fresh.length };
  });
}

/** One report, checked and resolved to its payer, as the revenue it records (not yet stored). */
function revenueOf(deps: RoyaltyDeps, caller: Caller, input: RevenueInput, at: string, licences: Map<string, string | null>, outputs: Map<string, OutputForRevenue>): Revenue {
  const currency = checkCurrency(input.currency);
  const details: Revenue['details'] = {
    publishingPpm: ppm(input.publishingPpm, 'publishingPpm', 0),
    commissionPpm: ppm(input.commissionPpm, 'commissionPpm', 0),
    ...(input.commissionFixed !== undefined ? { commissionFixed: checkAmount(input.commissionFixed, 'commissionFixed') } : {}),
  };
  let payer: string;
  if (input.source === 'streams') {
    if (!input.service) throw new LedgerlineError(RoyaltyErrors.BAD_REVENUE, 'stream revenue names its service');
    payer = `service:${input.service}`;
    Object.assign(details, { service: input.service, territory: input.territory, method: input.method ?? 'pro_rata' });
  } else if (input.source === 'licence') {
    const licensee = input.licenceId ? licences.get(input.licenceId) : null;
    if (!licensee) throw new LedgerlineError(RoyaltyErrors.SOURCE_NOT_FOUND, `no licence ${input.licenceId ?? '(none given)'} in the organisation`);
    payer = `licensee:${licensee}`;
    Object.assign(details, { licenceId: input.licenceId, by: input.by ?? 'equal' });
  } else if (input.source === 'output') {
    const output = input.outputId ? outputs.get(input.outputId) : undefined;
    if (!output) throw new LedgerlineError(RoyaltyErrors.SOURCE_NOT_FOUND, `no attributed output ${input.outputId ?? '(none given)'} in the organisation`);
    payer = `licensee:${output.licenseeId ?? 'unknown'}`;
    Object.assign(details, { outputId: input.outputId, masterPpm: ppm(input.masterPpm, 'masterPpm', 500_000) });
  } else throw new LedgerlineError(RoyaltyErrors.BAD_REVENUE, `source must be streams, licence or output`);
  const amount = input.amountMinor;
  if (amount === undefined) throw new LedgerlineError(RoyaltyErrors.BAD_AMOUNT, 'give the amount in minor units');
  if (typeof amount === 'number' && amount < 0) throw new LedgerlineError(RoyaltyErrors.BAD_AMOUNT, 'a negative amount is a correction: post it with `royalties correct`', { amount });
  checkAmount(amount);
  const key = input.key ?? `${input.source}:${input.period}:${details.service ?? details.licenceId ?? details.outputId}:${details.territory ?? '*'}:${currency}`;
  return { id: (deps.newId ?? randomUUID)(), orgId: caller.orgId, key, source: input.source, period: input.period, currency, amountMinor: amount, payer, details, createdAt: at };
}

/** Books recorded revenue: the payer owes it, and it waits in its own pool for allocation. */
function bookingEntry(deps: RoyaltyDeps, revenue: Revenue, memo: string): JournalEntry {
  const entry: JournalEntry = {
    id: (deps.newId ?? randomUUID)(),
    orgId: revenue.orgId,
    key: `revenue:${revenue.id}`,
    period: revenue.period,
    sourceKind: 'revenue',
    sourceRef: revenue.id,
    memo,
    createdAt: revenue.createdAt,
    postings: [
      { account: accounts.receivable(revenue.payer), currency: revenue.currency, amount: revenue.amountMinor, trackId: null, memo: null },
      { account: accounts.pool(revenue.id), currency: revenue.currency, amount: -revenue.amountMinor, trackId: null, memo: null },
    ],
  };
  checkEntry(entry);
  return entry;
}

/**
 * What revenues are allocated over, read in bulk and once: every output's attribution at once,
 * and a period's counted streams in one pass over its events, however many services,
 * territories and methods report on it (per listener when a user-centric revenue asks; pro
 * rata then sums the same rows per track).
 */
interface Inputs {
  outputs: Map<string, OutputForRevenue>;
  streams(period: string): Promise<PeriodStreams>;
}

async function inputsFor(r: RoyaltyRepos, orgId: string, revenues: Revenue[]): Promise<Inputs> {
  const outputs = await r.royalties.outputAttributions(orgId, revenues.flatMap((v) => (v.source === 'output' && v.details.outputId ? [v.details.outputId] : [])));
  const listenersWanted = new Set(revenues.filter((v) => v.source === 'streams' && v.details.method === 'user_centric').map((v) => v.period));
  const read = new Map<string, Promise<PeriodStreams>>();
  return {
    outputs,
    streams(period) {
      let rows = read.get(period);
      if (!rows) {
        const { from, to } = periodBounds(period);
        rows = r.royalties.periodStreams(orgId, from, to, listenersWanted.has(period));
        read.set(period, rows);
      }
      return rows;
    },
  };
}

/** The allocation entries of these revenues; every track's splits are read at once. */
async function allocationEntries(deps: RoyaltyDeps, r: RoyaltyRepos, orgId: string, revenues: Revenue[]): Promise<JournalEntry[]> {
  const inputs = await inputsFor(r, orgId, revenues);
  const planned: Array<{ rev: Revenue; commission: number; parts: TrackPart[] }> = [];
  for (const rev of revenues) {
    // A report of nothing (a service with no revenue that month) has nothing to allocate.
    if (rev.amountMinor === 0) continue;
    const { commission, rest } = takeCommission(rev.amountMinor, { ppm: rev.details.commissionPpm, fixed: rev.details.commissionFixed });
    let parts = await partsOf(r, orgId, rev, rest, inputs);
    // Nothing to allocate over (no streams of the service, an empty manifest): the money waits in suspense, visible.
    if (parts.length === 0 && rest > 0) parts = [{ trackId: '', kind: 'master', amount: rest, withheld: 0 }];
    planned.push({ rev, commission, parts });
  }
  const splits = await splitsFor(r, planned.flatMap((p) => p.parts));
  return planned.map((p) => allocationEntry(deps, orgId, p.rev, p.commission, p.parts, splits));
}

/** The splits every part is paid by, read at once: today's, or those of the instant a part names (splitsAt). */
async function splitsFor(r: RoyaltyRepos, parts: TrackPart[]): Promise<(p: TrackPart) => TrackSplits | undefined> {
  const current = await r.royalties.splitsOf([...new Set(parts.filter((p) => p.trackId !== '' && !p.splitsAt).map((p) => p.trackId))]);
  const asOf = new Map<string, { trackId: string; at: string }>();
  for (const p of parts) if (p.trackId !== '' && p.splitsAt) asOf.set(`${p.trackId}@${p.splitsAt}`, { trackId: p.trackId, at: p.splitsAt });
  const then = await r.royalties.splitsAsOf([...asOf.values()]);
  return (p) => (p.trackId === '' ? undefined : p.splitsAt ? then.get(`${p.trackId}@${p.splitsAt}`) : current.get(p.trackId));
}

/** What one revenue comes to per track and layer, by its source. */
async function partsOf(r: RoyaltyRepos, orgId: string, rev: Revenue, amount: number, inputs: Inputs): Promise<TrackPart[]> {
  const d = rev.details;
  if (rev.source === 'streams') {
    const userCentric = d.method === 'user_centric';
    const streams = await inputs.streams(rev.period);
    // Days retention has folded have no listeners left to divide by: perListener leaves them out.
    if (userCentric) return streamsUserCentric(amount, streams.perListener(d.service!, d.territory), d.publishingPpm ?? 0);
    return streamsProRata(amount, streams.perTrack(d.service!, d.territory), d.publishingPpm ?? 0);
  }
  if (rev.source === 'licence') {
    const licence = await r.royalties.licenceTracks(orgId, d.licenceId!);
    return trainingFee(amount, licence?.tracks ?? [], d.by ?? 'equal', d.publishingPpm ?? 0);
  }
  const output = inputs.outputs.get(d.outputId!);
  if (!output) return [];
  return outputRevenue(amount, output.result, d.masterPpm ?? 500_000, output.manifestTracks);
}

/** The allocation entry of one revenue: its pool emptied into commission, holders, withheld and suspense. */
function allocationEntry(deps: RoyaltyDeps, orgId: string, rev: Revenue, commission: number, parts: TrackPart[], splitsOf: (p: TrackPart) => TrackSplits | undefined): JournalEntry {
  const lines = new Map<string, Posting>();
  const credit = (account: string, trackId: string | null, memo: string, amount: number) => {
    if (amount === 0) return;
    const k = `${account}\u0000${trackId}\u0000${memo}`;
    const line = lines.get(k) ?? { account, currency: rev.currency, amount: 0, trackId, memo };
    line.amount -= amount;
    lines.set(k, line);
  };
  credit(accounts.commission, null, 'commission', commission);
  for (const p of parts) {
    const track = p.trackId === '' ? null : p.trackId;
    credit(accounts.withheld, track, p.kind, p.withheld);
    const s = splitsOf(p);
    for (const h of splitTrack(p.amount, s ? s[p.kind] : [])) credit(h.holderId ? accounts.payable(h.holderId) : accounts.suspense, track, p.kind, h.amount);
  }
  const entry: JournalEntry = {
    id: (deps.newId ?? randomUUID)(),
    orgId,
    key: `allocation:${rev.id}`,
    period: rev.period,
    sourceKind: 'allocation',
    sourceRef: rev.id,
    memo: `${rev.source} revenue allocated`,
    createdAt: deps.clock.now().toISOString(),
    postings: [{ account: accounts.pool(rev.id), currency: rev.currency, amount: rev.amountMinor, trackId: null, memo: null }, ...[...lines.values()].filter((l) => l.amount !== 0)],
  };
  checkEntry(entry);
  return entry;
}

export interface AllocationReport {
  period: string;
  revenues: number;
  allocated: number;
  /** Per currency: what was allocated and where it went. */
  totals: Record<string, { amount: number; commission: number; payable: number; withheld: number; suspense: number }>;
}

/** Allocates every revenue of the period not allocated yet, in one transaction. */
export async function allocatePeriod(deps: RoyaltyDeps, caller: Caller, period: string): Promise<AllocationReport> {
  return deps.store.transaction(async (r) => {
    await openPeriod(r, caller.orgId, period);
    const revenues = await r.royalties.revenueOf(caller.orgId, period);
    const done = await r.royalties.entryKeys(caller.orgId, revenues.map((v) => `allocation:${v.id}`));
    const entries = await allocationEntries(deps, r, caller.orgId, revenues.filter((v) => !done.has(`allocation:${v.id}`)));
    await r.royalties.post(entries);
    const totals: AllocationReport['totals'] = {};
    for (const e of entries) {
      for (const p of e.postings) {
        const t = (totals[p.currency] ??= { amount: 0, commission: 0, payable: 0, withheld: 0, suspense: 0 });
        if (p.account.startsWith('pool:')) t.amount += p.amount;
        else if (p.account === accounts.commission) t.commission -= p.amount;
        else if (p.account.startsWith('payable:')) t.payable -= p.amount;
        else if (p.account === accounts.withheld) t.withheld -= p.amount;
        else if (p.account === accounts.suspense) t.suspense -= p.amount;
      }
    }
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'royalties.allocate', subject: `period:${period}`, data: { revenues: revenues.length, allocated: entries.length, totals } });
    return { period, revenues: revenues.length, allocated: entries.length, totals };
  });
}

/** Closes a period: from now on it changes only through corrections posted in a later period. */
export async function closePeriod(deps: RoyaltyDeps, caller: Caller, period: string): Promise<{ period: string; closedAt: string }> {
  checkPeriod(period);
  return deps.store.transaction(async (r) => {
    const at = deps.clock.now().toISOString();
    await r.royalties.close(caller.orgId, period, caller.actor, at);
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'royalties.close', subject: `period:${period}`, data: {} });
    return { period, closedAt: at };
  });
}

export interface PayoutReport {
  period: string;
  reference: string;
  paid: Array<{ holderId: string; currency: string; amount: number }>;
  belowMinimum: number;
}

/** Pays every holder whose payable balance reaches the minimum; the same period and reference pays once. */
export async function payoutRun(deps: RoyaltyDeps, caller: Caller, opts: { period: string; reference: string; minimumMinor: number }): Promise<PayoutReport> {
  checkAmount(opts.minimumMinor, 'minimum');
  return deps.store.transaction(async (r) => {
    await openPeriod(r, caller.orgId, opts.period);
    const balances = await r.royalties.balances(caller.orgId, 'payable:holder:');
    const entries: JournalEntry[] = [];
    let below = 0;
    for (const b of balances) {
      const owed = -b.balance;
      if (owed <= 0) continue;
      if (owed < opts.minimumMinor) {
        below++;
        continue;
      }
      const holderId = b.account.slice('payable:holder:'.length);
      entries.push({
        id: (deps.newId ?? randomUUID)(),
        orgId: caller.orgId,
        key: `payout:${opts.reference}:${holderId}:${b.currency}`,
        period: opts.period,
        sourceKind: 'payout',
        sourceRef: opts.reference,
        memo: `payout ${opts.reference}`,
        createdAt: deps.clock.now().toISOString(),
        postings: [
          { account: b.account, currency: b.currency, amount: owed, trackId: null, memo: 'payout' },
          { account: accounts.paidOut, currency: b.currency, amount: -owed, trackId: null, memo: holderId },
        ],
      });
    }
    const posted = new Set(await r.royalties.post(entries));
    const paid = entries.filter((e) => posted.has(e.key)).map((e) => ({ holderId: e.postings[1]!.memo!, currency: e.postings[0]!.currency, amount: e.postings[0]!.amount }));
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'royalties.payout', subject: `payout:${opts.reference}`, data: { period: opts.period, holders: paid.length } });
    return { period: opts.period, reference: opts.reference, paid, belowMinimum: below };
  });
}

export interface ReleaseReport {
  period: string;
  /** Where the releases were posted: the period itself, or the current one when it is closed. */
  postedIn: string;
  released: Array<{ revenueId: string; currency: string; amount: number }>;
}

/**
 * Streams withheld as artificial earn again once a review clears their finding: each stream
 * revenue of the period is allocated anew with today's flags, and what is withheld now less
 * than before moves from the withheld account to the track's holders (or suspense), per track
 * and layer. A closed period's release is posted in the current month, as an adjustment.
 */
export async function releaseWithheld(deps: RoyaltyDeps, caller: Caller, period: string): Promise<ReleaseReport> {
  checkPeriod(period);
  return deps.store.transaction(async (r) => {
    const now = deps.clock.now().toISOString().slice(0, 7);
    const postedIn = (await r.royalties.isClosed(caller.orgId, period)) ? now : period;
    await openPeriod(r, caller.orgId, postedIn);
    const held = new Map<string, number>();
    for (const p of await r.royalties.postingsOf(caller.orgId, accounts.withheld)) {
      const k = `${p.sourceRef}\u0000${p.trackId}\u0000${p.memo}`;
      held.set(k, (held.get(k) ?? 0) - p.amount);
    }
    const revenues = (await r.royalties.revenueOf(caller.orgId, period)).filter((v) => v.source === 'streams');
    const allocated = await r.royalties.entryKeys(caller.orgId, revenues.map((v) => `allocation:${v.id}`));
    const planned: Array<{ rev: Revenue; parts: TrackPart[] }> = [];
    const inputs = await inputsFor(r, caller.orgId, revenues);
    for (const rev of revenues) {
      if (!allocated.has(`allocation:${rev.id}`)) continue;
      const { rest } = takeCommission(rev.amountMinor, { ppm: rev.details.commissionPpm, fixed: rev.details.commissionFixed });
      const today = await partsOf(r, caller.orgId, rev, rest, inputs);
      const parts: TrackPart[] = [];
      for (const p of today) {
        const before = held.get(`${rev.id}\u0000${p.trackId}\u0000${p.kind}`) ?? 0;
        if (before > p.withheld) parts.push({ trackId: p.trackId, kind: p.kind, amount: before - p.withheld, withheld: 0 });
      }
      if (parts.length > 0) planned.push({ rev, parts });
    }
    const splits = await splitsFor(r, planned.flatMap((p) => p.parts));
    const entries = planned.map(({ rev, parts }) => {
      const amount = parts.reduce((s, p) => s + p.amount, 0);
      const e = allocationEntry(deps, caller.orgId, { ...rev, amountMinor: amount }, 0, parts, splits);
      // The money comes out of the withheld account (per track and layer), not the pool.
      const key = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
      return {
        ...e,
        key: `release:${rev.id}:${key}`,
        period: postedIn,
        sourceKind: 'release' as const,
        memo: 'withheld streams released after review',
        postings: [...parts.map((p) => ({ account: accounts.withheld, currency: rev.currency, amount: p.amount, trackId: p.trackId, memo: p.kind })), ...e.postings.slice(1)],
      };
    });
    for (const e of entries) checkEntry(e);
    const posted = new Set(await r.royalties.post(entries));
    const released = entries.filter((e) => posted.has(e.key)).map((e) => ({ revenueId: e.sourceRef, currency: e.postings[0]!.currency, amount: e.postings.filter((p) => p.account === accounts.withheld).reduce((s, p) => s + p.amount, 0) }));
    if (released.length > 0) await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'royalties.release', subject: `period:${period}`, data: { postedIn, released } });
    return { period, postedIn, released };
  });
}

export interface CorrectionReport {
  reversed: string;
  revenue: Revenue;
  /** Per holder, what the correction changes (minor units, negative: less owed). */
  holders: Array<{ holderId: string; currency: string; change: number }>;
}

/**
 * Corrects reported revenue: the revenue and its allocation are reversed (every posting negated,
 * in a new entry) and the corrected amount is recorded and allocated, all in `period` (open),
 * in one transaction. Nothing is edited. A correction that would leave a rights holder owing
 * money (their payable balance below zero, after payouts) is refused: the money was paid.
 */
export async function correctRevenue(deps: RoyaltyDeps, caller: Caller, revenueId: string, opts: { period: string; amountMinor: number }): Promise<CorrectionReport> {
  checkAmount(opts.amountMinor);
  return deps.store.transaction(async (r) => {
    await openPeriod(r, caller.orgId, opts.period);
    const old = await r.royalties.getRevenue(caller.orgId, revenueId);
    if (!old) throw new LedgerlineError(RoyaltyErrors.SOURCE_NOT_FOUND, `no revenue ${revenueId} in the organisation`);
    const at = deps.clock.now().toISOString();
    const reversal = async (key: string): Promise<JournalEntry | null> => {
      const postings = await r.royalties.entryPostings(caller.orgId, key);
      if (postings.length === 0) return null;
      return { id: (deps.newId ?? randomUUID)(), orgId: caller.orgId, key: `reverse:${key}`, period: opts.period, sourceKind: 'correction', sourceRef: old.id, memo: `reverses ${key}`, createdAt: at, postings: postings.map((p) => ({ ...p, amount: -p.amount })) };
    };
    const reversals = (await Promise.all([reversal(`revenue:${old.id}`), reversal(`allocation:${old.id}`)])).filter((e): e is JournalEntry => e !== null);
    const done = await r.royalties.entryKeys(caller.orgId, reversals.map((e) => e.key));
    if (done.size > 0) throw new LedgerlineError(RoyaltyErrors.BAD_REVENUE, `revenue ${old.id} was corrected already; correct the revenue that replaced it`);
    for (const e of reversals) checkEntry(e);
    await r.royalties.post(reversals);
    const id = (deps.newId ?? randomUUID)();
    const revenue = (await r.royalties.insertRevenues([{ ...old, id, key: `${old.key}:corrected:${id}`, period: opts.period, amountMinor: opts.amountMinor, createdAt: at }]))[0]!;
    // A correction to nothing books and allocates nothing.
    const allocation = await allocationEntries(deps, r, caller.orgId, [revenue]);
    await r.royalties.post([bookingEntry(deps, revenue, `${revenue.source} revenue from ${revenue.payer} (corrects ${old.id})`), ...allocation]);
    const change = new Map<string, { holderId: string; currency: string; change: number }>();
    for (const e of [...reversals, ...allocation])
      for (const p of e.postings) {
        if (!p.account.startsWith('payable:holder:')) continue;
        const k = `${p.account}\u0000${p.currency}`;
        const c = change.get(k) ?? { holderId: p.account.slice('payable:holder:'.length), currency: p.currency, change: 0 };
        c.change -= p.amount;
        change.set(k, c);
      }
    for (const b of await r.royalties.balances(caller.orgId, 'payable:holder:')) {
      if (b.balance > 0) throw new LedgerlineError(RoyaltyErrors.WOULD_GO_NEGATIVE, `the correction would leave ${b.account.slice('payable:holder:'.length)} owing ${b.balance} ${b.currency} minor units after payouts`, { account: b.account, currency: b.currency, owed: b.balance });
    }
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'royalties.correct', subject: `revenue:${old.id}`, data: { replacedBy: revenue.id, from: old.amountMinor, to: revenue.amountMinor, period: opts.period } });
    return { reversed: old.id, revenue, holders: [...change.values()].filter((c) => c.change !== 0) };
  });
}

export interface Invoice {
  licenseeId: string;
  /** What the licensee owes now, per currency (reported revenue less what was settled). */
  owed: Array<{ currency: string; amount: number }>;
  /** The revenue it reported or was invoiced for, newest first. */
  lines: Array<{ revenueId: string; period: string; source: string; ref: string | null; currency: string; amount: number; createdAt: string }>;
}

/** A licensee's invoice: every licence fee and output revenue booked to it, and its balance. */
export async function invoiceFor(deps: RoyaltyDeps, caller: Caller, licenseeId: string): Promise<Invoice> {
  const r = deps.store.repos.royalties;
  const payer = `licensee:${licenseeId}`;
  const owed = (await r.balances(caller.orgId, accounts.receivable(payer))).filter((b) => b.account === accounts.receivable(payer)).map((b) => ({ currency: b.currency, amount: b.balance }));
  const lines = (await r.revenueOfPayer(caller.orgId, payer, 1000)).map((v) => ({ revenueId: v.id, period: v.period, source: v.source, ref: v.details.licenceId ?? v.details.outputId ?? null, currency: v.currency, amount: v.amountMinor, createdAt: v.createdAt }));
  return { licenseeId, owed, lines };
}

export interface LedgerCheck {
  ok: boolean;
  entries: number;
  postings: number;
  unbalanced: string[];
  /** Postings whose entry does not exist (or is another organisation's). */
  orphanPostings: number;
  mismatched: Array<{ account: string; currency: string; kept: number; posted: number }>;
}

/** `ledger verify`: every entry balanced, every posting in its entry, every kept balance equal to its postings. */
export async function verifyLedger(deps: RoyaltyDeps, caller: Caller): Promise<LedgerCheck> {
  const v = await deps.store.repos.royalties.verify(caller.orgId);
  return { ok: v.unbalanced.length === 0 && v.orphanPostings === 0 && v.mismatched.length === 0, ...v };
}
