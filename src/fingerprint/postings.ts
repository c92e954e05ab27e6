// A posting is one reference hash occurrence: which track, where (t1, frames ×16), at what
// pitch (c1, cents) and over what span (t3 - t1, frames ×256). 12 bytes, fixed layout, shared
// by the on-disk segments and the PostgreSQL table.

export const POSTING_BYTES = 12;
export const T_SCALE = 16;
export const SPAN_SCALE = 256;

export interface PostingList {
  count: number;
  track: Uint32Array;
  t1: Uint32Array;
  c1: Uint16Array;
  span: Uint16Array;
}

/**
 * Postings found for a batch of keys, as ranges of stored lists (nothing is copied). A part
 * without `list` is still on disk: its length is known, and `load` reads it, so a caller can
 * choose which parts are worth reading.
 */
export interface LookupPart {
  /** Index into the queried keys. */
  key: number;
  list: PostingList | null;
  from: number;
  to: number;
}

export interface LookupResult {
  parts: LookupPart[];
  /** Reads the chosen parts that are still on disk (sets their list, from and to). */
  load?: (parts: LookupPart[]) => Promise<void>;
}

/**
 * Integer fields of a posting from a hash's t1, c1 and span. c1 and span are kept within
 * 0..32767 so the same values fit the u16 segment record and PostgreSQL's smallint (real values
 * stay far inside: c1 below 8000 cents, span below 64 × 256).
 */
export function postingFields(t1: number, c1: number, span: number): { t1: number; c1: number; span: number } {
  return {
    t1: Math.round(t1 * T_SCALE),
    c1: Math.max(0, Math.min(32767, Math.round(c1))),
    span: Math.max(0, Math.min(32767, Math.round(span * SPAN_SCALE))),
  };
}
