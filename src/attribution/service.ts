// Attributing a generated output: which catalog recordings (master) and works (composition) it
// draws on, as shares with evidence, restricted to what the run's licence covered; stored as a
// new version every time, never rewriting an old one.

import type { AuditStore } from '../audit/index.ts';
import { appendAudit } from '../audit/index.ts';
import { CatalogErrors, type CatalogStore } from '../catalog/index.ts';
import { COMPOSITION_VERSION, type CompositionStore } from '../composition/index.ts';
import type { CompositionSearch } from './works.ts';
import { DEFAULT_LIMITS, type DecodeLimits } from '../audio/index.ts';
import { DEFAULT_CONFIG, extractJob, type ExtractInput, type ExtractOutput, type FingerprintIndex, type FingerprintStore } from '../fingerprint/index.ts';
import type { JobQueue, WorkerPool } from '../jobs/index.ts';
import type { LicensingStore } from '../licensing/index.ts';
import type { BlobStore } from '../screening/index.ts';
import { LedgerlineError, ordered, type Caller, type Clock, type Transactor } from '../shared/index.ts';
import type { ComposedSegment } from './composition.ts';
import { attributeJob, type AttributePayload } from './attribute-job.ts';
import { AttributionErrors } from './errors.ts';
import { HOP_SECONDS, replicatedSegments, WINDOW_SECONDS, type ReplicatedSegment } from './master.ts';
import { DEFAULT_SHARE_POLICY, layerShares, type SharePolicy } from './shares.ts';
import type { AttributionStore, OutputRecord } from './store.ts';
import type { AttributionResult, CompositionEvidence, MasterEvidence, UnlicensedFinding } from './types.ts';

/** Outputs longer than this are refused: a published track, not a mix or a stream recording. */
export const ATTRIBUTION_LIMITS: DecodeLimits = { ...DEFAULT_LIMITS, maxDurationSeconds: 15 * 60 };

/** What produced an attribution; stored with it, so a re-run under another engine is told apart. */
export const ENGINE_VERSION = `fingerprint-${DEFAULT_CONFIG.version}/windows-${WINDOW_SECONDS}-${HOP_SECONDS};chroma-${COMPOSITION_VERSION}/qmax-1;shares-1`;

export type AttributionRepos = {
  catalog: CatalogStore;
  fingerprints: FingerprintStore;
  compositions: CompositionStore;
  attributions: AttributionStore;
  licensing: LicensingStore;
  audit: AuditStore;
};

export interface AttributionDeps {
  store: Transactor<AttributionRepos>;
  clock: Clock;
  index: FingerprintIndex;
  pool: WorkerPool;
  /** The composition layer's search, its cached shortlists shared by every request of the process. */
  works: CompositionSearch;
  newId: () => string;
  /** Where submitted outputs' bytes wait for their job, and the queue that runs it. */
  blobs: BlobStore;
  queue: JobQueue;
  policy?: SharePolicy;
}

/** The tracks that may receive shares: a run's manifest less what was withdrawn, or (no run) every track. */
interface Scope {
  runId: string | null;
  licenseeId: string | null;
  licensed: Set<string> | null;
}

/** Resolves and checks the run before any work, so a bad run costs nothing and writes nothing. */
export async function licenceScope(repos: AttributionRepos, caller: Caller & { licenseeId?: string | null }, runId: string | null | undefined): Promise<Scope> {
  if (!runId) return { runId: null, licenseeId: null, licensed: null };
  const run = await repos.licensing.getRun(caller.orgId, runId);
  if (!run) throw new LedgerlineError(AttributionErrors.RUN_NOT_FOUND, `no training run ${runId} in the organisation`);
  const manifest = await repos.licensing.getManifest(caller.orgId, run.manifestId);
  if (!manifest) throw new LedgerlineError(AttributionErrors.RUN_NOT_FOUND, `training run ${runId} names no manifest of this organisation`, { runId });
  if (caller.licenseeId && caller.licenseeId !== manifest.licenseeId) {
    throw new LedgerlineError(AttributionErrors.RUN_OF_ANOTHER_LICENSEE, `training run ${runId} belongs to another licensee`, { runId });
  }
  const { trackIds, revokedTrackIds } = await repos.licensing.manifestTracks(run.manifestId);
  const revoked = new Set(revokedTrackIds);
  const licensed = new Set(trackIds.filter((t) => !revoked.has(t)));
  if (trackIds.length > 0 && licensed.size === 0) {
    throw new LedgerlineError(AttributionErrors.MANIFEST_REVOKED, `every recording of manifest ${run.manifestId} has been withdrawn`, { runId, manifestId: run.manifestId });
  }
  return { runId, licenseeId: manifest.licenseeId, licensed };
}

/** Three decimals, and no negative zero in what people read. */
const r3 = (x: number) => Math.round(x * 1000) / 1000 || 0;

const masterEvidence = (s: ReplicatedSegment): MasterEvidence => ({
  outputStart: r3(s.outputStart),
  outputEnd: r3(s.outputEnd),
  refStart: r3(s.refStart),
  refEnd: r3(s.refEnd),
  strength: r3(s.strength),
  speed: r3(s.speed),
  pitchCents: Math.round(s.pitchCents) || 0,
});

const compositionEvidence = (s: ComposedSegment): CompositionEvidence => ({
  outputStart: r3(s.outputStart),
  outputEnd: r3(s.outputEnd),
  refStart: r3(s.refStart),
  refEnd: r3(s.refEnd),
  strength: r3(s.strength),
  keyShift: s.keyShift,
  tempoRatio: r3(s.tempoRatio),
});

/** The chroma every attribution path asks the analysis for. */
function analysedChroma(fp: ExtractOutput) {
  if (!fp.chroma) throw new Error('the analysis was made without chroma');
  return fp.chroma;
}

/** Both layers for one analysed output, within the scope. Reads only; the alignments run on `align`'s threads. */
export async function attributeAnalysis(
  repos: AttributionRepos,
  index: FingerprintIndex,
  works: CompositionSearch,
  orgId: string,
  fp: ExtractOutput,
  scope: Scope,
  policy: SharePolicy,
): Promise<AttributionResult> {
  const duration = fp.durationSeconds;
  // Master: replicated segments of this organisation's tracks.
  const segments = await replicatedSegments(index, fp.hashes, duration);
  const byRef = new Map((await repos.fingerprints.tracksByRefs([...new Set(segments.map((s) => s.ref))], orgId)).map((t) => [t.ref, t]));
  const master = segments.filter((s) => byRef.has(s.ref)).map((s) => ({ trackId: byRef.get(s.ref)!.trackId, segment: s }));
  // Composition: the shortlisted works and the background sample, aligned.
  const composed = await works.compose(repos.compositions, orgId, analysedChroma(fp));
  const isLicensed = (trackId: string) => !scope.licensed || scope.licensed.has(trackId);
  const masterShares = layerShares(
    duration,
    master.filter((m) => isLicensed(m.trackId)).map((m) => ({ trackId: m.trackId, outputStart: m.segment.outputStart, outputEnd: m.segment.outputEnd, strength: m.segment.strength })),
    policy,
  );
  const compositionShares = layerShares(
    duration,
    composed.filter((c) => isLicensed(c.trackId)).map((c) => ({ trackId: c.trackId, outputStart: c.outputStart, outputEnd: c.outputEnd, strength: c.strength })),
    policy,
  );
  const trackIds = [...new Set([...master.map((m) => m.trackId), ...composed.map((c) => c.trackId)])];
  const tracks = new Map<string, { title: string; isrc: string | null; iswc: string | null }>();
  for (const id of trackIds) {
    const t = await repos.catalog.getTrack(orgId, id);
    if (t) tracks.set(id, { title: t.title, isrc: t.isrc, iswc: t.iswc });
  }
  const unlicensed: UnlicensedFinding[] = [];
  for (const id of trackIds.filter((t) => !isLicensed(t))) {
    // A finding names a rights holder's track to operators: evidence at chance level names nobody.
    const m = master.filter((x) => x.trackId === id && x.segment.strength > 0).map((x) => masterEvidence(x.segment));
    const c = composed.filter((x) => x.trackId === id).map(compositionEvidence);
    if (m.length) unlicensed.push({ trackId: id, layer: 'master', evidence: m });
    if (c.length) unlicensed.push({ trackId: id, layer: 'composition', evidence: c });
  }
  return {
    durationSeconds: r3(duration),
    engineVersion: ENGINE_VERSION,
    master: {
      shares: masterShares.shares.map((s) => ({
        trackId: s.trackId,
        isrc: tracks.get(s.trackId)?.isrc ?? null,
        title: tracks.get(s.trackId)?.title ?? '',
        sharePpm: s.sharePpm,
        evidence: master.filter((m) => m.trackId === s.trackId).map((m) => masterEvidence(m.segment)),
      })),
      unattributedPpm: masterShares.unattributedPpm,
    },
    composition: {
      shares: compositionShares.shares.map((s) => ({
        trackId: s.trackId,
        iswc: tracks.get(s.trackId)?.iswc ?? null,
        title: tracks.get(s.trackId)?.title ?? '',
        sharePpm: s.sharePpm,
        evidence: composed.filter((c) => c.trackId === s.trackId).map(compositionEvidence),
      })),
      unattributedPpm: compositionShares.unattributedPpm,
    },
    unlicensed,
  };
}

export interface AttributeOptions {
  runId?: string | null;
  title?: string;
  externalId?: string | null;
}

export interface AttributeReport {
  outputId: string;
  version: number;
  result: AttributionResult;
}

/**
 * Attributes one output and stores the result as the output's next version. The same audio under
 * the same run is the same output: attributing it again adds a version.
 */
export async function attributeOutput(deps: AttributionDeps, caller: Caller & { licenseeId?: string | null }, source: ExtractInput, opts: AttributeOptions = {}): Promise<AttributeReport> {
  const repos = deps.store.repos;
  const scope = await licenceScope(repos, caller, opts.runId);
  const fp = await deps.pool.runJob<ExtractInput, ExtractOutput>(extractJob, { ...source, limits: ATTRIBUTION_LIMITS, chroma: true });
  const result = await attributeAnalysis(repos, deps.index, deps.works, caller.orgId, fp, scope, deps.policy ?? DEFAULT_SHARE_POLICY);
  return deps.store.transaction(async (r) => {
    let output = await r.attributions.findOutput(caller.orgId, scope.runId, fp.contentHash);
    if (!output) {
      output = newOutput(deps, caller, scope, { title: opts.title ?? 'untitled output', externalId: opts.externalId ?? null, contentHash: fp.contentHash, durationMs: Math.round(fp.durationSeconds * 1000), status: 'done' });
      await r.attributions.insertOutput(output);
    }
    const version = await recordAttribution(r, deps.clock, caller, output, scope.runId, fp.contentHash, result);
    return { outputId: output.id, version, result };
  });
}

/** A new output of the caller's organisation under the scope's run. */
function newOutput(
  deps: Pick<AttributionDeps, 'newId' | 'clock'>,
  caller: Caller,
  scope: Scope,
  o: Pick<OutputRecord, 'title' | 'externalId' | 'contentHash' | 'durationMs' | 'status'>,
): OutputRecord {
  return { id: deps.newId(), orgId: caller.orgId, licenseeId: scope.licenseeId, runId: scope.runId, ...o, error: null, createdBy: caller.actor, createdAt: deps.clock.now().toISOString() };
}

/** Stores a result as the output's next version, its shares per track, and the audit entry. */
export async function recordAttribution(
  r: Pick<AttributionRepos, 'attributions' | 'audit'>,
  clock: Clock,
  caller: Caller,
  output: OutputRecord,
  runId: string | null,
  contentHash: string,
  result: AttributionResult,
): Promise<number> {
  const rows = [
    ...result.master.shares.map((s) => ({ trackId: s.trackId, layer: 'master' as const, sharePpm: s.sharePpm, licensed: true })),
    ...result.composition.shares.map((s) => ({ trackId: s.trackId, layer: 'composition' as const, sharePpm: s.sharePpm, licensed: true })),
    ...result.unlicensed.map((u) => ({ trackId: u.trackId, layer: u.layer, sharePpm: 0, licensed: false })),
  ];
  const version = await r.attributions.insertAttribution({ outputId: output.id, engineVersion: ENGINE_VERSION, result, createdAt: clock.now().toISOString() }, rows);
  await appendAudit(r.audit, clock, {
    orgId: caller.orgId,
    actor: caller.actor,
    action: 'attribution.create',
    subject: `output:${output.id}`,
    data: {
      version,
      engineVersion: ENGINE_VERSION,
      runId,
      contentHash,
      master: result.master.shares.map((s) => [s.trackId, s.sharePpm]),
      composition: result.composition.shares.map((s) => [s.trackId, s.sharePpm]),
      unlicensed: result.unlicensed.map((u) => [u.trackId, u.layer]),
    },
  });
  return version;
}

export interface SubmitOptions {
  runId?: string | null;
  title: string;
  externalId?: string | null;
}

/**
 * Receives an output and queues its attribution; 202-style: the output comes back queued. The
 * same audio under the same run is the same output, returned as it stands. The run is checked
 * before anything is kept.
 */
export async function submitOutput(deps: AttributionDeps, caller: Caller & { licenseeId?: string | null }, bytes: Uint8Array, opts: SubmitOptions): Promise<OutputRecord> {
  if (bytes.byteLength === 0) throw new LedgerlineError(AttributionErrors.BAD_OUTPUT, 'the output is empty');
  if (!opts.title || opts.title.length > 1000) throw new LedgerlineError(AttributionErrors.BAD_OUTPUT, 'name the title (1-1000 characters)');
  if (opts.externalId && opts.externalId.length > 200) throw new LedgerlineError(AttributionErrors.BAD_OUTPUT, 'the external id is longer than 200 characters');
  if (caller.licenseeId && !opts.runId) throw new LedgerlineError(AttributionErrors.BAD_OUTPUT, 'a licensee names the training run that made the output');
  const scope = await licenceScope(deps.store.repos, caller, opts.runId);
  const { hash, path } = await deps.blobs.put(bytes);
  const { output, created } = await deps.store.transaction(async (r) => {
    const existing = await r.attributions.findOutput(caller.orgId, scope.runId, hash);
    if (existing) return { output: existing, created: false };
    const o = newOutput(deps, caller, scope, { title: opts.title, externalId: opts.externalId ?? null, contentHash: hash, durationMs: null, status: 'queued' });
    await r.attributions.insertOutput(o);
    await appendAudit(r.audit, deps.clock, {
      orgId: caller.orgId,
      actor: caller.actor,
      action: 'output.receive',
      subject: `output:${o.id}`,
      data: { runId: scope.runId, title: o.title, externalId: o.externalId, contentHash: hash, bytes: bytes.byteLength },
    });
    return { output: o, created: true };
  });
  // Queued after the commit; the key makes a repeat add nothing.
  if (created || output.status === 'queued') {
    const payload: AttributePayload = { orgId: caller.orgId, outputId: output.id, path, runId: scope.runId, actor: caller.actor };
    await deps.queue.enqueue(attributeJob.name, payload, { idempotencyKey: `attribution:${output.id}:1`, maxAttempts: attributeJob.maxAttempts });
  }
  return output;
}

/** An output of the organisation with its stored attributions, latest last; a licensee sees only its own. */
export async function getOutput(deps: Pick<AttributionDeps, 'store'>, caller: Caller & { licenseeId?: string | null }, id: string) {
  const output = await deps.store.repos.attributions.getOutput(caller.orgId, id);
  if (!output || (caller.licenseeId && output.licenseeId !== caller.licenseeId)) {
    throw new LedgerlineError(AttributionErrors.OUTPUT_NOT_FOUND, `no output ${id}`, { id });
  }
  const versions = await deps.store.repos.attributions.attributionsOf(id);
  const latest = versions[versions.length - 1] ?? null;
  return { ...output, versions: versions.length, engineVersion: latest?.engineVersion ?? null, attribution: latest?.result ?? null };
}

/**
 * Every output whose latest attribution draws on a track (shares and unlicensed findings). A
 * rights holder sees the tracks it holds a split of; an artist, its own tracks.
 */
export async function usesOfTrack(deps: Pick<AttributionDeps, 'store'>, caller: Caller & { role: string; subjectId: string | null }, trackId: string, limit: number) {
  const repos = deps.store.repos;
  const track = await repos.catalog.getTrack(caller.orgId, trackId);
  // The id came in the query: the answer does not repeat it.
  const notFound = () => new LedgerlineError(CatalogErrors.NOT_FOUND, 'no such track in the organisation');
  if (!track) throw notFound();
  if (caller.role === 'artist' && track.artistId !== caller.subjectId) throw notFound();
  if (caller.role === 'rights_holder') {
    const holders = [...(await repos.catalog.getSplits(trackId, 'master')), ...(await repos.catalog.getSplits(trackId, 'publishing'))].map((s) => s.rightsHolderId);
    if (!holders.includes(caller.subjectId ?? '')) throw notFound();
  }
  return repos.attributions.usesOfTrack(caller.orgId, trackId, limit);
}

export interface ReindexReport {
  indexed: Array<{ file: string; trackId: string }>;
  failed: Array<{ file: string; error: string }>;
}

/**
 * Rebuilds the composition index of catalog tracks from their audio files: each file is matched
 * to its track by content hash (the catalog keeps hashes, not audio) and its chroma stored anew.
 */
export async function reindexCompositions(deps: Pick<AttributionDeps, 'store' | 'pool'>, caller: Caller, files: string[]): Promise<ReindexReport> {
  const report: ReindexReport = { indexed: [], failed: [] };
  for await (const { item: file, result } of ordered(files, deps.pool.size * 2, (f) => deps.pool.runJob<ExtractInput, ExtractOutput>(extractJob, { path: f, chroma: true }))) {
    if (result instanceof Error) {
      report.failed.push({ file, error: result.message });
      continue;
    }
    const track = await deps.store.repos.catalog.findTrackByContentHash(caller.orgId, result.contentHash);
    if (!track) {
      report.failed.push({ file, error: 'no catalog track has this audio (content hash)' });
      continue;
    }
    await deps.store.repos.compositions.insertFeatures({ trackId: track.id, orgId: caller.orgId, ...analysedChroma(result) });
    report.indexed.push({ file, trackId: track.id });
  }
  return report;
}
