// A rights holder's statement for a period: the opening balance, every line that moved money to
// or from them in the period (by source and track), and the closing balance. Lines sum to the
// totals, and opening + credits - payouts = closing: a statement an artist can reconcile to the
// cent. Exports: JSON, CSV, and a flat file in the shape of a DDEX DSR (HEAD, SY summary, RE
// lines, FOOT with counts).

import { LedgerlineError, type Caller } from '../shared/index.ts';
import { formatMinor } from './currency.ts';
import { RoyaltyErrors } from './errors.ts';
import { accounts, checkPeriod } from './ledger.ts';
import type { RoyaltyDeps } from './service.ts';
import type { StoredPosting } from './store.ts';

export interface StatementLine {
  source: string;
  /** The revenue (or payout reference) the line comes from. */
  ref: string;
  trackId: string | null;
  /** master or publishing, or payout. */
  right: string;
  /** Minor units: positive is money to the holder, negative money out (payouts, corrections). */
  amount: number;
}

export interface Statement {
  holderId: string;
  holderName: string;
  period: string;
  currencies: Array<{
    currency: string;
    opening: number;
    earned: number;
    adjustments: number;
    payouts: number;
    closing: number;
    lines: StatementLine[];
  }>;
}

export async function statementFor(deps: RoyaltyDeps, caller: Caller, holderId: string, period: string): Promise<Statement> {
  checkPeriod(period);
  const r = deps.store.repos.royalties;
  const name = (await r.holderNames(caller.orgId, [holderId])).get(holderId);
  if (name === undefined) throw new LedgerlineError(RoyaltyErrors.SOURCE_NOT_FOUND, `no rights holder ${holderId} in the organisation`);
  return statementOf(holderId, name, period, await r.postingsOf(caller.orgId, accounts.payable(holderId)));
}

/** Every rights holder's statement for the period (those the ledger has moved money for), read in one pass. */
export async function statementsFor(deps: RoyaltyDeps, caller: Caller, period: string): Promise<Statement[]> {
  checkPeriod(period);
  const r = deps.store.repos.royalties;
  const byHolder = new Map<string, StoredPosting[]>();
  for (const p of await r.holderPostings(caller.orgId, period)) {
    const holderId = p.account.slice(accounts.payable('').length);
    const list = byHolder.get(holderId) ?? [];
    list.push(p);
    byHolder.set(holderId, list);
  }
  const names = await r.holderNames(caller.orgId, [...byHolder.keys()]);
  return [...byHolder.keys()].sort().map((h) => statementOf(h, names.get(h) ?? '', period, byHolder.get(h)!));
}

/** The statement from a holder's postings, in ledger order (period, then when posted). */
function statementOf(holderId: string, holderName: string, period: string, postings: StoredPosting[]): Statement {
  const byCurrency = new Map<string, Statement['currencies'][number]>();
  for (const p of postings) {
    if (p.period > period) continue;
    const c = byCurrency.get(p.currency) ?? { currency: p.currency, opening: 0, earned: 0, adjustments: 0, payouts: 0, closing: 0, lines: [] };
    byCurrency.set(p.currency, c);
    // The holder's account is a liability: a credit (negative) is money owed to them.
    const amount = -p.amount;
    if (p.period < period) {
      c.opening += amount;
      continue;
    }
    if (p.sourceKind === 'payout') c.payouts += -amount;
    else if (p.sourceKind === 'correction' || p.sourceKind === 'release') c.adjustments += amount;
    else c.earned += amount;
    const last = c.lines.at(-1);
    const right = p.memo ?? p.sourceKind;
    if (last && last.ref === p.sourceRef && last.trackId === p.trackId && last.right === right && last.source === p.sourceKind) last.amount += amount;
    else c.lines.push({ source: p.sourceKind, ref: p.sourceRef, trackId: p.trackId, right, amount });
  }
  const currencies = [...byCurrency.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
  for (const c of currencies) c.closing = c.opening + c.earned + c.adjustments - c.payouts;
  return { holderId, holderName, period, currencies };
}

const csvCell = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function statementCsv(s: Statement): string {
  const rows = [['period', 'holder', 'currency', 'kind', 'source', 'ref', 'track', 'right', 'amount']];
  for (const c of s.currencies) {
    rows.push([s.period, s.holderId, c.currency, 'opening', '', '', '', '', formatMinor(c.opening, c.currency)]);
    for (const l of c.lines) rows.push([s.period, s.holderId, c.currency, 'line', l.source, l.ref, l.trackId ?? '', l.right, formatMinor(l.amount, c.currency)]);
    rows.push([s.period, s.holderId, c.currency, 'closing', '', '', '', '', formatMinor(c.closing, c.currency)]);
  }
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

/** A flat file shaped like a DDEX DSR: tab-separated records HEAD, SY (summary per currency), RE (one per line), FOOT (counts). */
export function statementDsr(s: Statement, sender: string): string {
  const out: string[] = [];
  const tab = (...cells: Array<string | number>) => out.push(cells.map((c) => String(c).replace(/[\t\n]/g, ' ')).join('\t'));
  tab('HEAD', 'ledgerline-statement/1', sender, s.holderId, s.holderName, s.period);
  let lines = 0;
  for (const c of s.currencies) {
    tab('SY', c.currency, formatMinor(c.opening, c.currency), formatMinor(c.earned, c.currency), formatMinor(c.adjustments, c.currency), formatMinor(c.payouts, c.currency), formatMinor(c.closing, c.currency), c.lines.length);
    for (const l of c.lines) {
      tab('RE', c.currency, l.source, l.ref, l.trackId ?? '', l.right, formatMinor(l.amount, c.currency));
      lines++;
    }
  }
  tab('FOOT', s.currencies.length, lines, out.length + 1);
  return `${out.join('\n')}\n`;
}

export interface ArtistStatement {
  artistId: string;
  period: string;
  /** Per currency, what the artist's tracks paid to their rights holders in the period. */
  totals: Array<{ currency: string; amount: number }>;
  lines: Array<{ trackId: string; title: string; holderId: string; holderName: string; right: string; source: string; currency: string; amount: number }>;
}

/**
 * An artist's view of a period: what each of their tracks paid, to which rights holder, for which
 * right. Artists are not always holders of their recordings' splits; this shows them where the
 * money their music earned went.
 */
export async function artistStatementFor(deps: RoyaltyDeps, caller: Caller, artistId: string, period: string): Promise<ArtistStatement> {
  checkPeriod(period);
  const r = deps.store.repos.royalties;
  const rows = await r.artistPostings(caller.orgId, artistId, period);
  const names = await r.holderNames(caller.orgId, [...new Set(rows.map((x) => x.holderId))]);
  const totals = new Map<string, number>();
  for (const x of rows) totals.set(x.currency, (totals.get(x.currency) ?? 0) + x.amount);
  return {
    artistId,
    period,
    totals: [...totals.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([currency, amount]) => ({ currency, amount })),
    lines: rows.map((x) => ({ trackId: x.trackId, title: x.title, holderId: x.holderId, holderName: names.get(x.holderId) ?? '', right: x.right, source: x.sourceKind, currency: x.currency, amount: x.amount })),
  };
}
