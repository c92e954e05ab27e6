// The double-entry ledger (after TigerBeetle's model): money moves only in journal entries whose
// postings debit and credit accounts of the same currency in equal measure. Entries are
// immutable and unique by an idempotency key, so a retried posting never doubles; a correction
// is a new entry. Balances are derived from the postings.
//
// A posting's amount is signed: positive debits the account, negative credits it. What the
// service owes a rights holder is the credit balance of `payable:holder:<id>`.

import { LedgerlineError } from '../shared/index.ts';
import { checkCurrency } from './currency.ts';
import { RoyaltyErrors } from './errors.ts';

export interface Posting {
  account: string;
  currency: string;
  /** Minor units: positive debits, negative credits. */
  amount: number;
  /** The track the money is for, where there is one (statements list lines by track). */
  trackId: string | null;
  memo: string | null;
}

export type SourceKind = 'revenue' | 'allocation' | 'release' | 'payout' | 'correction';

export interface JournalEntry {
  id: string;
  orgId: string;
  /** Unique per organisation: the same key posts once. */
  key: string;
  period: string;
  sourceKind: SourceKind;
  sourceRef: string;
  memo: string;
  createdAt: string;
  postings: Posting[];
}

export const accounts = {
  receivable: (payer: string) => `receivable:${payer}`,
  pool: (revenueId: string) => `pool:${revenueId}`,
  payable: (holderId: string) => `payable:holder:${holderId}`,
  commission: 'commission:operator',
  withheld: 'withheld:streams',
  suspense: 'suspense:no-splits',
  paidOut: 'paid:out',
};

/** Refuses an entry that does not balance per currency, or holds a fractional or unsafe amount. */
export function checkEntry(e: Pick<JournalEntry, 'key' | 'postings'>): void {
  if (e.postings.length < 2) throw new LedgerlineError(RoyaltyErrors.UNBALANCED, `entry ${e.key} has fewer than two postings`);
  const sums = new Map<string, number>();
  for (const p of e.postings) {
    checkCurrency(p.currency);
    if (!Number.isSafeInteger(p.amount)) throw new LedgerlineError(RoyaltyErrors.UNBALANCED, `entry ${e.key} posts ${p.amount} to ${p.account}: not a whole number of minor units`);
    sums.set(p.currency, (sums.get(p.currency) ?? 0) + p.amount);
  }
  for (const [currency, sum] of sums) if (sum !== 0) throw new LedgerlineError(RoyaltyErrors.UNBALANCED, `entry ${e.key} is off by ${sum} ${currency}`, { currency, sum });
}

export const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export function checkPeriod(period: string): string {
  if (!PERIOD.test(period)) throw new LedgerlineError(RoyaltyErrors.BAD_PERIOD, `"${period}" is not a period (YYYY-MM)`);
  return period;
}

/** The period's first instant and the next period's, ISO 8601. */
export function periodBounds(period: string): { from: string; to: string } {
  const [y, m] = checkPeriod(period).split('-').map(Number) as [number, number];
  return { from: new Date(Date.UTC(y, m - 1, 1)).toISOString(), to: new Date(Date.UTC(y, m, 1)).toISOString() };
}
