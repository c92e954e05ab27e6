// Money is integer minor units of an ISO 4217 currency (cents, pence, yen): never floating point.

import { LedgerlineError } from '../shared/index.ts';
import { RoyaltyErrors } from './errors.ts';

/** Minor units per currency (ISO 4217 exponent). */
export const CURRENCIES: Record<string, number> = {
  EUR: 2, USD: 2, GBP: 2, CHF: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, CAD: 2, AUD: 2, NZD: 2, BRL: 2, MXN: 2, INR: 2, ZAR: 2, CNY: 2, HKD: 2, SGD: 2, JPY: 0, KRW: 0, ISK: 0,
};

export function checkCurrency(c: string): string {
  if (!(c in CURRENCIES)) throw new LedgerlineError(RoyaltyErrors.UNKNOWN_CURRENCY, `"${c}" is not a currency ledgerline keeps accounts in (${Object.keys(CURRENCIES).join(', ')})`, { currency: c });
  return c;
}

export function checkAmount(amount: number, what = 'amount'): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new LedgerlineError(RoyaltyErrors.BAD_AMOUNT, `${what} must be a whole, non-negative number of minor units`, { amount });
  return amount;
}

/** "12.34" in a currency of 2 minor digits → 1234; refuses more digits than the currency has. */
export function parseMajor(text: string, currency: string): number {
  const digits = CURRENCIES[checkCurrency(currency)]!;
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(text.trim());
  if (!m || (m[2] ?? '').length > digits) throw new LedgerlineError(RoyaltyErrors.BAD_AMOUNT, `"${text}" is not an amount of ${currency} (at most ${digits} decimals)`, { amount: text });
  return checkAmount(Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0));
}

export function formatMinor(amount: number, currency: string): string {
  const digits = CURRENCIES[currency] ?? 2;
  const sign = amount < 0 ? '-' : '';
  const a = Math.abs(amount);
  if (digits === 0) return `${sign}${a}`;
  const s = String(a).padStart(digits + 1, '0');
  return `${sign}${s.slice(0, -digits)}.${s.slice(-digits)}`;
}
