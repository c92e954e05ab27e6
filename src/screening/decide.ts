// The effect of a screening job: everything the catalog, consent and the uploader's history say,
// turned into signals, decided by the policy, stored with its evidence, and queued for a person
// when the policy holds it. Runs once per upload and round.

import { appendAudit } from '../audit/index.ts';
import type { CatalogStore } from '../catalog/index.ts';
import { evaluate, indexRules } from '../consent/index.ts';
import { DEFAULT_CONFIG, DEFAULT_MATCH, findCatalogMatches, matchHashes, MemoryIndex, type Hashes } from '../fingerprint/index.ts';
import { packHashes, unpackHashes } from './packed-fingerprint.ts';
import { plainName, type KnownArtist } from './names.ts';
import { applyPolicy } from './policy.ts';
import type { ScreeningRepos, ScreenPayload, ScreenWork, ScreeningServices } from './job-types.ts';
import { SCREENING_SETTINGS, screeningSignals, type ScreeningInput } from './signals.ts';
import type { SameAudio } from './store.ts';

const ACTOR = 'system:screening';

async function knownArtists(catalog: CatalogStore, orgId: string): Promise<KnownArtist[]> {
  const out: KnownArtist[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await catalog.listArtists(orgId, { limit: 500, offset });
    out.push(...page.map((a) => ({ id: a.id, name: a.name, verified: a.verified })));
    if (page.length < 500) return out;
  }
}

/** Whether the artist an upload says it imitates allowed that use (artist-level consent; voluntary). */
async function imitationConsent(repos: ScreeningRepos, orgId: string, artists: KnownArtist[], imitates: NonNullable<ScreeningInput['imitates']>, at: string) {
  const artist = artists.find((a) => plainName(a.name) === plainName(imitates.artist));
  if (!artist) return { allowed: false, reason: `no artist "${imitates.artist}" in the catalog has given consent` };
  const rules = indexRules(await repos.consent.rulesForScopes(orgId, [artist.id]));
  const d = evaluate({ trackId: '', isrc: '', releaseId: null, artistId: artist.id, rightsHolderIds: [] }, rules, [], { use: imitates.use, at });
  return { allowed: d.allowed, reason: d.reason };
}

/**
 * How far back, and how many of the organisation's earlier uploads (every uploader's: the same
 * audio sent again from another account under another title is the scheme), the same-audio
 * match looks. Exact copies are found at any age through the content hash.
 */
const NEAR_WINDOW_MS = 7 * 24 * 3600 * 1000;
const NEAR_LIMIT = 200;
/** A match covering this share of the shorter upload makes them the same audio. */
const NEAR_SHARE = 0.5;

/** When a fingerprint's first and last hashes stand, in seconds (hash times are analysis frames). */
function hashSeconds(h: Hashes): { first: number; last: number } {
  if (h.count === 0) return { first: 0, last: 0 };
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < h.count; i++) {
    lo = Math.min(lo, h.t1[i]!);
    hi = Math.max(hi, h.t1[i]!);
  }
  return { first: lo * DEFAULT_CONFIG.hopSeconds, last: hi * DEFAULT_CONFIG.hopSeconds };
}

/** Earlier uploads with the same audio, re-encoded, cut or retitled, by this uploader or another. */
async function nearDuplicates(repos: ScreeningRepos, orgId: string, upload: { id: string }, hashes: Hashes, now: string): Promise<SameAudio[]> {
  const earlier = await repos.screening.recentFingerprints(orgId, new Date(Date.parse(now) - NEAR_WINDOW_MS).toISOString(), upload.id, NEAR_LIMIT);
  if (earlier.length === 0 || hashes.count === 0) return [];
  const index = new MemoryIndex();
  const stored = earlier.map((e, i) => ({ ref: i + 1, hashes: unpackHashes(e.packed) }));
  await index.add(stored);
  const matches = await matchHashes(index, hashes, DEFAULT_CONFIG, { ...DEFAULT_MATCH, maxResults: NEAR_LIMIT });
  const lastSecond = (h: Hashes) => hashSeconds(h).last;
  const queryEnd = lastSecond(hashes);
  return matches
    .filter((m) => m.queryEnd - m.queryStart >= NEAR_SHARE * Math.min(queryEnd, lastSecond(stored[m.ref - 1]!.hashes)))
    .map((m) => ({ uploadId: earlier[m.ref - 1]!.uploadId, uploader: earlier[m.ref - 1]!.uploader, title: earlier[m.ref - 1]!.title }));
}

export async function decideUpload(repos: ScreeningRepos, services: ScreeningServices, p: ScreenPayload, work: ScreenWork): Promise<void> {
  const upload = await repos.screening.lockUpload(p.orgId, p.uploadId);
  if (!upload) return;
  const previous = await repos.screening.decisions(p.orgId, p.uploadId);
  if (previous.some((d) => d.round === p.round)) return;
  const now = services.clock.now().toISOString();
  const audit = (action: string, data: Record<string, unknown>) =>
    appendAudit(repos.audit, services.clock, { orgId: p.orgId, actor: ACTOR, action, subject: `upload:${upload.id}`, data });
  if (!work.ok) {
    await repos.screening.setOutcome(p.orgId, upload.id, { status: 'failed', decision: null, error: `${work.error.message} [${work.error.code}]`, at: now, notify: true });
    await audit('screening.fail', { round: p.round, error: work.error });
    return;
  }
  const artists = await knownArtists(repos.catalog, p.orgId);
  const verifiedNames = new Map(artists.map((a) => [plainName(a.name), a.verified]));
  const matches = (await findCatalogMatches(await services.fingerprintIndex(), repos.fingerprints, work.hashes, p.orgId)).map((m) => ({
    ...m,
    artistVerified: m.artist ? (verifiedNames.get(plainName(m.artist)) ?? false) : false,
  }));
  const since = new Date(Date.parse(now) - SCREENING_SETTINGS.massUpload.windowSeconds * 1000).toISOString();
  const recent = await repos.screening.recentByUploader(p.orgId, upload.uploader, since, work.contentHash, upload.id);
  const sameAudio = [...recent.sameAudio];
  for (const near of await nearDuplicates(repos, p.orgId, upload, work.hashes, now)) if (!sameAudio.some((x) => x.uploadId === near.uploadId)) sameAudio.push(near);
  await repos.screening.saveFingerprint(p.orgId, upload, packHashes(work.hashes));
  const hashed = hashSeconds(work.hashes);
  const imitates = upload.metadata.imitates;
  const input: ScreeningInput = {
    title: upload.title,
    artist: upload.artist,
    uploader: { id: upload.uploader, verifiedArtists: await repos.screening.verifiedArtists(p.orgId, upload.uploader) },
    disclosure: upload.metadata.containsAi,
    imitates,
    imitationConsent: imitates ? await imitationConsent(repos, p.orgId, artists, imitates, now) : null,
    audio: work.facts,
    fingerprintSpan: hashed.last - hashed.first,
    matches,
    detection: work.detection,
    knownArtists: artists,
    recent: { count: recent.count, windowSeconds: SCREENING_SETTINGS.massUpload.windowSeconds, sameAudio },
  };
  const signals = screeningSignals(input);
  const outcome = applyPolicy(services.policy, signals);
  const facts = {
    durationSeconds: Math.round(work.durationSeconds * 1000) / 1000,
    contentHash: work.contentHash,
    detection: { verdict: work.detection.verdict, score: work.detection.score, reason: work.detection.reason },
    matches: matches.slice(0, 5),
    audio: work.facts,
  };
  await repos.screening.insertDecision(p.orgId, upload.id, {
    round: p.round,
    source: 'screening',
    decision: outcome.decision,
    policyVersion: outcome.policyVersion,
    signals,
    applied: outcome.applied,
    facts,
    actor: ACTOR,
    reason: null,
    decidedAt: now,
  });
  // A person's decision stands until a person changes it: a later automated round (a rescreen
  // under a new policy) is recorded, and where it disagrees the upload goes back to a person.
  const person = [...previous].reverse().find((d) => d.source === 'review');
  await repos.screening.setOutcome(p.orgId, upload.id, { status: 'decided', decision: person?.decision ?? outcome.decision, error: null, at: now, notify: !person });
  if (person && person.decision !== outcome.decision) {
    await repos.screening.openReview(
      p.orgId,
      upload.id,
      `rescreened under policy ${outcome.policyVersion}: ${outcome.decision} (${signals.map((s) => s.name).join(', ') || 'no signals'}), where ${person.actor} decided ${person.decision}; the person's decision stands until a reviewer confirms or changes it`,
      now,
    );
  } else if (!person && outcome.decision === 'hold_for_review') {
    await repos.screening.openReview(p.orgId, upload.id, `held by policy ${outcome.policyVersion}: ${signals.map((s) => s.name).join(', ')}`, now);
  }
  await audit('screening.decide', { round: p.round, decision: outcome.decision, policyVersion: outcome.policyVersion, signals: signals.map((s) => `${s.name}:${s.severity}`) });
}
