// Adding audio to the catalog with its fingerprint, and identifying audio against it. The
// decode-and-fingerprint work runs on the worker pool, several files at once; the index and the
// database are written from this thread.

import { basename, extname } from 'node:path';
import { appendAudit, type AuditStore } from '../audit/index.ts';
import type { CatalogStore } from '../catalog/index.ts';
import type { CompositionStore } from '../composition/index.ts';
import { findOrCreateArtist, normaliseIsrc } from '../catalog/index.ts';
import type { WorkerPool } from '../jobs/index.ts';
import { LedgerlineError, ordered, type Caller, type Clock, type Transactor } from '../shared/index.ts';
import { DEFAULT_CONFIG } from './config.ts';
import { FingerprintErrors } from './errors.ts';
import { extractJob, type ExtractInput, type ExtractOutput } from './extract-job.ts';
import { DEFAULT_TOLERANCE, type Hashes } from './hashes.ts';
import type { FingerprintIndex } from './index-store.ts';
import { describeEdit, type EditKind } from './edit.ts';
import { matchHashes, type MatchOptions } from './match.ts';
import type { FingerprintStore } from './store.ts';

export type FingerprintRepos = { catalog: CatalogStore; audit: AuditStore; fingerprints: FingerprintStore; compositions: CompositionStore };

export interface FingerprintDeps {
  store: Transactor<FingerprintRepos>;
  clock: Clock;
  index: FingerprintIndex;
  pool: WorkerPool;
}

/**
 * What a match must be: at least 6 distinct query positions on one alignment (below that a
 * copy is too short to say anything), and at most one chance match this strong expected in a
 * hundred queries (chance.ts). Whether a match is strong enough to act on is the caller's
 * policy (screening's `strongExpected`).
 */
export const DEFAULT_MATCH: MatchOptions = { tolerance: DEFAULT_TOLERANCE, minScore: 6, maxExpected: 0.01, maxResults: 5 };

export interface AddedTrack {
  trackId: string;
  file: string;
  title: string;
  artist: string | null;
  durationSeconds: number;
}

export interface AddReport {
  added: AddedTrack[];
  failed: Array<{ file: string; error: string }>;
}

export interface TrackMatch {
  trackId: string;
  title: string;
  artist: string | null;
  isrc: string | null;
  score: number;
  /** Expected number of chance matches this strong in this query's search of the whole index. */
  expected: number;
  /** Share of the matched span's tenths that hold agreeing positions. */
  spread: number;
  /** The edit names one tool's change (speed, pitch shift, tempo change) or none. */
  plausible: boolean;
  edit: EditKind;
  queryStart: number;
  queryEnd: number;
  refStart: number;
  refEnd: number;
  speed: number;
  pitchCents: number;
  tempo: number;
}

export interface MatchReport {
  file: string;
  durationSeconds: number;
  matches: TrackMatch[];
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
/** Two significant digits: an e-value's order of magnitude is what it says. */
const significant = (x: number) => (x === 0 ? 0 : Number(x.toPrecision(2)));

function runExtract(pool: WorkerPool, input: ExtractInput): Promise<ExtractOutput> {
  return pool.runJob(extractJob, input);
}

export interface AddOptions {
  artist?: string;
  title?: string;
  isrc?: string;
  onProgress?: (done: number, total: number, file: string) => void;
}

/**
 * Adds audio files to the caller's catalog as tracks with fingerprints. With several files a
 * track's title is its file name without extension. A file already in the catalog (same
 * content hash) or one that cannot be decoded is reported in `failed`, never half-added.
 */
export async function addTracks(deps: FingerprintDeps, caller: Caller, files: string[], opts: AddOptions = {}): Promise<AddReport> {
  if (files.length === 0) throw new LedgerlineError(FingerprintErrors.NO_AUDIO_FILES, 'no audio files given');
  if (files.length > 1 && (opts.title || opts.isrc)) {
    throw new LedgerlineError(FingerprintErrors.BAD_OPTIONS, `--title and --isrc name one track, but ${files.length} files were given`);
  }
  const isrc = opts.isrc ? normaliseIsrc(opts.isrc) : null;
  const report: AddReport = { added: [], failed: [] };
  const BATCH = 32;
  let done = 0;
  let artistId: string | null = null;
  if (opts.artist) {
    const name = opts.artist;
    artistId = (await deps.store.transaction((r) => findOrCreateArtist(r, deps.clock, caller, { name }))).id;
  }
  for (let from = 0; from < files.length; from += BATCH) {
    const batch = files.slice(from, from + BATCH);
    const ready: Array<{ file: string; fp: ExtractOutput }> = [];
    for await (const { item: file, result } of ordered(batch, deps.pool.size * 2, (f) => runExtract(deps.pool, { path: f, chroma: true }))) {
      done++;
      opts.onProgress?.(done, files.length, file);
      if (result instanceof Error) {
        report.failed.push({ file, error: result.message });
        continue;
      }
      const dup = await deps.store.repos.catalog.findTrackByContentHash(caller.orgId, result.contentHash);
      if (dup) {
        report.failed.push({ file, error: `already in the catalog as track ${dup.id} ("${dup.title}")` });
        continue;
      }
      if (isrc && (await deps.store.repos.catalog.findTrackByIsrc(caller.orgId, isrc))) {
        report.failed.push({ file, error: `ISRC ${isrc} is already in the catalog` });
        continue;
      }
      if (ready.some((r) => r.fp.contentHash === result.contentHash)) {
        report.failed.push({ file, error: 'the same audio appears twice in this batch' });
        continue;
      }
      ready.push({ file, fp: result });
    }
    if (ready.length === 0) continue;
    // Postings first, rows second: a crash in between leaves postings whose refs name no track,
    // which matching ignores, never a track that cannot be found.
    const refs = await deps.store.repos.fingerprints.allocateRefs(ready.length);
    await deps.index.add(ready.map((r, i) => ({ ref: refs[i]!, hashes: r.fp.hashes })));
    for (const [i, { file, fp }] of ready.entries()) {
      const title = opts.title ?? basename(file, extname(file));
      try {
        const track = await deps.store.transaction(async (r) => {
          const t = await r.catalog.insertTrack(caller.orgId, {
            title,
            artistId,
            isrc,
            durationMs: Math.round(fp.durationSeconds * 1000),
            contentHash: fp.contentHash,
          });
          await r.fingerprints.insertFingerprint({
            ref: refs[i]!,
            trackId: t.id,
            orgId: caller.orgId,
            version: fp.version,
            hashCount: fp.hashes.count,
            durationMs: Math.round(fp.durationSeconds * 1000),
          });
          if (fp.chroma) await r.compositions.insertFeatures({ trackId: t.id, orgId: caller.orgId, ...fp.chroma });
          await appendAudit(r.audit, deps.clock, {
            orgId: caller.orgId,
            actor: caller.actor,
            action: 'track.create',
            subject: `track:${t.id}`,
            data: { title, artistId, isrc, contentHash: fp.contentHash, fingerprint: { version: fp.version, hashes: fp.hashes.count } },
          });
          return t;
        });
        report.added.push({ trackId: track.id, file, title, artist: opts.artist ?? null, durationSeconds: round3(fp.durationSeconds) });
      } catch (err) {
        report.failed.push({ file, error: (err as Error).message });
      }
    }
  }
  return report;
}

export interface AttachedAudio {
  trackId: string;
  contentHash: string;
  durationSeconds: number;
  hashes: number;
}

/**
 * Gives a catalog track (created by import, DDEX or `track add`) its audio: content hash,
 * duration and fingerprint, so screening and licensing can see it. A track has one recording:
 * audio already given, or audio that is another track's, is refused.
 */
export async function attachAudio(deps: FingerprintDeps, caller: Caller, trackId: string, source: ExtractInput): Promise<AttachedAudio> {
  const known = await deps.store.repos.catalog.getTrack(caller.orgId, trackId);
  if (!known) throw new LedgerlineError(FingerprintErrors.TRACK_NOT_FOUND, `no track ${trackId}`, { trackId });
  const hasAudio = (t: { contentHash: string | null }) =>
    new LedgerlineError(FingerprintErrors.HAS_AUDIO, `track ${trackId} has its audio already (content hash ${t.contentHash})`, { trackId, contentHash: t.contentHash });
  if (known.contentHash) throw hasAudio(known);
  const fp = await runExtract(deps.pool, { ...source, chroma: true });
  const dup = await deps.store.repos.catalog.findTrackByContentHash(caller.orgId, fp.contentHash);
  if (dup) throw new LedgerlineError(FingerprintErrors.HAS_AUDIO, `this audio is track ${dup.id} ("${dup.title}") already`, { trackId: dup.id, contentHash: fp.contentHash });
  // Postings first, as in addTracks: a crash before the rows leaves postings no track names.
  const [ref] = await deps.store.repos.fingerprints.allocateRefs(1);
  await deps.index.add([{ ref: ref!, hashes: fp.hashes }]);
  const durationMs = Math.round(fp.durationSeconds * 1000);
  await deps.store.transaction(async (r) => {
    const now = await r.catalog.getTrack(caller.orgId, trackId);
    if (!now) throw new LedgerlineError(FingerprintErrors.TRACK_NOT_FOUND, `no track ${trackId}`, { trackId });
    if (now.contentHash) throw hasAudio(now);
    await r.catalog.updateTrack(caller.orgId, trackId, { contentHash: fp.contentHash, durationMs });
    await r.fingerprints.insertFingerprint({ ref: ref!, trackId, orgId: caller.orgId, version: fp.version, hashCount: fp.hashes.count, durationMs });
    if (fp.chroma) await r.compositions.insertFeatures({ trackId, orgId: caller.orgId, ...fp.chroma });
    await appendAudit(r.audit, deps.clock, {
      orgId: caller.orgId,
      actor: caller.actor,
      action: 'track.audio',
      subject: `track:${trackId}`,
      data: { contentHash: fp.contentHash, durationMs, fingerprint: { version: fp.version, hashes: fp.hashes.count } },
    });
  });
  return { trackId, contentHash: fp.contentHash, durationSeconds: round3(fp.durationSeconds), hashes: fp.hashes.count };
}

/** The catalog tracks a fingerprint matches, best first, with offsets and speed/pitch factors. */
export async function findCatalogMatches(index: FingerprintIndex, store: FingerprintStore, hashes: Hashes, orgId?: string): Promise<TrackMatch[]> {
  const raw = await matchHashes(index, hashes, DEFAULT_CONFIG, { ...DEFAULT_MATCH, maxResults: 20 });
  const tracks = new Map((await store.tracksByRefs(raw.map((m) => m.ref), orgId)).map((t) => [t.ref, t]));
  const out: TrackMatch[] = [];
  for (const m of raw) {
    const t = tracks.get(m.ref);
    if (!t) continue;
    const { kind, ...edit } = describeEdit(m.timeFactor, m.pitchCents);
    out.push({
      trackId: t.trackId,
      title: t.title,
      artist: t.artist,
      isrc: t.isrc,
      score: m.score,
      expected: significant(m.expected),
      spread: m.spread,
      plausible: m.plausible,
      queryStart: round3(m.queryStart),
      queryEnd: round3(m.queryEnd),
      refStart: round3(m.refStart),
      refEnd: round3(m.refEnd),
      edit: kind,
      ...edit,
    });
    if (out.length === DEFAULT_MATCH.maxResults) break;
  }
  return out;
}

const resolveMatches = (deps: FingerprintDeps, fp: ExtractOutput, orgId?: string) => findCatalogMatches(deps.index, deps.store.repos.fingerprints, fp.hashes, orgId);

/** Identifies files against the index, several at once; yields one report per file, in order. */
export async function* matchFiles(
  deps: FingerprintDeps,
  files: string[],
  orgId?: string,
): AsyncGenerator<{ file: string; report?: MatchReport; error?: LedgerlineError | Error }> {
  for await (const { item: file, result } of ordered(files, deps.pool.size * 2, (f) => runExtract(deps.pool, { path: f }))) {
    if (result instanceof Error) {
      yield { file, error: result };
      continue;
    }
    yield { file, report: { file, durationSeconds: round3(result.durationSeconds), matches: await resolveMatches(deps, result, orgId) } };
  }
}

/** Identifies one uploaded file; throws LL_AUDIO_* for audio that cannot be decoded. */
export async function matchBytes(deps: FingerprintDeps, bytes: Uint8Array, name: string, orgId?: string): Promise<MatchReport> {
  const fp = await runExtract(deps.pool, { bytes });
  return { file: name, durationSeconds: round3(fp.durationSeconds), matches: await resolveMatches(deps, fp, orgId) };
}
