// Consent operations: set a rule (versioned, authorised, audited), check one track or a batch,
// read a scope's history. Checks go through the in-memory view; changes go to the store and
// clear the view.

import { appendAudit, type AuditStore } from '../audit/index.ts';
import { CatalogErrors, normaliseIsrc } from '../catalog/index.ts';
import { LedgerlineError, type Clock, type Transactor } from '../shared/index.ts';
import { ConsentErrors } from './errors.ts';
import { scopeIdsOf } from './evaluate.ts';
import type { ConsentStore } from './store.ts';
import { checkTerms, parseInstant } from './terms.ts';
import { normaliseTerritory } from './territories.ts';
import {
  LEVELS,
  PERSONAL_USES,
  PURPOSES,
  STATES,
  USES,
  type CheckQuery,
  type ConsentRule,
  type ConsentState,
  type Decision,
  type Level,
  type Purpose,
  type TrackScopes,
  type Use,
} from './types.ts';
import type { ConsentView } from './view.ts';

export type ConsentRepos = { consent: ConsentStore; audit: AuditStore };

/** A change that may withdraw consent: a new rule version or a partner's reservation. */
export interface ConsentChange {
  orgId: string;
  /** The tracks it reaches. */
  tracks: TrackScopes[];
  uses: Use[];
  /** When it takes effect. */
  at: string;
  /** What changed, for the notice: "consent v12 (notAllowed)" or a signal's rule. */
  cause: string;
}

export interface ConsentDeps<R extends ConsentRepos = ConsentRepos> {
  store: Transactor<R>;
  clock: Clock;
  view: ConsentView;
  /** Runs inside the change's transaction (licensing issues revocation notices here). */
  afterChange?(r: R, change: ConsentChange): Promise<void>;
}

/** Who changes consent: a key's role and the rights holder or artist it speaks for. */
export interface ConsentActor {
  orgId: string;
  actor: string;
  role: string;
  subjectId: string | null;
  /** Who issued the key acting (kept on each consent version it sets). */
  keyIssuedBy?: string | null;
}

export interface SetConsentInput {
  level: Level | string;
  /** The scope's id; for the track level an ISRC may be given instead. */
  id?: string;
  isrc?: string;
  use: string;
  /** `inherit` withdraws this level's rule so the next level decides. */
  state: string;
  terms?: unknown;
  /** When the rule takes effect; default now. Never in the past: what was in force stays so. */
  effectiveAt?: string;
  note?: string;
}

export const MAX_BATCH = 10_000;
/** Clock skew allowed between a caller's "now" and ours. */
const PAST_TOLERANCE_MS = 60_000;

export function checkUse(raw: string): Use {
  if (!(USES as readonly string[]).includes(raw)) {
    throw new LedgerlineError(ConsentErrors.BAD_USE, `"${raw}" is not a use; expected one of ${USES.join(', ')}`, { use: raw });
  }
  return raw as Use;
}

function checkState(raw: string): ConsentState | null {
  if (raw === 'inherit') return null;
  if (!(STATES as readonly string[]).includes(raw)) {
    throw new LedgerlineError(ConsentErrors.BAD_STATE, `"${raw}" is not a consent state; expected ${STATES.join(', ')} or inherit`, { state: raw });
  }
  return raw as ConsentState;
}

function checkLevel(raw: string): Level {
  if (!(LEVELS as readonly string[]).includes(raw)) {
    throw new LedgerlineError(ConsentErrors.BAD_LEVEL, `"${raw}" is not a level; expected ${LEVELS.join(', ')}`, { level: raw });
  }
  return raw as Level;
}

async function resolveScope(r: ConsentRepos, orgId: string, input: SetConsentInput & { level: Level }): Promise<string> {
  if (input.level === 'track' && input.isrc && !input.id) {
    const isrc = normaliseIsrc(input.isrc);
    const [t] = await r.consent.scopesByIsrc(orgId, [isrc]);
    if (!t) throw new LedgerlineError(ConsentErrors.UNKNOWN_ISRC, `no track with ISRC ${isrc}`, { isrc });
    return t.trackId;
  }
  if (!input.id) throw new LedgerlineError(ConsentErrors.UNKNOWN_SCOPE, `name the ${input.level} by id${input.level === 'track' ? ' or isrc' : ''}`);
  if (!(await r.consent.scopeExists(orgId, input.level, input.id))) {
    throw new LedgerlineError(ConsentErrors.UNKNOWN_SCOPE, `no ${input.level.replace('_', ' ')} ${input.id}`, { level: input.level, id: input.id });
  }
  return input.id;
}

/**
 * Only a rights holder of every track the rule reaches (or, for voice and style, the artist of
 * every such track) may set it: one party never decides for another's recordings.
 */
function authorise(who: ConsentActor, level: Level, scopeId: string, use: Use, tracks: TrackScopes[]): void {
  const deny = (why: string) => new LedgerlineError(ConsentErrors.FORBIDDEN, why, { role: who.role, level, scopeId, use });
  if (!who.subjectId) throw deny(`a ${who.role} key not bound to a rights holder or artist cannot change consent`);
  if (who.role === 'rights_holder') {
    if (PERSONAL_USES.includes(use)) throw deny(`${use} is the artist's to decide: a voice or a style belongs to the artist, not to a rights holder`);
    if (level === 'rights_holder') {
      if (scopeId !== who.subjectId) throw deny('a rights holder may set rights-holder-level consent only for itself');
      return;
    }
    if (tracks.length === 0) throw deny(`the ${level} has no tracks this rights holder holds rights in`);
    const foreign = tracks.find((t) => !t.rightsHolderIds.includes(who.subjectId!));
    if (foreign) throw deny(`rights holder ${who.subjectId} holds no rights in track ${foreign.isrc}`);
    return;
  }
  if (who.role === 'artist') {
    if (!PERSONAL_USES.includes(use)) throw deny(`an artist decides ${PERSONAL_USES.join(' and ')} only; ${use} is for the rights holders`);
    if (level === 'rights_holder') throw deny('an artist sets consent at the artist, release or track level');
    if (tracks.length === 0 && !(level === 'artist' && scopeId === who.subjectId)) throw deny(`the ${level} has no tracks by this artist`);
    const foreign = tracks.find((t) => t.artistId !== who.subjectId);
    if (foreign) throw deny(`track ${foreign.isrc} is not by artist ${who.subjectId}`);
    return;
  }
  throw deny(`role ${who.role} cannot change consent; only rights holders and artists can`);
}

/** Records a new version of a rule; the previous versions stay and still answer "as of" queries. */
export async function setConsent<R extends ConsentRepos>(deps: ConsentDeps<R>, who: ConsentActor, input: SetConsentInput): Promise<ConsentRule> {
  const level = checkLevel(input.level);
  const use = checkUse(input.use);
  const state = checkState(input.state);
  const terms = state === 'constrained' ? checkTerms(input.terms) : [];
  if (state !== 'constrained' && input.terms !== undefined && !(Array.isArray(input.terms) && input.terms.length === 0)) {
    throw new LedgerlineError(ConsentErrors.BAD_TERMS, `terms apply to the constrained state only, not ${input.state}`);
  }
  const now = deps.clock.now();
  const effectiveAt = input.effectiveAt ? parseInstant(input.effectiveAt, 'effectiveAt') : now.toISOString();
  if (Date.parse(effectiveAt) < now.getTime() - PAST_TOLERANCE_MS) {
    throw new LedgerlineError(ConsentErrors.BAD_TIME, `effectiveAt ${effectiveAt} is in the past; consent in force at a past instant cannot be rewritten`, {
      effectiveAt,
    });
  }
  const rule = await deps.store.transaction(async (r) => {
    const scopeId = await resolveScope(r, who.orgId, { ...input, level });
    const tracks = await r.consent.tracksUnder(who.orgId, level, scopeId);
    authorise(who, level, scopeId, use, tracks);
    const rule = await r.consent.insertRule({
      orgId: who.orgId,
      level,
      scopeId,
      use,
      state,
      terms,
      effectiveAt,
      recordedAt: now.toISOString(),
      author: who.actor,
      authorRole: who.role,
      authorSubject: who.subjectId,
      authorKeyIssuedBy: who.keyIssuedBy ?? null,
      note: input.note ?? null,
    });
    await appendAudit(r.audit, deps.clock, {
      orgId: who.orgId,
      actor: who.actor,
      action: 'consent.set',
      subject: `${level}:${scopeId}`,
      data: { version: rule.version, use, state, terms, effectiveAt, tracks: tracks.length },
    });
    await deps.afterChange?.(r, { orgId: who.orgId, tracks, uses: [use], at: effectiveAt, cause: `consent v${rule.version} (${state ?? 'withdrawn'}) by ${who.actor}` });
    return rule;
  });
  deps.view.changed(who.orgId);
  return rule;
}

export interface CheckInput {
  use: string;
  licensee?: string;
  territory?: string;
  purpose?: string;
  at?: string;
}

export function checkQuery(clock: Clock, input: CheckInput): CheckQuery {
  const q: CheckQuery = { use: checkUse(input.use), at: input.at ? parseInstant(input.at, 'at') : clock.now().toISOString() };
  if (input.licensee) q.licensee = input.licensee.toLowerCase();
  if (input.territory) q.territory = normaliseTerritory(input.territory);
  if (input.purpose) {
    if (!(PURPOSES as readonly string[]).includes(input.purpose)) {
      throw new LedgerlineError(ConsentErrors.BAD_TERMS, `purpose must be one of ${PURPOSES.join(', ')}`, { purpose: input.purpose });
    }
    q.purpose = input.purpose as Purpose;
  }
  return q;
}

export interface CheckResult extends Decision {
  isrc: string;
  use: Use;
  at: string;
}

export async function checkConsent(deps: ConsentDeps, orgId: string, isrc: string, input: CheckInput): Promise<CheckResult> {
  const id = normaliseIsrc(isrc);
  const q = checkQuery(deps.clock, input);
  const [d] = await deps.view.decide(orgId, [id], q);
  if (!d) throw new LedgerlineError(ConsentErrors.UNKNOWN_ISRC, `no track with ISRC ${id}`, { isrc: id });
  return { isrc: id, use: q.use, at: q.at, ...d };
}

export type BatchResult = CheckResult | { isrc: string; error: { code: string; message: string } };

/** Up to MAX_BATCH ISRCs under one query; a bad or unknown ISRC gets its own error, not the batch's. */
export async function checkConsentBatch(deps: ConsentDeps, orgId: string, isrcs: string[], input: CheckInput): Promise<BatchResult[]> {
  if (isrcs.length > MAX_BATCH) {
    throw new LedgerlineError(ConsentErrors.BATCH_TOO_LARGE, `${isrcs.length} ISRCs; at most ${MAX_BATCH} per batch`, { count: isrcs.length, max: MAX_BATCH });
  }
  const q = checkQuery(deps.clock, input);
  const ids: (string | null)[] = isrcs.map((raw) => {
    try {
      return normaliseIsrc(raw);
    } catch {
      return null;
    }
  });
  const valid = ids.filter((i): i is string => i !== null);
  const decisions = await deps.view.decide(orgId, valid, q);
  let k = 0;
  return ids.map((id, i): BatchResult => {
    if (id === null) return { isrc: isrcs[i]!, error: { code: CatalogErrors.BAD_ISRC.code, message: `"${isrcs[i]}" is not an ISRC` } };
    const d = decisions[k++];
    if (!d) return { isrc: id, error: { code: ConsentErrors.UNKNOWN_ISRC.code, message: `no track with ISRC ${id}` } };
    return { isrc: id, use: q.use, at: q.at, ...d };
  });
}

/** Every version of the rules that reach a track, newest first: the track's consent history. */
export async function consentHistory(deps: ConsentDeps, orgId: string, isrc: string): Promise<{ track: TrackScopes; rules: ConsentRule[] }> {
  const id = normaliseIsrc(isrc);
  const [track] = await deps.store.repos.consent.scopesByIsrc(orgId, [id]);
  if (!track) throw new LedgerlineError(ConsentErrors.UNKNOWN_ISRC, `no track with ISRC ${id}`, { isrc: id });
  const rules = await deps.store.repos.consent.rulesForScopes(orgId, scopeIdsOf(track));
  return { track, rules: rules.sort((a, b) => b.version - a.version) };
}
