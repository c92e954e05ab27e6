// "May this licensee use this track for this purpose, here, at this instant?" Pure: the rules
// and signals come in, a decision with its evidence goes out.
//
// Voluntary participation: nothing is allowed unless a rights holder (or, for voice and
// style, the artist) said so. The most specific level with a rule in force decides: track,
// then release, then artist, then rights holder. At the rights-holder level every rights
// holder of the track must allow, since one party cannot consent for another's share. A
// partner's TDMRep or ai.txt reservation seen after the deciding rule took effect overrides an
// allowance until a rights holder decides again.

import { termRefusal } from './terms.ts';
import { PERSONAL_USES, type CheckQuery, type ConsentRule, type ConsentSignal, type Decision, type Level, type TrackScopes, type Use } from './types.ts';

/** Every scope a rule reaching this track can be set on: the track, its release, artist and rights holders. */
export function scopeIdsOf(t: TrackScopes): string[] {
  return [t.trackId, t.releaseId, t.artistId, ...t.rightsHolderIds].filter((id): id is string => id !== null);
}

/** Rule versions by scope id, then use, in effective order (effectiveAt, then version). */
export type RuleIndex = Map<string, Map<Use, ConsentRule[]>>;

export function indexRules(rules: Iterable<ConsentRule>): RuleIndex {
  const idx: RuleIndex = new Map();
  for (const r of rules) {
    let byUse = idx.get(r.scopeId);
    if (!byUse) idx.set(r.scopeId, (byUse = new Map()));
    const list = byUse.get(r.use);
    if (list) list.push(r);
    else byUse.set(r.use, [r]);
  }
  for (const byUse of idx.values()) {
    for (const list of byUse.values()) list.sort((a, b) => (a.effectiveAt < b.effectiveAt ? -1 : a.effectiveAt > b.effectiveAt ? 1 : a.version - b.version));
  }
  return idx;
}

/** The version in force for a scope and use at an instant, or null (none yet, or withdrawn). */
export function ruleInForce(idx: RuleIndex, scopeId: string | null, use: Use, at: string): ConsentRule | null {
  if (!scopeId) return null;
  const list = idx.get(scopeId)?.get(use);
  if (!list) return null;
  let found: ConsentRule | null = null;
  for (const r of list) {
    if (r.effectiveAt > at) break;
    found = r;
  }
  return found && found.state !== null ? found : null;
}

type Verdict = { allowed: boolean; reason: string; term?: number; compensationRequired: boolean };

function judge(rule: ConsentRule, q: CheckQuery): Verdict {
  if (rule.state === 'allowed') return { allowed: true, reason: 'allowed', compensationRequired: false };
  if (rule.state === 'notAllowed') return { allowed: false, reason: 'not allowed', compensationRequired: false };
  if (rule.terms.length === 0) return { allowed: false, reason: 'constrained with no terms, so not allowed', compensationRequired: false };
  const refusals: string[] = [];
  for (let i = 0; i < rule.terms.length; i++) {
    const why = termRefusal(rule.terms[i]!, q);
    if (why === null) {
      const pay = rule.terms[i]!.compensationRequired === true;
      return { allowed: true, reason: `allowed under term ${i}${pay ? ', compensation required' : ''}`, term: i, compensationRequired: pay };
    }
    refusals.push(`term ${i}: ${why}`);
  }
  return { allowed: false, reason: `no term covers the request (${refusals.join('; ')})`, compensationRequired: false };
}

const LEVEL_NAME: Record<Level, string> = { track: 'track', release: 'release', artist: 'artist', rights_holder: 'rights holder' };

function fromRule(rule: ConsentRule, v: Verdict, rules: number[]): Decision {
  return {
    allowed: v.allowed,
    decidedBy: {
      kind: 'rule',
      level: rule.level,
      scopeId: rule.scopeId,
      version: rule.version,
      effectiveAt: rule.effectiveAt,
      author: rule.author,
      state: rule.state!,
      ...(v.term !== undefined ? { term: v.term } : {}),
    },
    rules,
    reason: `${LEVEL_NAME[rule.level]} rule v${rule.version} (${rule.state}, since ${rule.effectiveAt}): ${v.reason}`,
    compensationRequired: v.compensationRequired,
  };
}

function byRule(track: TrackScopes, idx: RuleIndex, q: CheckQuery): Decision {
  // A voice or a style is the artist's own: only the artist's rules decide it, whatever a rights
  // holder may have recorded.
  const personal = PERSONAL_USES.includes(q.use);
  for (const scope of [track.trackId, track.releaseId, track.artistId]) {
    const rule = ruleInForce(idx, scope, q.use, q.at);
    if (rule && (!personal || rule.authorRole === 'artist')) return fromRule(rule, judge(rule, q), [rule.version]);
  }
  if (personal) {
    return { allowed: false, decidedBy: { kind: 'default' }, rules: [], reason: `the artist has not given consent for ${q.use.replace('_', ' ')}, which only the artist decides (voluntary participation)`, compensationRequired: false };
  }
  const holders = track.rightsHolderIds.map((id) => ({ id, rule: ruleInForce(idx, id, q.use, q.at) }));
  const set = holders.filter((h) => h.rule !== null);
  if (set.length === 0) {
    return { allowed: false, decidedBy: { kind: 'default' }, rules: [], reason: 'no rights holder has given consent for this use (voluntary participation)', compensationRequired: false };
  }
  const versions = set.map((h) => h.rule!.version);
  const silent = holders.find((h) => h.rule === null);
  if (silent) {
    const other = set[0]!.rule!;
    return fromRule(other, { allowed: false, reason: `rights holder ${silent.id} has not given consent`, compensationRequired: false }, versions);
  }
  let last: Decision | null = null;
  let pay = false;
  for (const h of set) {
    const v = judge(h.rule!, q);
    last = fromRule(h.rule!, v, versions);
    if (!v.allowed) return last;
    pay ||= v.compensationRequired;
  }
  return { ...last!, compensationRequired: pay };
}

export function evaluate(track: TrackScopes, idx: RuleIndex, signals: readonly ConsentSignal[], q: CheckQuery): Decision {
  const d = byRule(track, idx, q);
  if (!d.allowed || d.decidedBy.kind !== 'rule') return d;
  const since = d.decidedBy.effectiveAt;
  const reservation = signals.find((s) => s.use === q.use && s.reserved && s.observedAt > since && s.observedAt <= q.at);
  if (!reservation) return d;
  return {
    allowed: false,
    decidedBy: { kind: 'signal', format: reservation.format, source: reservation.source, rule: reservation.rule, observedAt: reservation.observedAt },
    rules: d.rules,
    reason: `${reservation.format} reservation from ${reservation.source} (${reservation.rule}, seen ${reservation.observedAt}) after the allowing rule v${d.decidedBy.version}; a rights holder must confirm consent again`,
    compensationRequired: false,
  };
}

/**
 * The general state of a use for a track, for the public signals (CAWG, TDMRep, ai.txt), which
 * cannot ask who is asking: `constrained` when some licensee could be allowed, with the rules
 * whose terms say how.
 */
export function publicState(track: TrackScopes, idx: RuleIndex, signals: readonly ConsentSignal[], use: Use, at: string): { state: 'allowed' | 'notAllowed' | 'constrained'; rules: ConsentRule[] } {
  let rules: ConsentRule[] = [];
  for (const scope of [track.trackId, track.releaseId, track.artistId]) {
    const rule = ruleInForce(idx, scope, use, at);
    if (rule) {
      rules = [rule];
      break;
    }
  }
  if (rules.length === 0) {
    const held = track.rightsHolderIds.map((id) => ruleInForce(idx, id, use, at));
    if (held.length === 0 || held.some((r) => r === null)) return { state: 'notAllowed', rules: held.filter((r): r is ConsentRule => r !== null) };
    rules = held as ConsentRule[];
  }
  const since = rules.reduce((m, r) => (r.effectiveAt > m ? r.effectiveAt : m), '');
  if (signals.some((s) => s.use === use && s.reserved && s.observedAt > since && s.observedAt <= at)) return { state: 'notAllowed', rules };
  if (rules.some((r) => r.state === 'notAllowed' || (r.state === 'constrained' && r.terms.length === 0))) return { state: 'notAllowed', rules };
  if (rules.some((r) => r.state === 'constrained')) return { state: 'constrained', rules };
  return { state: 'allowed', rules };
}
