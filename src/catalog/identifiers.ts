// Normalising and checking the industry identifiers a track or release carries.

import { LedgerlineError } from '../shared/index.ts';
import { CatalogErrors } from './errors.ts';

/** ISRC, ISO 3901: CC-XXX-YY-NNNNN; hyphens and case are presentation only. */
export function normaliseIsrc(raw: string): string {
  const v = raw.replace(/-/g, '').trim().toUpperCase();
  if (!/^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(v)) {
    throw new LedgerlineError(CatalogErrors.BAD_ISRC, `"${raw}" is not an ISRC (expected CC-XXX-YY-NNNNN)`, { isrc: raw });
  }
  return v;
}

/**
 * ISWC, ISO 15707: "T" + 9 digits + check digit. Check digit per the ISWC agency's rule:
 * s = 1 + sum(i * d_i, i = 1..9); check = (10 - s mod 10) mod 10.
 */
export function normaliseIswc(raw: string): string {
  const v = raw.replace(/[-.\s]/g, '').toUpperCase();
  const m = /^T(\d{9})(\d)$/.exec(v);
  if (!m) throw new LedgerlineError(CatalogErrors.BAD_ISWC, `"${raw}" is not an ISWC (expected T-123.456.789-C)`, { iswc: raw });
  const digits = m[1] as string;
  let s = 1;
  for (let i = 0; i < 9; i++) s += (i + 1) * Number(digits[i]);
  const check = (10 - (s % 10)) % 10;
  if (check !== Number(m[2])) {
    throw new LedgerlineError(CatalogErrors.BAD_ISWC, `"${raw}" has a wrong check digit (expected ${check})`, { iswc: raw });
  }
  return `T${digits}${check}`;
}

/**
 * ICPN: a GTIN-12 (UPC) or GTIN-13 (EAN) with the GS1 mod-10 check digit. DDEX feeds often pad
 * to 14 digits with a leading zero; the check digit is unchanged by it, so the zero is dropped.
 */
export function normaliseIcpn(raw: string): string {
  const v = raw.replace(/[-\s]/g, '').replace(/^0(\d{13})$/, '$1');
  if (!/^\d{12,13}$/.test(v)) throw new LedgerlineError(CatalogErrors.BAD_ICPN, `"${raw}" is not a 12- or 13-digit ICPN`, { icpn: raw });
  let sum = 0;
  for (let i = v.length - 2, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += Number(v[i]) * w;
  const check = (10 - (sum % 10)) % 10;
  if (check !== Number(v[v.length - 1])) {
    throw new LedgerlineError(CatalogErrors.BAD_ICPN, `"${raw}" has a wrong check digit (expected ${check})`, { icpn: raw });
  }
  return v;
}

/** GRid: 18 alphanumerics (scheme 2, issuer 5, release 10, check 1); hyphens are presentation. */
export function normaliseGrid(raw: string): string {
  const v = raw.replace(/-/g, '').toUpperCase();
  if (!/^[A-Z0-9]{18}$/.test(v)) throw new LedgerlineError(CatalogErrors.BAD_GRID, `"${raw}" is not a GRid (18 characters)`, { grid: raw });
  return v;
}

export function checkContentHash(raw: string): string {
  const v = raw.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(v)) {
    throw new LedgerlineError(CatalogErrors.BAD_CONTENT_HASH, 'contentHash must be 64 hex characters (SHA-256)', { contentHash: raw });
  }
  return v;
}

export function checkSlug(raw: string): string {
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(raw)) {
    throw new LedgerlineError(CatalogErrors.BAD_SLUG, `"${raw}" is not a slug (2-63 of a-z, 0-9, "-")`, { slug: raw });
  }
  return raw;
}
