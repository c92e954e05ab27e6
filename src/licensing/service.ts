// Licensing operations: licensees and licenses, dataset requests answered with a signed
// manifest of exactly the recordings whose consent allows the use for that licensee at that
// instant, training runs registered against manifests, and revocation notices when consent is
// withdrawn from a recording a manifest already delivered. Everything is audit-logged.

import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/index.ts';
import {
  checkUse,
  evaluate,
  indexRules,
  normaliseTerritory,
  parseInstant,
  PURPOSES,
  scopeIdsOf,
  type ConsentActor,
  type ConsentChange,
  type ConsentRepos,
  type ConsentSignal,
  type Purpose,
  type TrackScopes,
} from '../consent/index.ts';
import { LedgerlineError, type Clock, type Transactor } from '../shared/index.ts';
import { LicensingErrors } from './errors.ts';
import { buildManifest, proveIsrc } from './manifest.ts';
import type { KeyRing } from './keyring.ts';
import type { SigningKey } from './signing.ts';
import type { Candidate, LicensingStore, NewNotice } from './store.ts';
import type { DatasetFilters, Fee, License, Licensee, Manifest, ManifestEntry, Proof, RevocationNotice, TrainingRun } from './types.ts';

export type LicensingRepos = ConsentRepos & { licensing: LicensingStore };

export interface LicensingDeps {
  store: Transactor<LicensingRepos>;
  clock: Clock;
  /** The manifest-signing key, kept outside the database. */
  keys: KeyRing;
}


const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;

function notFound(what: string, id: string) {
  return new LedgerlineError(LicensingErrors.NOT_FOUND, `no ${what} ${id}`, { id });
}

function bad(message: string, details: Record<string, unknown> = {}) {
  return new LedgerlineError(LicensingErrors.BAD_LICENSE, message, details);
}

/** A licensee key acts only for its own licensee. */
function ownOnly(who: ConsentActor, licenseeId: string) {
  if (who.role === 'licensee' && who.subjectId !== licenseeId) {
    const message = who.subjectId === null ? 'this licensee key is bound to no licensee; create one with a subject' : 'this licensee key is bound to another licensee';
    throw new LedgerlineError(LicensingErrors.FOREIGN_LICENSEE, message, { licenseeId });
  }
}

const audit = (r: LicensingRepos, clock: Clock, who: { orgId: string; actor: string }, action: string, subject: string, data: Record<string, unknown>) =>
  appendAudit(r.audit, clock, { orgId: who.orgId, actor: who.actor, action, subject, data });

// ---- licensees and licenses ----

export async function createLicensee(deps: LicensingDeps, who: { orgId: string; actor: string }, input: { slug: string; name: string }): Promise<Licensee> {
  if (!SLUG.test(input.slug)) throw bad(`"${input.slug}" is not a slug (2-63 of a-z, 0-9, "-")`, { slug: input.slug });
  return deps.store.transaction(async (r) => {
    if (await r.licensing.findLicenseeBySlug(who.orgId, input.slug)) {
      throw new LedgerlineError(LicensingErrors.DUPLICATE_LICENSEE, `a licensee "${input.slug}" exists`, { slug: input.slug });
    }
    const l = await r.licensing.insertLicensee(who.orgId, input);
    await audit(r, deps.clock, who, 'licensee.create', `licensee:${l.id}`, { slug: l.slug, name: l.name });
    return l;
  });
}

export async function listLicensees(deps: LicensingDeps, orgId: string): Promise<Licensee[]> {
  return deps.store.repos.licensing.listLicensees(orgId);
}

async function resolveLicensee(r: LicensingRepos, orgId: string, ref: string): Promise<Licensee> {
  const l = (await r.licensing.findLicenseeBySlug(orgId, ref)) ?? (await r.licensing.getLicensee(orgId, ref));
  if (!l) throw notFound('licensee', ref);
  return l;
}

export interface LicenseInput {
  licensee: string;
  uses: string[];
  territories: string[];
  purpose?: string | null;
  validFrom?: string;
  validUntil?: string | null;
  fee?: Fee | null;
}

function checkFee(fee: Fee | null | undefined): Fee | null {
  if (!fee) return null;
  if (!/^[A-Z]{3}$/.test(fee.currency)) throw bad(`fee currency "${fee.currency}" is not an ISO 4217 code`);
  if (!Number.isSafeInteger(fee.amountMinor) || fee.amountMinor < 0) throw bad('fee amountMinor must be a non-negative integer of minor units');
  if (fee.per !== 'track' && fee.per !== 'dataset') throw bad('fee per must be "track" or "dataset"');
  return { currency: fee.currency, amountMinor: fee.amountMinor, per: fee.per };
}

export async function createLicense(deps: LicensingDeps, who: { orgId: string; actor: string }, input: LicenseInput): Promise<License> {
  if (!Array.isArray(input.uses) || input.uses.length === 0) throw bad('a license names at least one use');
  const uses = [...new Set(input.uses.map(checkUse))];
  if (!Array.isArray(input.territories) || input.territories.length === 0) throw bad('a license names at least one territory (or Worldwide)');
  const territories = [...new Set(input.territories.map(normaliseTerritory))];
  if (input.purpose && !(PURPOSES as readonly string[]).includes(input.purpose)) throw bad(`purpose must be one of ${PURPOSES.join(', ')}`);
  const validFrom = input.validFrom ? parseInstant(input.validFrom, 'validFrom') : deps.clock.now().toISOString();
  const validUntil = input.validUntil ? parseInstant(input.validUntil, 'validUntil') : null;
  if (validUntil && validUntil <= validFrom) throw bad('validUntil must be after validFrom');
  const fee = checkFee(input.fee);
  return deps.store.transaction(async (r) => {
    const licensee = await resolveLicensee(r, who.orgId, input.licensee);
    const l = await r.licensing.insertLicense(who.orgId, { licenseeId: licensee.id, uses, territories, purpose: (input.purpose as Purpose) ?? null, validFrom, validUntil, fee });
    await audit(r, deps.clock, who, 'license.create', `license:${l.id}`, { licensee: licensee.slug, uses, territories, purpose: l.purpose, validFrom, validUntil, fee });
    return l;
  });
}

/** The licensee a licensee key sees for (null: bound to none, so nothing); undefined for other roles: all. */
const ownLicensee = (who: ConsentActor) => (who.role === 'licensee' ? who.subjectId : undefined);

export async function listLicenses(deps: LicensingDeps, who: ConsentActor): Promise<License[]> {
  const own = ownLicensee(who);
  return own === null ? [] : deps.store.repos.licensing.listLicenses(who.orgId, own);
}

// ---- dataset requests and manifests ----

/** The current signing key, its public half published in the same transaction as what it signs. */
async function signingKey(r: LicensingRepos, keys: KeyRing): Promise<SigningKey> {
  const key = await keys.current();
  await r.licensing.registerPublicKey(key);
  return key;
}

/** Makes a new signing key the current one and publishes it; earlier manifests keep verifying under theirs. */
export async function rotateSigningKey(deps: LicensingDeps, actor: string): Promise<{ id: string; publicKeyPem: string }> {
  const key = await deps.keys.rotate();
  await deps.store.transaction(async (r) => {
    await r.licensing.registerPublicKey(key);
    await appendAudit(r.audit, deps.clock, { orgId: null, actor, action: 'signing-key.rotate', subject: `signing-key:${key.id}`, data: { keyId: key.id, where: deps.keys.describe() } });
  });
  return { id: key.id, publicKeyPem: key.publicKeyPem };
}

export async function publicKeys(deps: LicensingDeps) {
  const published = await deps.store.repos.licensing.publicKeys();
  if (published.length > 0) return published;
  await deps.store.transaction((r) => signingKey(r, deps.keys));
  return deps.store.repos.licensing.publicKeys();
}

export interface DatasetRequest {
  use: string;
  territory: string;
  filters?: DatasetFilters;
}

function checkFilters(f: DatasetFilters = {}): DatasetFilters {
  const out: DatasetFilters = {};
  if (f.genre !== undefined) out.genre = String(f.genre);
  for (const k of ['minDurationMs', 'maxDurationMs'] as const) {
    if (f[k] !== undefined) {
      if (!Number.isSafeInteger(f[k]) || f[k]! < 0) throw new LedgerlineError(LicensingErrors.BAD_REQUEST, `${k} must be a non-negative integer`);
      out[k] = f[k];
    }
  }
  for (const k of ['releasedAfter', 'releasedBefore'] as const) if (f[k] !== undefined) out[k] = parseInstant(String(f[k]), k).slice(0, 10);
  if (f.excludeAi !== undefined) out.excludeAi = f.excludeAi === true;
  return out;
}

/** Scopes, rules and signals of the candidates, read in the request's transaction (never from a cache). */
async function loadConsent(r: LicensingRepos, orgId: string, isrcs: string[]) {
  const tracks = await r.consent.scopesByIsrc(orgId, isrcs);
  const rules = indexRules(await r.consent.rulesForScopes(orgId, [...new Set(tracks.flatMap(scopeIdsOf))]));
  const signals = new Map<string, ConsentSignal[]>();
  for (const s of await r.consent.signalsFor(orgId, tracks.map((t) => t.trackId))) signals.set(s.trackId, [...(signals.get(s.trackId) ?? []), s]);
  return { tracks, rules, signals };
}

export interface DatasetAnswer {
  manifest: Manifest;
  /** Every selected track left out, counted under its reason. */
  excluded: { notAllowed: number; compensationUnpaid: number; noIsrc: number; noAudio: number };
}

export async function requestDataset(deps: LicensingDeps, who: ConsentActor, licenseId: string, req: DatasetRequest): Promise<DatasetAnswer> {
  const use = checkUse(req.use);
  const territory = normaliseTerritory(req.territory);
  const filters = checkFilters(req.filters);
  const now = deps.clock.now().toISOString();
  return deps.store.transaction(async (r) => {
    const license = await r.licensing.getLicense(who.orgId, licenseId);
    if (!license) throw notFound('license', licenseId);
    ownOnly(who, license.licenseeId);
    if (!license.uses.includes(use)) throw new LedgerlineError(LicensingErrors.BAD_REQUEST, `license ${license.id} does not cover ${use} (it covers ${license.uses.join(', ')})`, { use });
    if (!license.territories.includes('Worldwide') && !license.territories.includes(territory)) {
      throw new LedgerlineError(LicensingErrors.BAD_REQUEST, `license ${license.id} does not cover territory ${territory}`, { territory });
    }
    if (now < license.validFrom || (license.validUntil !== null && now >= license.validUntil)) {
      throw new LedgerlineError(LicensingErrors.LICENSE_INACTIVE, `license ${license.id} is in force from ${license.validFrom} until ${license.validUntil ?? 'further notice'}`, { licenseId });
    }
    const licensee = (await r.licensing.getLicensee(who.orgId, license.licenseeId))!;
    const selected = await r.licensing.datasetCandidates(who.orgId, filters);
    const excluded = { notAllowed: 0, compensationUnpaid: 0, noIsrc: 0, noAudio: 0 };
    // A manifest entry is keyed by ISRC and commits to the audio's hash: a track lacking either cannot be delivered.
    const candidates: Array<Candidate & { isrc: string; contentHash: string }> = [];
    for (const c of selected) {
      if (c.isrc === null) excluded.noIsrc++;
      else if (c.contentHash === null) excluded.noAudio++;
      else candidates.push({ ...c, isrc: c.isrc, contentHash: c.contentHash });
    }
    const byIsrc = new Map(candidates.map((c) => [c.isrc, c]));
    const { tracks, rules, signals } = await loadConsent(r, who.orgId, [...byIsrc.keys()]);
    const q = { use, licensee: licensee.slug, territory, at: now, ...(license.purpose ? { purpose: license.purpose } : {}) };
    const entries: ManifestEntry[] = [];
    const trackIds: string[] = [];
    for (const t of tracks) {
      const d = evaluate(t, rules, signals.get(t.trackId) ?? [], q);
      if (!d.allowed || d.decidedBy.kind !== 'rule') excluded.notAllowed++;
      else if (d.compensationRequired && !license.fee) excluded.compensationUnpaid++;
      else {
        const c = byIsrc.get(t.isrc)!;
        entries.push({ isrc: c.isrc, contentHash: c.contentHash, durationMs: c.durationMs, consentVersion: d.decidedBy.version });
        trackIds.push(t.trackId);
      }
    }
    const org = who.orgId;
    const manifest = buildManifest(
      { id: randomUUID(), organisation: org, license: license.id, licensee: licensee.slug, use, territory, purpose: license.purpose, issuedAt: now, filters },
      entries,
      await signingKey(r, deps.keys),
    );
    const idOf = new Map(tracks.map((t) => [t.isrc, t.trackId]));
    await r.licensing.insertManifest(org, licensee.id, manifest, manifest.entries.map((e) => idOf.get(e.isrc)!));
    await audit(r, deps.clock, who, 'manifest.issue', `manifest:${manifest.header.id}`, {
      license: license.id,
      licensee: licensee.slug,
      use,
      territory,
      count: manifest.header.count,
      root: manifest.header.root,
      keyId: manifest.header.keyId,
      excluded,
    });
    return { manifest, excluded };
  });
}

async function ownManifest(deps: LicensingDeps, who: ConsentActor, id: string) {
  const found = await deps.store.repos.licensing.getManifest(who.orgId, id);
  if (!found) throw notFound('manifest', id);
  ownOnly(who, found.licenseeId);
  return found;
}

export async function getManifest(deps: LicensingDeps, who: ConsentActor, id: string): Promise<Manifest> {
  return (await ownManifest(deps, who, id)).manifest;
}

export async function proveInManifest(deps: LicensingDeps, who: ConsentActor, id: string, isrc: string): Promise<Proof> {
  const { manifest } = await ownManifest(deps, who, id);
  return proveIsrc(manifest, isrc.replace(/-/g, '').toUpperCase());
}

// ---- training runs ----

export interface RunInput {
  modelName: string;
  modelVersion: string;
  startedAt: string;
  endedAt?: string | null;
}

export async function registerRun(deps: LicensingDeps, who: ConsentActor, manifestId: string, input: RunInput): Promise<TrainingRun> {
  const { manifest, licenseeId } = await ownManifest(deps, who, manifestId);
  const startedAt = parseInstant(input.startedAt, 'startedAt');
  const endedAt = input.endedAt ? parseInstant(input.endedAt, 'endedAt') : null;
  if (endedAt && endedAt < startedAt) throw new LedgerlineError(LicensingErrors.BAD_RUN, 'endedAt is before startedAt');
  if (startedAt < manifest.header.issuedAt) throw new LedgerlineError(LicensingErrors.BAD_RUN, `the run starts before manifest ${manifestId} was issued (${manifest.header.issuedAt})`);
  return deps.store.transaction(async (r) => {
    const run = await r.licensing.insertRun({
      orgId: who.orgId,
      manifestId,
      modelName: input.modelName,
      modelVersion: input.modelVersion,
      startedAt,
      endedAt,
      registeredAt: deps.clock.now().toISOString(),
    });
    await audit(r, deps.clock, who, 'training_run.register', `manifest:${manifestId}`, { run: run.id, licenseeId, modelName: run.modelName, modelVersion: run.modelVersion, startedAt, endedAt });
    return run;
  });
}

// ---- revocations ----

/**
 * Called in the transaction of every consent change: each manifest that delivered an affected
 * track for an affected use is checked again as of the change's effective time, and a notice is
 * recorded for every track the licensee may no longer use.
 */
export async function noticeRevocations(r: LicensingRepos, clock: Clock, change: ConsentChange): Promise<number> {
  if (change.tracks.length === 0) return 0;
  const issued = await r.licensing.issuedEntries(change.orgId, change.tracks.map((t) => t.trackId), change.uses);
  if (issued.length === 0) return 0;
  const { tracks, rules, signals } = await loadConsent(r, change.orgId, [...new Set(issued.map((e) => e.isrc))]);
  const byId = new Map<string, TrackScopes>(tracks.map((t) => [t.trackId, t]));
  const createdAt = clock.now().toISOString();
  const notices: NewNotice[] = [];
  for (const e of issued) {
    const t = byId.get(e.trackId);
    if (!t) continue;
    const h = e.header;
    const d = evaluate(t, rules, signals.get(t.trackId) ?? [], { use: h.use, licensee: h.licensee, territory: h.territory, at: change.at, ...(h.purpose ? { purpose: h.purpose } : {}) });
    if (d.allowed) continue;
    notices.push({
      orgId: change.orgId,
      licenseeId: e.licenseeId,
      manifestId: e.manifestId,
      trackId: e.trackId,
      isrc: e.isrc,
      use: h.use,
      consentVersion: d.decidedBy.kind === 'rule' ? d.decidedBy.version : Math.max(0, ...d.rules),
      effectiveAt: change.at,
      reason: `${change.cause}: ${d.reason}`,
      createdAt,
    });
  }
  const added = await r.licensing.insertNotices(notices);
  if (added > 0) {
    await appendAudit(r.audit, clock, {
      orgId: change.orgId,
      actor: 'system:licensing',
      action: 'revocation.notice',
      subject: null,
      data: { cause: change.cause, notices: added, manifests: [...new Set(notices.map((n) => n.manifestId))] },
    });
  }
  return added;
}

export async function listRevocations(deps: LicensingDeps, who: ConsentActor, afterId: number, limit: number): Promise<RevocationNotice[]> {
  const own = ownLicensee(who);
  if (own === null) return [];
  const notices = await deps.store.repos.licensing.listNotices(who.orgId, own ?? null, afterId, limit);
  const runs = await deps.store.repos.licensing.runsOf(who.orgId, [...new Set(notices.map((n) => n.manifestId))]);
  return notices.map((n) => ({
    ...n,
    runs: runs.filter((x) => x.manifestId === n.manifestId).map((x) => ({ id: x.id, modelName: x.modelName, modelVersion: x.modelVersion })),
  }));
}

