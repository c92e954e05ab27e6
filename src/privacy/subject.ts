// Listeners' rights over what is held about them (GDPR articles 15, 17 and 20: access, erasure,
// portability) and their consents. A listener presents the identifier a service knows them by;
// it is hashed under every epoch's secret (pseudonyms.ts) and only the pseudonyms are looked up,
// so serving the request never writes the identifier anywhere.
//
// Listener data is never a dataset: consent purposes are recorded per listener and default to
// not allowed, and nothing in ledgerline reads them to ship listener data anywhere; the only
// ways out are this export, to the listener's own request, and the noised aggregates of
// aggregates.ts.

import { appendAudit, type AuditStore } from '../audit/index.ts';
import { LedgerlineError, type Caller, type Clock, type Transactor } from '../shared/index.ts';
import type { StreamStore } from '../streams/store.ts';
import { PrivacyErrors } from './errors.ts';
import type { Pseudonymizer } from './pseudonyms.ts';

export const PURPOSES = ['personalisation', 'analytics', 'third_party_sharing', 'ai_training'] as const;
export type Purpose = (typeof PURPOSES)[number];

export interface PrivacyDeps {
  store: Transactor<{ streams: StreamStore; audit: AuditStore }>;
  clock: Clock;
  pseudonyms: Pseudonymizer;
}

function pseudonymsOf(deps: PrivacyDeps, listener: string): string[] {
  if (typeof listener !== 'string' || listener.length === 0 || listener.length > 256) throw new LedgerlineError(PrivacyErrors.BAD_LISTENER, 'give the listener identifier the service knows them by (1-256 characters)');
  return deps.pseudonyms.everyEpoch('listener', listener).map((p) => p.pseudonym);
}

export interface ListenerExport {
  /** What the listener is known by here: pseudonyms, one per epoch. */
  pseudonyms: string[];
  events: Array<{ eventId: string; isrc: string; startedAt: string; msPlayed: number; country: string | null; service: string; context: string | null }>;
  consents: Array<{ purpose: string; state: string; updatedAt: string }>;
  /** Artificial-streaming findings that name the listener's pseudonym. */
  findings: Array<{ id: string; kind: string; status: string; periodFrom: string; periodTo: string }>;
  /** Purposes with no recorded consent are not allowed. */
  defaults: Record<Purpose, 'not_allowed'>;
}

export async function exportListener(deps: PrivacyDeps, caller: Caller, listener: string): Promise<ListenerExport> {
  const ids = pseudonymsOf(deps, listener);
  const r = deps.store.repos.streams;
  const events = await r.eventsOf(caller.orgId, ids);
  const out: ListenerExport = {
    pseudonyms: ids,
    events: events.map((e) => ({ eventId: e.eventId, isrc: e.isrc, startedAt: e.startedAt, msPlayed: e.msPlayed, country: e.country, service: e.service, context: e.context })),
    consents: (await r.consentsOf(caller.orgId, ids)).map((c) => ({ purpose: c.purpose, state: c.state, updatedAt: c.updatedAt })),
    findings: (await r.findingsNaming(caller.orgId, ids)).map((f) => ({ id: f.id, kind: f.kind, status: f.status, periodFrom: f.periodFrom, periodTo: f.periodTo })),
    defaults: Object.fromEntries(PURPOSES.map((p) => [p, 'not_allowed'])) as Record<Purpose, 'not_allowed'>,
  };
  // The audit entry records that an export happened, not whose.
  await appendAudit(deps.store.repos.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'privacy.export', subject: null, data: { events: out.events.length } });
  return out;
}

export interface ErasureReport {
  /** False when nothing was held: the answer is the same shape either way and says no more. */
  found: boolean;
  eventsErased: number;
  findingsUnlinked: number;
}

/** Deletes the listener's events and consents and takes their pseudonyms out of findings. Daily aggregates hold no listener. */
export async function eraseListener(deps: PrivacyDeps, caller: Caller, listener: string): Promise<ErasureReport> {
  const ids = pseudonymsOf(deps, listener);
  return deps.store.transaction(async (r) => {
    const erased = await r.streams.erase(caller.orgId, ids);
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'privacy.erase', subject: null, data: { events: erased.events, findings: erased.findings } });
    return { found: erased.events + erased.findings + erased.consents > 0, eventsErased: erased.events, findingsUnlinked: erased.findings };
  });
}

export async function setListenerConsent(deps: PrivacyDeps, caller: Caller, listener: string, purpose: string, allowed: boolean): Promise<{ purpose: Purpose; state: 'allowed' | 'not_allowed' }> {
  if (!(PURPOSES as readonly string[]).includes(purpose)) throw new LedgerlineError(PrivacyErrors.BAD_PURPOSE, `purpose must be one of ${PURPOSES.join(', ')}`, { purpose });
  const pseudonym = pseudonymsOf(deps, listener).at(-1)!;
  const state = allowed ? 'allowed' : 'not_allowed';
  await deps.store.transaction(async (r) => {
    await r.streams.setConsent(caller.orgId, pseudonym, purpose, state, deps.clock.now().toISOString());
    await appendAudit(r.audit, deps.clock, { orgId: caller.orgId, actor: caller.actor, action: 'privacy.consent', subject: null, data: { purpose, state } });
  });
  return { purpose: purpose as Purpose, state };
}
