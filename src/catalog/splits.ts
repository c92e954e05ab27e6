// Split shares as exact integers. A percent is given as a decimal string or number with at
// most 4 decimals and kept in parts per million of the whole, so "33.3333" + "33.3333" +
// "33.3334" sums to exactly 1_000_000 and no float ever decides whether a split is complete.

import { LedgerlineError } from '../shared/index.ts';
import { CatalogErrors } from './errors.ts';
import { WHOLE_PPM, type SplitKind, type SplitShare } from './types.ts';

export interface ShareInput {
  rightsHolderId: string;
  percent: string | number;
  role?: string | null;
}

export function percentToPpm(percent: string | number): number {
  const text = typeof percent === 'number' ? String(percent) : percent.trim();
  const m = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(text);
  if (!m) {
    throw new LedgerlineError(CatalogErrors.BAD_SHARE, `share "${text}" is not a percent with at most 4 decimals`, { percent });
  }
  const ppm = Number(m[1]) * 10_000 + Number((m[2] ?? '').padEnd(4, '0'));
  if (ppm <= 0 || ppm > WHOLE_PPM) {
    throw new LedgerlineError(CatalogErrors.BAD_SHARE, `share ${text}% must be above 0 and at most 100`, { percent });
  }
  return ppm;
}

export function ppmToPercent(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000).padStart(4, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** Parses and checks one split: no holder twice, shares summing to exactly 100%. An empty split clears it. */
export function checkSplit(kind: SplitKind, shares: ShareInput[]): SplitShare[] {
  const seen = new Set<string>();
  const out: SplitShare[] = [];
  let sum = 0;
  for (const s of shares) {
    if (seen.has(s.rightsHolderId)) {
      throw new LedgerlineError(CatalogErrors.SPLITS_DUPLICATE, `rights holder ${s.rightsHolderId} appears twice in the ${kind} split`, {
        rightsHolderId: s.rightsHolderId,
      });
    }
    seen.add(s.rightsHolderId);
    const sharePpm = percentToPpm(s.percent);
    sum += sharePpm;
    out.push({ rightsHolderId: s.rightsHolderId, role: s.role ?? null, sharePpm });
  }
  if (out.length > 0 && sum !== WHOLE_PPM) {
    throw new LedgerlineError(
      CatalogErrors.SPLITS_SUM,
      `${kind} split sums to ${ppmToPercent(sum)}%, it must be exactly 100% (${sum > WHOLE_PPM ? 'over' : 'short'} by ${ppmToPercent(Math.abs(WHOLE_PPM - sum))}%)`,
      { kind, sumPercent: ppmToPercent(sum) },
    );
  }
  return out;
}
