// Reading partners' opt-out files into consent signals. Precedence, in full:
//  1. Signals only ever add information. A reservation (TDMRep tdm-reservation 1, an ai.txt
//     Disallow) overrides any allowance that took effect before it was seen, until a rights
//     holder of the track sets consent again after it.
//  2. A permission in a partner's file (tdm-reservation 0, Allow) is recorded but never grants
//     anything: only a rights holder (or the artist, for voice and style) can consent.
//  3. A missing signal never resets an earlier one: a later file that leaves a track out, or an
//     empty file, lifts no reservation. Signal rows are append-only.
// A location names a track when it contains the track's ISRC; "*", "/" and "/*" name every
// track of the organisation. Other locations cannot be tied to a track and are reported.

import { appendAudit } from '../audit/index.ts';
import { LedgerlineError, type Caller } from '../shared/index.ts';
import { ConsentErrors } from './errors.ts';
import type { ConsentDeps } from './service.ts';
import { scopePages } from './store.ts';
import type { ConsentSignal, TrackScopes, Use } from './types.ts';

export const SIGNAL_FORMATS = ['tdmrep', 'ai.txt'] as const;
export type SignalFormat = (typeof SIGNAL_FORMATS)[number];

const SIGNAL_USES: readonly Use[] = ['data_mining', 'ai_training', 'generative_training'];
const ISRC_IN_TEXT = /(?<![A-Z0-9])([A-Z]{2}-?[A-Z0-9]{3}-?\d{2}-?\d{5})(?![A-Z0-9])/i;
const EVERYTHING = new Set(['*', '/', '/*']);

interface RawSignal {
  location: string;
  reserved: boolean;
  rule: string;
  policy: string | null;
}

function bad(message: string, details: Record<string, unknown> = {}): LedgerlineError {
  return new LedgerlineError(ConsentErrors.BAD_SIGNAL, message, details);
}

/** Refuses NUL characters, which no stored text may hold. */
function noNul(text: string): string {
  const at = text.indexOf('\u0000');
  if (at >= 0) throw bad(`the file holds a NUL character at offset ${at}`);
  return text;
}

export function parseTdmrep(text: string): RawSignal[] {
  let doc: unknown;
  try {
    doc = JSON.parse(noNul(text));
  } catch (e) {
    throw bad(`tdmrep.json is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(doc)) throw bad('tdmrep.json must be a JSON array of rules');
  return doc.map((r, i) => {
    if (!r || typeof r !== 'object') throw bad(`rule ${i} is not an object`, { rule: i });
    const o = r as Record<string, unknown>;
    if (typeof o.location !== 'string' || o.location.length === 0 || o.location.length > 2000) throw bad(`rule ${i} has no location`, { rule: i });
    const res = o['tdm-reservation'];
    if (res !== 0 && res !== 1) throw bad(`rule ${i}: tdm-reservation must be 0 or 1`, { rule: i });
    const policy = o['tdm-policy'];
    if (policy !== undefined && typeof policy !== 'string') throw bad(`rule ${i}: tdm-policy must be a URL`, { rule: i });
    return { location: noNul(o.location), reserved: res === 1, rule: `tdm-reservation ${res} at ${o.location}`, policy: policy === undefined ? null : noNul(policy) };
  });
}

/** ai.txt in robots.txt syntax: every Allow and Disallow line, whichever user agent it is for. */
export function parseAiTxt(text: string): RawSignal[] {
  const out: RawSignal[] = [];
  let agents: string[] = [];
  let inRules = false;
  noNul(text).split(/\r?\n/).forEach((line, n) => {
    const clean = line.replace(/#.*/, '').trim();
    if (!clean) return;
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(clean);
    if (!m) throw bad(`ai.txt line ${n + 1} is not "Field: value"`, { line: n + 1 });
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (field === 'user-agent') {
      if (inRules) agents = [];
      inRules = false;
      agents.push(value);
    } else if (field === 'allow' || field === 'disallow') {
      inRules = true;
      if (!value) return;
      out.push({ location: value, reserved: field === 'disallow', rule: `User-Agent ${agents.join(', ') || '*'}: ${m[1]} ${value}`, policy: null });
    }
  });
  return out;
}


export interface SignalReport {
  format: SignalFormat;
  source: string;
  rules: number;
  signals: number;
  tracks: number;
  unmatched: string[];
}

export async function importSignals(deps: ConsentDeps, caller: Caller, input: { format: string; source: string; content: string }): Promise<SignalReport> {
  if (!(SIGNAL_FORMATS as readonly string[]).includes(input.format)) throw bad(`format must be ${SIGNAL_FORMATS.join(' or ')}`, { format: input.format });
  const format = input.format as SignalFormat;
  if (!input.source || input.source.length > 200) throw bad('name the source (the partner or URL the file came from), at most 200 characters');
  const raw = format === 'tdmrep' ? parseTdmrep(input.content) : parseAiTxt(input.content);
  const observedAt = deps.clock.now().toISOString();
  const report = await deps.store.transaction(async (r) => {
    const byIsrc = new Map<string, RawSignal[]>();
    const everything: RawSignal[] = [];
    const unmatched: string[] = [];
    for (const s of raw) {
      const m = ISRC_IN_TEXT.exec(s.location);
      if (m) {
        const isrc = m[1]!.replace(/-/g, '').toUpperCase();
        byIsrc.set(isrc, [...(byIsrc.get(isrc) ?? []), s]);
      } else if (EVERYTHING.has(s.location)) everything.push(s);
      else unmatched.push(s.location);
    }
    const targets = new Map<string, { track: TrackScopes; raws: RawSignal[] }>();
    const known = await r.consent.scopesByIsrc(caller.orgId, [...byIsrc.keys()]);
    for (const t of known) targets.set(t.trackId, { track: t, raws: byIsrc.get(t.isrc)! });
    for (const isrc of byIsrc.keys()) if (!known.some((t) => t.isrc === isrc)) unmatched.push(isrc);
    if (everything.length) {
      for await (const page of scopePages(r.consent, caller.orgId)) {
        for (const t of page) {
          const entry = targets.get(t.trackId);
          if (entry) entry.raws.push(...everything);
          else targets.set(t.trackId, { track: t, raws: [...everything] });
        }
      }
    }
    const rows: ConsentSignal[] = [];
    for (const { track, raws } of targets.values()) {
      for (const s of raws) for (const use of SIGNAL_USES) rows.push({ id: 0, trackId: track.trackId, use, reserved: s.reserved, format, source: input.source, rule: s.rule, policy: s.policy, observedAt });
    }
    for (let i = 0; i < rows.length; i += 2000) await r.consent.insertSignals(caller.orgId, rows.slice(i, i + 2000));
    const reserved = [...targets.values()].filter((t) => t.raws.some((s) => s.reserved)).map((t) => t.track);
    if (reserved.length && deps.afterChange) {
      await deps.afterChange(r, { orgId: caller.orgId, tracks: reserved, uses: [...SIGNAL_USES], at: observedAt, cause: `${format} reservation from ${input.source}` });
    }
    const report: SignalReport = { format, source: input.source, rules: raw.length, signals: rows.length, tracks: targets.size, unmatched: unmatched.slice(0, 100) };
    await appendAudit(r.audit, deps.clock, {
      orgId: caller.orgId,
      actor: caller.actor,
      action: 'consent.signals.import',
      subject: `source:${input.source}`,
      data: { format, rules: raw.length, signals: rows.length, tracks: targets.size, reservations: rows.filter((s) => s.reserved).length },
    });
    return report;
  });
  deps.view.changed(caller.orgId);
  return report;
}
