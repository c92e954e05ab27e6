// npm run bench:fingerprint — the distortion ladder over ../shared/corpus, against an index
// grown to 1000 hours. Prints one JSON line of figures (progress on stderr):
// - tpr: true-positive rate per condition (10-s excerpts at seeded random offsets; 5-s for
//   excerpt_5s), queried against the real tracks plus synthetic fill to `--hours`: the right
//   track first with a chance estimate under the threshold; tprStrong, strong enough for
//   screening to act on (the fixed count of 8 positions this replaced is the previous commit's
//   tpr: the queries are seeded, so the same);
// - falsePositives over never-indexed tracks, with the smallest chance estimate among them;
// - extraction (from decoded PCM) and ingest (decode included) speed per core, and ingest with
//   every core; query latency; on-disk index bytes per hour and its open time;
// - queryScaling: median latency of clean queries from 10 h to `--hours`;
// - wholeFile: every never-indexed track queried whole, as screening queries an upload, at each
//   index size, and every pair of distinct corpus tracks (each track queried whole against an
//   index of all the others): false matches under the threshold, strong enough to act on, under
//   the old fixed count, and the smallest chance estimate beside the threshold;
// - fpcalc (Chromaprint) side by side on whole-file duplicates.
//
// The synthetic fill draws each posting's key from the real index's key distribution and its
// other fields from a real posting of that key, on random tracks and times (bench/synthetic.ts).
//
// Options: --queries N (per indexed track and condition, default 3), --negatives N (500),
// --hours H (1000), --only a,b (conditions), --quick (1 query, 100 negatives, 100 hours).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeFile } from '../src/audio/index.ts';
import {
  buildSorted,
  DEFAULT_CONFIG,
  DEFAULT_MATCH,
  extractJob,
  fingerprintPcm,
  matchHashes,
  MemoryIndex,
  SegmentIndex,
  type ExtractOutput,
  type FingerprintIndex,
  type Hashes,
  type MatchOptions,
  type RawMatch,
} from '../src/fingerprint/index.ts';
import { SCREENING_SETTINGS } from '../src/screening/index.ts';
import { WorkerPool } from '../src/jobs/index.ts';
import { seededRandom } from '../src/shared/index.ts';
import { loadCorpus } from './corpus.ts';
import { conditions, makeQuery, Workdir } from './ladder.ts';
import { syntheticRun } from './synthetic.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const quick = args.includes('--quick');
const perTrack = Number(opt('queries', quick ? '1' : '3'));
const negativesWanted = Number(opt('negatives', quick ? '100' : '500'));
const maxHours = Number(opt('hours', quick ? '100' : '1000'));
const only = opt('only', '').split(',').filter(Boolean);
/** The fixed count every match needed before chance estimates (for the record beside the new rule). */
const OLD_MIN_SCORE = 8;
const strongEnough = (m: RawMatch) => m.expected <= SCREENING_SETTINGS.strongExpected && m.spread >= SCREENING_SETTINGS.strongSpread;
const log = (m: string) => process.stderr.write(`${m}\n`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? NaN;

const corpus = loadCorpus().sort((a, b) => a.file.localeCompare(b.file));
// Every fourth track is never indexed: it supplies the negative queries.
const negatives = corpus.filter((_, i) => i % 4 === 3);
const indexed = corpus.filter((_, i) => i % 4 !== 3);
const work = new Workdir();
const random = seededRandom(20261122);

try {
  // ---- single-core speed: decode, then extraction from PCM ----
  log(`fingerprinting ${indexed.length} tracks…`);
  let audioSeconds = 0;
  let mp3Seconds = 0;
  let mp3DecodeMs = 0;
  let mp3ExtractMs = 0;
  let extractMs = 0;
  const entries: Array<{ ref: number; hashes: Hashes }> = [];
  for (const [ref, t] of indexed.entries()) {
    const t0 = performance.now();
    const a = await decodeFile(t.path);
    const t1 = performance.now();
    const fp = fingerprintPcm(a.channels, a.sampleRate);
    const t2 = performance.now();
    extractMs += t2 - t1;
    audioSeconds += a.durationSeconds;
    if (t.file.endsWith('.mp3')) {
      mp3Seconds += a.durationSeconds;
      mp3DecodeMs += t1 - t0;
      mp3ExtractMs += t2 - t1;
    }
    entries.push({ ref, hashes: fp.hashes });
  }
  const realHours = audioSeconds / 3600;

  // ---- ingest with every core: decode + fingerprint in the worker pool ----
  const threads = availableParallelism();
  const pool = new WorkerPool(threads);
  const tIngest = performance.now();
  await Promise.all(
    indexed.map((t) => pool.run({ module: extractJob.module, name: extractJob.name, payload: { path: t.path }, attempt: 1, jobId: t.file, timeoutMs: 600_000 }) as Promise<ExtractOutput>),
  );
  const ingestAllCores = audioSeconds / ((performance.now() - tIngest) / 1000);
  await pool.close();

  // ---- the on-disk index: real tracks, then synthetic fill ----
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-index-'));
  const real = buildSorted(entries);
  let seg = await SegmentIndex.open(dir, DEFAULT_CONFIG.version);
  await seg.addRun(real);
  const realBytes = (await seg.stats()).bytes;

  // Clean 10-s queries for the scaling figures.
  const probes: Array<{ ref: number; hashes: Hashes }> = [];
  for (const [ref, t] of indexed.entries()) {
    if (t.durationSeconds < 12) continue;
    const a = await makeQuery(work, t.path, random() * (t.durationSeconds - 11), { name: 'clean', seconds: 10 }, random);
    probes.push({ ref, hashes: fingerprintPcm(a.channels, a.sampleRate).hashes });
  }
  let indexTracks = indexed.length;
  const at = (extra: Partial<MatchOptions> = {}): MatchOptions => ({ ...DEFAULT_MATCH, ...extra });
  const timeProbes = async (index: FingerprintIndex, hours: number) => {
    const lat: number[] = [];
    let found = 0;
    for (const p of probes) {
      const t0 = performance.now();
      const m = await matchHashes(index, p.hashes, DEFAULT_CONFIG, at());
      lat.push(performance.now() - t0);
      if (m[0]?.ref === p.ref) found++;
    }
    return { hours, medianMs: r1(median(lat)), p95Ms: r1(p95(lat)), found: `${found}/${probes.length}` };
  };
  // Whole never-indexed tracks, fingerprinted once, queried at every index size.
  const wholeNegatives: Array<{ file: string; hashes: Hashes }> = [];
  for (const t of negatives) {
    const a = await decodeFile(t.path);
    wholeNegatives.push({ file: t.file, hashes: fingerprintPcm(a.channels, a.sampleRate).hashes });
  }
  /** Chance agreements of unrelated whole tracks: reported (E at most the threshold), strong enough to act on, and under the old fixed count. */
  const chanceFigures = () => ({ queries: 0, falseMatches: 0, strongFalse: 0, oldRuleFalse: 0, smallestExpected: Infinity, bestScore: 0, matched: [] as string[] });
  const judge = (f: ReturnType<typeof chanceFigures>, m: RawMatch | undefined, name: () => string) => {
    f.queries++;
    if (!m) return;
    f.bestScore = Math.max(f.bestScore, m.score);
    f.smallestExpected = Math.min(f.smallestExpected, m.expected);
    if (m.score >= OLD_MIN_SCORE) f.oldRuleFalse++;
    if (m.expected <= DEFAULT_MATCH.maxExpected) {
      f.falseMatches++;
      f.matched.push(`${name()} (score ${m.score}, E ${m.expected.toPrecision(2)}, ${r1(m.queryEnd - m.queryStart)} s, time ×${r3(m.timeFactor)}, ${Math.round(m.pitchCents)} cents)`);
    }
    if (strongEnough(m)) f.strongFalse++;
  };
  const unfiltered = { minScore: 3, maxExpected: Infinity };
  const wholeFileAt = async (index: FingerprintIndex, hours: number) => {
    const f = chanceFigures();
    for (const n of wholeNegatives) judge(f, (await matchHashes(index, n.hashes, DEFAULT_CONFIG, at(unfiltered)))[0], () => n.file);
    return { hours, indexTracks, ...f, smallestExpected: Number(f.smallestExpected.toPrecision(2)), threshold: DEFAULT_MATCH.maxExpected };
  };
  const wholeFile = [await wholeFileAt(seg, r3(realHours))];
  const queryScaling = [await timeProbes(seg, r3(realHours))];
  let filled = realHours;
  let nextRef = indexed.length + 1;
  for (const target of [10, 100, 1000, 10000].filter((h) => h <= maxHours && h > realHours)) {
    log(`filling the index to ${target} hours…`);
    const run = syntheticRun(real, realHours, target - filled, nextRef, target);
    const added = Math.round(((target - filled) * 3600) / 180) + 1;
    nextRef += added;
    indexTracks += added;
    await seg.addRun(run);
    filled = target;
    queryScaling.push(await timeProbes(seg, target));
    wholeFile.push(await wholeFileAt(seg, target));
    log(`whole-file negatives at ${target} h: ${JSON.stringify(wholeFile[wholeFile.length - 1])}`);
  }
  // Every pair of distinct corpus tracks: each whole track against an index of all the others.
  const allWhole = entries.map((e, i) => ({ ref: e.ref, file: indexed[i]!.file, hashes: e.hashes }));
  for (const [i, n] of wholeNegatives.entries()) allWhole.push({ ref: indexed.length + 1 + i, file: n.file, hashes: n.hashes });
  const pairIndex = new MemoryIndex();
  pairIndex.addRun(buildSorted(allWhole.map(({ ref, hashes }) => ({ ref, hashes }))));
  const pairFigures = chanceFigures();
  for (const q of allWhole) {
    const m = (await matchHashes(pairIndex, q.hashes, DEFAULT_CONFIG, { ...at(unfiltered), maxResults: 2 })).filter((x) => x.ref !== q.ref);
    judge(pairFigures, m[0], () => `${q.file} ~ ${allWhole.find((x) => x.ref === m[0]!.ref)!.file}`);
  }
  const pairs = { tracks: allWhole.length, pairs: (allWhole.length * (allWhole.length - 1)) / 2, ...pairFigures, smallestExpected: Number(pairFigures.smallestExpected.toPrecision(2)), threshold: DEFAULT_MATCH.maxExpected };
  log(`whole-file pairs: ${JSON.stringify(pairs)}`);
  const totalBytes = (await seg.stats()).bytes;
  await seg.close();
  const tOpen = performance.now();
  seg = await SegmentIndex.open(dir, DEFAULT_CONFIG.version);
  const openMs = performance.now() - tOpen;
  log(`index: ${r1(totalBytes / 1e6)} MB for ${r1(filled)} hours, opened in ${r1(openMs)} ms`);

  // ---- the ladder, against the full index ----
  const tpr: Record<string, number> = {};
  const tprStrong: Record<string, number> = {};
  const minTrueScore: Record<string, number> = {};
  const worstTrueExpected: Record<string, number> = {};
  const latencies: number[] = [];
  for (const c of conditions()) {
    if (only.length && !only.includes(c.name)) continue;
    let hit = 0;
    let strong = 0;
    let n = 0;
    const scores: number[] = [];
    const expected: number[] = [];
    for (const [ref, t] of indexed.entries()) {
      for (let q = 0; q < perTrack; q++) {
        if (t.durationSeconds < c.seconds + 1) continue;
        const offset = random() * (t.durationSeconds - c.seconds - 0.5);
        const audio = await makeQuery(work, t.path, offset, c, random);
        const t0 = performance.now();
        const fp = fingerprintPcm(audio.channels, audio.sampleRate);
        const matches = await matchHashes(seg, fp.hashes, DEFAULT_CONFIG, at());
        latencies.push(performance.now() - t0);
        n++;
        if (matches[0]?.ref === ref) {
          hit++;
          if (strongEnough(matches[0])) strong++;
          scores.push(matches[0].score);
          expected.push(matches[0].expected);
        } else if (process.env.BENCH_VERBOSE) {
          const own = (await matchHashes(seg, fp.hashes, DEFAULT_CONFIG, at(unfiltered))).find((m) => m.ref === ref);
          log(`miss ${c.name} ${t.file}@${offset.toFixed(1)}: ${JSON.stringify(matches.slice(0, 2))}; own track unfiltered: ${JSON.stringify(own ?? null)}`);
        }
      }
    }
    tpr[c.name] = n ? r3(hit / n) : NaN;
    tprStrong[c.name] = n ? r3(strong / n) : NaN;
    minTrueScore[c.name] = Math.min(...scores);
    worstTrueExpected[c.name] = Number(Math.max(...expected).toPrecision(2));
    log(`${c.name}: ${hit}/${n}`);
  }

  // ---- negatives: never-indexed tracks, clean and edited ----
  let falsePositives = 0;
  let bestNegative = Infinity;
  let negativeCount = 0;
  const negConds = conditions().filter((c) => ['clean', 'mp3_64k', 'speed_0.95', 'pitch_+200c', 'tempo_1.10', 'excerpt_5s', 'snr_0db'].includes(c.name));
  while (negativeCount < negativesWanted) {
    for (const t of negatives) {
      if (negativeCount >= negativesWanted) break;
      const c = negConds[negativeCount % negConds.length]!;
      const offset = random() * (t.durationSeconds - c.seconds - 0.5);
      const audio = await makeQuery(work, t.path, Math.max(0, offset), c, random);
      const fp = fingerprintPcm(audio.channels, audio.sampleRate);
      const top = (await matchHashes(seg, fp.hashes, DEFAULT_CONFIG, at(unfiltered)))[0];
      bestNegative = Math.min(bestNegative, top?.expected ?? Infinity);
      if (top && top.expected <= DEFAULT_MATCH.maxExpected) falsePositives++;
      negativeCount++;
    }
  }
  log(`negatives: ${falsePositives} false positives in ${negativeCount}`);

  // ---- whole-file duplicates: ours against fpcalc (Chromaprint) ----
  let fpcalc: Record<string, number | string> = { available: 'no' };
  try {
    execFileSync('fpcalc', ['-version'], { stdio: 'ignore' });
    let oursFound = 0;
    let theirsFound = 0;
    let oursMs = 0;
    let theirsMs = 0;
    let seconds = 0;
    // fpcalc exits non-zero on a damaged last frame but still prints the fingerprint.
    const raw = (file: string) => {
      const r = spawnSync('fpcalc', ['-raw', '-json', '-length', '0', file], { encoding: 'utf8' });
      return JSON.parse(r.stdout || '{"fingerprint":[],"duration":0}') as { fingerprint: number[]; duration: number };
    };
    for (const [ref, t] of indexed.entries()) {
      const copy = work.file('mp3');
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', t.path, '-c:a', 'libmp3lame', '-b:a', '64k', copy], { stdio: 'ignore' });
      let t0 = performance.now();
      const a = await decodeFile(copy);
      const m = await matchHashes(seg, fingerprintPcm(a.channels, a.sampleRate).hashes, DEFAULT_CONFIG, at());
      oursMs += performance.now() - t0;
      if (m[0]?.ref === ref) oursFound++;
      seconds += a.durationSeconds;
      t0 = performance.now();
      const fc = raw(copy);
      theirsMs += performance.now() - t0;
      const fo = raw(t.path);
      // Chromaprint's comparison: bit error rate of the aligned 32-bit sub-fingerprints.
      const n = Math.min(fc.fingerprint.length, fo.fingerprint.length);
      let bits = 0;
      for (let i = 0; i < n; i++) {
        let x = (fc.fingerprint[i]! ^ fo.fingerprint[i]!) >>> 0;
        while (x) {
          bits += x & 1;
          x >>>= 1;
        }
      }
      if (n > 0 && bits / (32 * n) < 0.35) theirsFound++;
    }
    fpcalc = {
      available: 'yes',
      files: indexed.length,
      oursFound,
      fpcalcFound: theirsFound,
      oursRealtimeIncludingDecodeAndMatch: Math.round(seconds / (oursMs / 1000)),
      fpcalcRealtimeIncludingDecode: Math.round(seconds / (theirsMs / 1000)),
    };
  } catch (err) {
    fpcalc = { available: 'no', error: String((err as Error).message).slice(0, 200) };
  }
  await seg.close();
  rmSync(dir, { recursive: true, force: true });

  const out = {
    bench: 'fingerprint',
    configVersion: DEFAULT_CONFIG.version,
    indexedTracks: indexed.length,
    realHours: r3(realHours),
    indexHours: filled,
    queriesPerTrackAndCondition: perTrack,
    indexTracks,
    tpr,
    tprStrong,
    minTrueScore,
    worstTrueExpected,
    negatives: negativeCount,
    falsePositives,
    threshold: { maxExpected: DEFAULT_MATCH.maxExpected, minScore: DEFAULT_MATCH.minScore, strongExpected: SCREENING_SETTINGS.strongExpected, strongSpread: SCREENING_SETTINGS.strongSpread },
    smallestNegativeExpected: Number(bestNegative.toPrecision(2)),
    extractionRealtimePerCore: Math.round(audioSeconds / (extractMs / 1000)),
    ingestFromMp3RealtimePerCore: Math.round(mp3Seconds / ((mp3DecodeMs + mp3ExtractMs) / 1000)),
    ingestRealtimeAllCores: Math.round(ingestAllCores),
    cores: threads,
    queryMsMedian: r1(median(latencies)),
    queryMsP95: r1(p95(latencies)),
    queryScaling,
    wholeFile: { negatives: wholeFile, pairs },
    indexBytesPerHourReal: Math.round(realBytes / realHours),
    indexBytesPerHourAtScale: Math.round(totalBytes / filled),
    indexOpenMs: r1(openMs),
    fpcalc,
  };
  console.log(JSON.stringify(out));
} finally {
  work.dispose();
}
