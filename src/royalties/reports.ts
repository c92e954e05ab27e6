// A file of revenue reports (`royalties revenue import`): one JSON object per line, with the
// fields of `POST /v1/royalties/revenue`. Each line's shape is checked here (types, names); what
// the values mean (currency, period, sources) is checked when they are recorded. A bad line
// refuses the file, naming the line, so a month is never half recorded.

import { LedgerlineError } from '../shared/index.ts';
import { RoyaltyErrors } from './errors.ts';
import type { RevenueInput } from './service.ts';

const TEXT = ['source', 'period', 'currency', 'key', 'service', 'territory', 'method', 'licenceId', 'outputId', 'by'] as const;
const WHOLE = ['amountMinor', 'publishingPpm', 'masterPpm', 'commissionPpm', 'commissionFixed'] as const;
const ALLOWED = new Set<string>([...TEXT, ...WHOLE]);

export function parseRevenueReports(text: string, maxReports: number): RevenueInput[] {
  const out: RevenueInput[] = [];
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const bad = (why: string): never => {
      throw new LedgerlineError(RoyaltyErrors.BAD_REVENUE, `line ${i + 1}: ${why}`, { line: i + 1 });
    };
    if (out.length === maxReports) bad(`at most ${maxReports} reports in one file`);
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      bad('not a JSON object');
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) bad('not a JSON object');
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!ALLOWED.has(k)) bad(`unknown field "${k}"`);
    for (const k of TEXT) if (o[k] !== undefined && (typeof o[k] !== 'string' || (o[k] as string).length > 200)) bad(`${k} must be a string of at most 200 characters`);
    for (const k of WHOLE) if (o[k] !== undefined && !Number.isSafeInteger(o[k])) bad(`${k} must be a whole number`);
    out.push(o as RevenueInput);
  }
  return out;
}
