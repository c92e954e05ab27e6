// Constrained consent: checking a set of terms when it is given, and deciding whether one
// request falls under one of them. Terms may not overlap, so every request that is allowed is
// allowed by exactly one term and its conditions (compensation) are never ambiguous.

import { LedgerlineError } from '../shared/index.ts';
import { ConsentErrors } from './errors.ts';
import { covers, intersects, normaliseTerritory } from './territories.ts';
import { PURPOSES, type CheckQuery, type ConsentTerm, type Purpose } from './types.ts';

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const TERM_KEYS = new Set(['licensees', 'territories', 'validFrom', 'validUntil', 'purpose', 'compensationRequired']);
export const MAX_TERMS = 100;

function bad(index: number, message: string, details: Record<string, unknown> = {}): LedgerlineError {
  return new LedgerlineError(ConsentErrors.BAD_TERMS, `term ${index}: ${message}`, { term: index, ...details });
}

/** An ISO 8601 instant with a zone, normalised to UTC; anything else is refused. */
export function parseInstant(raw: string, field: string): string {
  const ok = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.test(raw);
  const t = ok ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : NaN;
  if (Number.isNaN(t)) {
    throw new LedgerlineError(ConsentErrors.BAD_TIME, `${field} "${raw}" is not an ISO 8601 date or instant with a time zone`, { field, value: raw });
  }
  return new Date(t).toISOString();
}

function checkTerm(raw: unknown, i: number): ConsentTerm {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad(i, 'must be an object');
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!TERM_KEYS.has(k)) throw bad(i, `unknown field "${k}"`, { field: k });
  const term: ConsentTerm = {};
  if (o.licensees !== undefined) {
    if (!Array.isArray(o.licensees) || o.licensees.length === 0) throw bad(i, 'licensees must be a non-empty list of licensee slugs');
    for (const l of o.licensees) if (typeof l !== 'string' || !SLUG.test(l)) throw bad(i, `"${String(l)}" is not a licensee slug`, { licensee: l });
    term.licensees = [...new Set(o.licensees as string[])].sort();
  }
  if (o.territories !== undefined) {
    if (!Array.isArray(o.territories) || o.territories.length === 0) throw bad(i, 'territories must be a non-empty list of ISO 3166-1 codes');
    term.territories = [...new Set(o.territories.map((t) => normaliseTerritory(String(t))))].sort();
  }
  if (o.validFrom !== undefined) term.validFrom = parseInstant(String(o.validFrom), `term ${i} validFrom`);
  if (o.validUntil !== undefined) term.validUntil = parseInstant(String(o.validUntil), `term ${i} validUntil`);
  if (term.validFrom && term.validUntil && term.validUntil <= term.validFrom) throw bad(i, 'validUntil must be after validFrom');
  if (o.purpose !== undefined) {
    if (!PURPOSES.includes(o.purpose as Purpose)) throw bad(i, `purpose must be one of ${PURPOSES.join(', ')}`);
    term.purpose = o.purpose as Purpose;
  }
  if (o.compensationRequired !== undefined) {
    if (typeof o.compensationRequired !== 'boolean') throw bad(i, 'compensationRequired must be true or false');
    term.compensationRequired = o.compensationRequired;
  }
  if (!term.licensees && !term.territories && !term.validFrom && !term.validUntil && !term.purpose && !term.compensationRequired) {
    throw bad(i, 'constrains nothing; give the use state "allowed" instead');
  }
  return term;
}

const periodsMeet = (a: ConsentTerm, b: ConsentTerm) =>
  (a.validUntil === undefined || b.validFrom === undefined || b.validFrom < a.validUntil) &&
  (b.validUntil === undefined || a.validFrom === undefined || a.validFrom < b.validUntil);

const listsMeet = (a?: string[], b?: string[]) => !a || !b || a.some((x) => b.includes(x));

/** Whether some request would fall under both terms. */
export function overlap(a: ConsentTerm, b: ConsentTerm): boolean {
  return listsMeet(a.licensees, b.licensees) && intersects(a.territories, b.territories) && periodsMeet(a, b) && (!a.purpose || !b.purpose || a.purpose === b.purpose);
}

/** Checks and normalises the terms of a constrained rule. */
export function checkTerms(raw: unknown): ConsentTerm[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw new LedgerlineError(ConsentErrors.BAD_TERMS, 'terms must be a list of term objects');
  if (raw.length > MAX_TERMS) throw new LedgerlineError(ConsentErrors.BAD_TERMS, `at most ${MAX_TERMS} terms per rule`);
  const terms = raw.map(checkTerm);
  for (let i = 0; i < terms.length; i++) {
    for (let j = i + 1; j < terms.length; j++) {
      if (overlap(terms[i]!, terms[j]!)) {
        throw new LedgerlineError(
          ConsentErrors.OVERLAPPING_TERMS,
          `terms ${i} and ${j} overlap: a request could fall under both (same licensee, territory, purpose and time); split them so each request matches one`,
          { terms: [i, j] },
        );
      }
    }
  }
  return terms;
}

/** Why a term does not cover the request, or null when it does. */
export function termRefusal(term: ConsentTerm, q: CheckQuery): string | null {
  if (term.licensees) {
    if (!q.licensee) return `limited to licensees ${term.licensees.join(', ')} and no licensee was named`;
    if (!term.licensees.includes(q.licensee)) return `licensee ${q.licensee} is not among ${term.licensees.join(', ')}`;
  }
  if (term.territories && !covers(term.territories, q.territory ?? '')) {
    return q.territory ? `territory ${q.territory} is not among ${term.territories.join(', ')}` : `limited to territories ${term.territories.join(', ')} and no territory was named`;
  }
  if (term.validFrom && q.at < term.validFrom) return `valid from ${term.validFrom}`;
  if (term.validUntil && q.at >= term.validUntil) return `expired at ${term.validUntil}`;
  if (term.purpose) {
    if (!q.purpose) return `limited to ${term.purpose} use and no purpose was named`;
    if (q.purpose !== term.purpose) return `limited to ${term.purpose} use, not ${q.purpose}`;
  }
  return null;
}
