// Stream events as partners send them, and the reading of a batch (NDJSON or CSV).
//
// Only the fields below are taken. A field of any other name (a voice sample, an inferred
// emotion, age or gender, a location finer than the country, a device identifier) refuses the
// whole batch and is named: ledgerline never holds what it must not, even by accident of a
// partner's export. A line that cannot be read is reported by its number and the rest of the
// batch is kept.

import { LedgerlineError } from '../shared/index.ts';
import { StreamErrors } from './errors.ts';

export const MAX_EVENTS_PER_BATCH = 50_000;
/** A line longer than this is not an event of these fields; it is refused without being parsed. */
const MAX_LINE_CHARS = 2_048;
/** A stream counts (and earns) from this much play. */
export const COUNTED_MS = 30_000;
/** Clocks differ: an event may start up to this far after the server's now. */
const FUTURE_SLACK_MS = 5 * 60_000;

export const EVENT_FIELDS = ['eventId', 'listener', 'isrc', 'startedAt', 'msPlayed', 'country', 'service', 'client', 'context'] as const;
type Field = (typeof EVENT_FIELDS)[number];

export interface StreamEvent {
  eventId: string;
  listener: string;
  isrc: string;
  startedAt: string;
  msPlayed: number;
  country: string | null;
  service: string;
  client: string | null;
  context: string | null;
}

export interface LineError {
  line: number;
  error: string;
}

export interface ParsedBatch {
  events: StreamEvent[];
  errors: LineError[];
}

const ISRC = /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/;
const COUNTRY = /^[A-Z]{2}$/;
const SLUG = /^[a-z][a-z0-9_]{0,31}$/;

function forbidden(name: string): never {
  throw new LedgerlineError(StreamErrors.FORBIDDEN_FIELD, `stream events may not carry "${name}": only ${EVENT_FIELDS.join(', ')} are taken`, { field: name });
}

const ALLOWED = new Set<string>(EVENT_FIELDS);

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 127) return true;
  }
  return false;
}

/** One event from its fields, or the reason it cannot be one. Unknown field names throw (the batch is refused). */
export function readEvent(fields: Record<string, unknown>, now: number): StreamEvent | string {
  for (const name of Object.keys(fields)) if (!ALLOWED.has(name)) forbidden(name);
  const text = (f: Field, max: number, required: boolean): string | null | Error => {
    const v = fields[f];
    if (v === undefined || v === null || v === '') return required ? new Error(`${f} is required`) : null;
    if (typeof v !== 'string' || v.length > max) return new Error(`${f} must be a string of at most ${max} characters`);
    return v;
  };
  const eventId = text('eventId', 128, true);
  const listener = text('listener', 256, true);
  const isrc = text('isrc', 12, true);
  const startedAt = text('startedAt', 40, true);
  const service = text('service', 64, true);
  const country = text('country', 2, false);
  const client = text('client', 256, false);
  const context = text('context', 32, false);
  for (const v of [eventId, listener, isrc, startedAt, service, country, client, context]) if (v instanceof Error) return v.message;
  // Ids are kept and echoed back: no control characters (a tab or newline would also break the scan's reading).
  if (hasControl(eventId as string)) return 'eventId must not contain control characters';
  if (!ISRC.test(isrc as string)) return `isrc "${isrc}" is not an ISRC (CC XXX YY NNNNN, no hyphens)`;
  const at = Date.parse(startedAt as string);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(startedAt as string) || Number.isNaN(at)) return 'startedAt must be an ISO 8601 date and time';
  if (at > now + FUTURE_SLACK_MS) return 'startedAt lies in the future';
  const ms = typeof fields.msPlayed === 'string' && /^\d+$/.test(fields.msPlayed) ? Number(fields.msPlayed) : fields.msPlayed;
  if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 86_400_000) return 'msPlayed must be a whole number of milliseconds, at most a day';
  if (country !== null && !COUNTRY.test(country as string)) return 'country must be an ISO 3166 alpha-2 code';
  if (context !== null && !SLUG.test(context as string)) return 'context must be a lower-case word (playlist, album, radio, search, ai_dj, …)';
  return {
    eventId: eventId as string,
    listener: listener as string,
    isrc: isrc as string,
    startedAt: new Date(at).toISOString(),
    msPlayed: ms,
    country: country as string | null,
    service: service as string,
    client: client as string | null,
    context: context as string | null,
  };
}

function* lines(text: string): Generator<[number, string]> {
  let n = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    n++;
    const line = text.slice(from, to).replace(/\r$/, '');
    if (line.trim() !== '') yield [n, line];
    from = to + 1;
  }
}

function tooMany(): never {
  throw new LedgerlineError(StreamErrors.TOO_MANY_EVENTS, `a batch holds at most ${MAX_EVENTS_PER_BATCH} events; split it`, { max: MAX_EVENTS_PER_BATCH });
}

/** NDJSON: one JSON object per line. */
export function parseNdjson(text: string, now: number): ParsedBatch {
  const out: ParsedBatch = { events: [], errors: [] };
  let count = 0;
  for (const [n, line] of lines(text)) {
    if (++count > MAX_EVENTS_PER_BATCH) tooMany();
    if (line.length > MAX_LINE_CHARS) {
      out.errors.push({ line: n, error: `line longer than ${MAX_LINE_CHARS} characters` });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      out.errors.push({ line: n, error: 'not valid JSON' });
      continue;
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      out.errors.push({ line: n, error: 'not a JSON object' });
      continue;
    }
    const e = readEvent(value as Record<string, unknown>, now);
    if (typeof e === 'string') out.errors.push({ line: n, error: e });
    else out.events.push(e);
  }
  return out;
}

/** One CSV record's cells (RFC 4180 quoting); null when a quote is left open. */
function cells(line: string): string[] | null {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) return null;
  out.push(cell);
  return out;
}

/** CSV with a header row naming the fields. */
export function parseCsv(text: string, now: number): ParsedBatch {
  const out: ParsedBatch = { events: [], errors: [] };
  const it = lines(text);
  const first = it.next();
  if (first.done) return out;
  const header = cells(first.value[1]);
  if (!header) throw new LedgerlineError(StreamErrors.BAD_BATCH, 'the CSV header row cannot be read');
  const names = header.map((h) => h.trim());
  for (const name of names) if (!(EVENT_FIELDS as readonly string[]).includes(name)) forbidden(name);
  let count = 0;
  for (const [n, line] of it) {
    if (++count > MAX_EVENTS_PER_BATCH) tooMany();
    const row = line.length > MAX_LINE_CHARS ? null : cells(line);
    if (!row || row.length !== names.length) {
      out.errors.push({ line: n, error: row ? `${row.length} cells where the header names ${names.length}` : 'the line cannot be read as CSV' });
      continue;
    }
    const fields: Record<string, unknown> = {};
    for (const [i, name] of names.entries()) fields[name] = row[i];
    const e = readEvent(fields, now);
    if (typeof e === 'string') out.errors.push({ line: n, error: e });
    else out.events.push(e);
  }
  return out;
}
