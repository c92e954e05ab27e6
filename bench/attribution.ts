// Attribution bench: one JSON line of figures, none of them a pass/fail test.
//
// The catalog is three in four corpus tracks (as the fingerprint bench splits them); the fourth
// never enters it and supplies the music outputs are built on and the negatives.
//   replication: a catalog excerpt put into a never-catalogued track, covering 5/10/25/50% of a
//     output, clean, MP3 64k, speed ±3%, pitch ±1 semitone, or mixed 6 dB under the music;
//     recall = the right track holds the largest master share;
//   multi-source: outputs made of two or three catalog excerpts and uncatalogued music in known
//     proportions; the largest error of any share, in percentage points;
//   composition: catalog excerpts of 10-45 s transposed ±2..5 semitones and tempo-changed ±15%,
//     and MusiConGen generations against their reference recordings added to the catalog: the
//     right work first among the aligned candidates (by z, whatever its z), attributed (its z
//     clears the bar), and both; every pair of distinct catalog tracks, with the bar as set and
//     with the bar chosen again leaving each source out;
//   false attribution: never-catalogued tracks as outputs, the largest share either layer gives;
//   speed: a 3-minute output, both layers, against this catalog (ms per output, one core).
// Edits are made with sox and ffmpeg (a bench may use them; tests may not).
//
// Run: npm run bench:attribution [-- --quick] [--hours H]  (H: catalog size for the speed figure, default 1000)

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { composedSegments, layerShares, replicatedSegments, worksToAlign, Z_ATTRIBUTE } from '../src/attribution/index.ts';
import { decodeAudio, decodeFile, toMono } from '../src/audio/index.ts';
import { CATALOG_HOP, chromaOf, describePatches, packChroma, QUERY_HOP, ShortlistBuilder, unpackChroma, type Chroma } from '../src/composition/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { analysisSignal, buildSorted, DEFAULT_CONFIG, fingerprintSignal, MemoryIndex, SegmentIndex, type FingerprintIndex, type Hashes } from '../src/fingerprint/index.ts';
import { seededRandom } from '../src/shared/index.ts';
import { corpusDir, loadCorpus } from './corpus.ts';
import { Workdir } from './ladder.ts';
import { syntheticChroma } from './synthetic-chroma.ts';
import { syntheticRun } from './synthetic.ts';

const quick = process.argv.includes('--quick');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;
const hoursAt = process.argv.indexOf('--hours');
/** Catalog size for the speed figure: the real tracks, then synthetic fill as the fingerprint bench makes it. */
const scaleHours = hoursAt >= 0 ? Number(process.argv[hoursAt + 1]) : quick ? 0 : 1000;
const log = (m: string) => process.stderr.write(`${m}\n`);
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const RATE = 44100;
const random = seededRandom(20261205);
const work = new Workdir();
const sox = (...args: string[]) => execFileSync('sox', args, { stdio: 'ignore' });
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: 'ignore' });

/** Mono 44.1-kHz PCM of part of a file, after sox effects. */
async function pcm(path: string, start: number, seconds: number, effects: string[] = []): Promise<Float32Array> {
  const cut = work.file('wav');
  ffmpeg('-ss', start.toFixed(3), '-t', seconds.toFixed(3), '-i', path, '-ac', '1', '-ar', String(RATE), '-c:a', 'pcm_s16le', cut);
  if (effects.length === 0) return toMono((await decodeAudio(new Uint8Array(readFileSync(cut)))).channels);
  const out = work.file('wav');
  sox(cut, out, ...effects);
  return toMono((await decodeAudio(new Uint8Array(readFileSync(out)))).channels);
}

function analyse(samples: Float32Array): { hashes: Hashes; chroma: Chroma; seconds: number } {
  const signal = analysisSignal([samples], RATE);
  return { hashes: fingerprintSignal(signal, samples.length / RATE).hashes, chroma: chromaOf(signal.samples, signal.rate), seconds: samples.length / RATE };
}

const corpus = loadCorpus().sort((a, b) => a.file.localeCompare(b.file));
const outside = corpus.filter((_, i) => i % 4 === 3);
const catalog = corpus.filter((_, i) => i % 4 !== 3);
log(`analysing ${catalog.length} catalog tracks…`);
let index: FingerprintIndex = new MemoryIndex();
/** The composition index: every work's chroma as stored (packed to bytes) and its shortlist patches. */
const chromaById = new Map<string, Chroma>();
const works = new ShortlistBuilder();
function addWork(to: ShortlistBuilder, trackId: string, chroma: Chroma) {
  const stored = unpackChroma(packChroma(chroma));
  chromaById.set(trackId, stored);
  to.add(trackId, describePatches(stored, CATALOG_HOP));
}
/** The composition layer as the service runs it: shortlist and background sample, then alignment. */
function compose(query: Chroma, from: ShortlistBuilder = works, except?: string, bar = Z_ATTRIBUTE) {
  const ids = worksToAlign(from.data(), describePatches(query, QUERY_HOP)).filter((id) => id !== except);
  return composedSegments(query, ids.map((trackId) => ({ trackId, chroma: chromaById.get(trackId)! })), bar);
}
/**
 * Where the right work lands: first among every aligned candidate by z (whatever its z), and
 * whether it clears the bar the service attributes at.
 */
function placing(query: Chroma, right: string, from: ShortlistBuilder = works) {
  const ranked = compose(query, from, undefined, -Infinity);
  const own = ranked.find((x) => x.trackId === right);
  return { first: ranked[0]?.trackId === right, attributed: own !== undefined && own.z >= Z_ATTRIBUTE };
}
const entries: Array<{ ref: number; hashes: Hashes }> = [];
for (const [i, t] of catalog.entries()) {
  const a = await decodeFile(t.path);
  const x = analyse(resampleTo(a));
  entries.push({ ref: i, hashes: x.hashes });
  addWork(works, String(i), x.chroma);
}
const realRun = buildSorted(entries);
(index as MemoryIndex).addRun(realRun);

/** The track at 44.1 kHz mono, as outputs are built. */
function resampleTo(a: { channels: Float32Array[]; sampleRate: number }): Float32Array {
  const mono = toMono(a.channels);
  if (a.sampleRate === RATE) return mono;
  const out = new Float32Array(Math.floor((mono.length * RATE) / a.sampleRate));
  for (let i = 0; i < out.length; i++) {
    const x = (i * a.sampleRate) / RATE;
    const j = Math.floor(x);
    out[i] = (mono[j] ?? 0) * (1 - (x - j)) + (mono[j + 1] ?? 0) * (x - j);
  }
  return out;
}

async function attribute(samples: Float32Array, timing?: { masterMs: number; compositionMs: number }) {
  const x = analyse(samples);
  const t0 = performance.now();
  const master = await replicatedSegments(index, x.hashes, x.seconds);
  const t1 = performance.now();
  const composed = compose(x.chroma);
  if (timing) {
    timing.masterMs = t1 - t0;
    timing.compositionMs = performance.now() - t1;
  }
  const m = layerShares(x.seconds, master.map((s) => ({ trackId: String(s.ref), outputStart: s.outputStart, outputEnd: s.outputEnd, strength: s.strength })));
  const c = layerShares(x.seconds, composed.map((s) => ({ trackId: s.trackId, outputStart: s.outputStart, outputEnd: s.outputEnd, strength: s.strength })));
  return { master: m, composition: c, composed, segments: master };
}

// ---- replication ----
const TRANSFORMS: Record<string, string[] | 'mix' | 'mp3'> = { clean: [], mp3_64k: 'mp3', 'speed_0.97': ['speed', '0.97'], 'speed_1.03': ['speed', '1.03'], 'pitch_-100c': ['pitch', '-100'], 'pitch_+100c': ['pitch', '100'], mix_6db: 'mix' };
const SHARES = [0.05, 0.1, 0.25, 0.5];
const OUTPUT_SECONDS = 180;
const recall: Record<string, string> = {};
const recallByShare: Record<string, string> = {};
const shareError: number[] = [];
const perTransform = quick ? 2 : 6;
const byShare = new Map<number, [number, number]>();
for (const [name, effect] of Object.entries(TRANSFORMS)) {
  let hit = 0;
  let n = 0;
  for (let k = 0; k < perTransform; k++) {
    for (const share of SHARES) {
      const base = outside[Math.floor(random() * outside.length)]!;
      const refIndex = Math.floor(random() * catalog.length);
      const ref = catalog[refIndex]!;
      const seconds = Math.min(OUTPUT_SECONDS * share, ref.durationSeconds - 2);
      const baseSeconds = Math.min(OUTPUT_SECONDS, base.durationSeconds);
      const out = await pcm(base.path, 0, baseSeconds);
      const from = random() * (ref.durationSeconds - seconds - 1);
      let part = await pcm(ref.path, from, seconds, Array.isArray(effect) ? effect : []);
      if (effect === 'mp3') {
        const cut = work.file('wav');
        const mid = work.file('mp3');
        ffmpeg('-ss', from.toFixed(3), '-t', seconds.toFixed(3), '-i', ref.path, '-ac', '1', '-ar', String(RATE), cut);
        ffmpeg('-i', cut, '-c:a', 'libmp3lame', '-b:a', '64k', mid);
        part = toMono((await decodeFile(mid)).channels);
      }
      const at = Math.floor(random() * Math.max(1, out.length - part.length));
      for (let i = 0; i < part.length && at + i < out.length; i++) out[at + i] = effect === 'mix' ? out[at + i]! + 0.5 * part[i]! : part[i]!;
      const r = await attribute(out);
      const top = r.master.shares[0];
      n++;
      const ok = top?.trackId === String(refIndex);
      if (ok) hit++;
      const s = byShare.get(share) ?? [0, 0];
      byShare.set(share, [s[0] + (ok ? 1 : 0), s[1] + 1]);
      if (!ok && process.env.BENCH_VERBOSE) log(`miss ${name} ${share} ${ref.file}@${from.toFixed(1)} in ${base.file}: ${JSON.stringify(r.master.shares.slice(0, 2))}; segments ${JSON.stringify(r.segments.slice(0, 3))}`);
      // The part as it landed: cut where the output ends.
      const truth = Math.min(part.length, out.length - at) / out.length;
      if (effect !== 'mix') shareError.push(Math.abs((top && ok ? top.sharePpm : 0) / 1e6 - truth));
    }
  }
  recall[name] = `${hit}/${n}`;
  log(`replication ${name}: ${hit}/${n}`);
}
for (const [share, [h, n]] of byShare) recallByShare[`${share * 100}%`] = `${h}/${n}`;

// ---- multi-source ----
const multiErrors: number[] = [];
for (let k = 0; k < (quick ? 3 : 12); k++) {
  const sources = 2 + (k % 2);
  const parts: Float32Array[] = [];
  const truth = new Map<string, number>();
  const base = outside[Math.floor(random() * outside.length)]!;
  parts.push(await pcm(base.path, 0, 30 + random() * 30));
  for (let s = 0; s < sources; s++) {
    const refIndex = Math.floor(random() * catalog.length);
    const ref = catalog[refIndex]!;
    const seconds = Math.min(15 + random() * 45, ref.durationSeconds - 2);
    const p = await pcm(ref.path, random() * (ref.durationSeconds - seconds - 1), seconds);
    parts.push(p);
    truth.set(String(refIndex), (truth.get(String(refIndex)) ?? 0) + p.length);
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  const r = await attribute(out);
  for (const [id, len] of truth) {
    const error = Math.abs((r.master.shares.find((s) => s.trackId === id)?.sharePpm ?? 0) / 1e6 - len / total);
    multiErrors.push(error);
    if (error > 0.03 && process.env.BENCH_VERBOSE) log(`multi-source: ${catalog[Number(id)]!.file} true ${r3(len / total)}, shares ${JSON.stringify(r.master.shares)}; segments ${JSON.stringify(r.segments)}`);
  }
}
log(`multi-source: worst share error ${r3(Math.max(...multiErrors) * 100)} pp`);

// ---- composition ----
let coverTop = 0;
let coverAttributed = 0;
let coverBoth = 0;
let covers = 0;
const coverMisses: string[] = [];
const coverQueries: Array<{ chroma: Chroma; ref: string }> = [];
for (let k = 0; k < (quick ? 6 : 40); k++) {
  const refIndex = Math.floor(random() * catalog.length);
  const ref = catalog[refIndex]!;
  const semis = (2 + Math.floor(random() * 4)) * (random() < 0.5 ? -1 : 1);
  const tempo = 0.85 + random() * 0.3;
  const seconds = Math.min(10 + random() * 35, ref.durationSeconds - 2);
  const q = analyse(await pcm(ref.path, random() * (ref.durationSeconds - seconds - 1), seconds, ['pitch', String(semis * 100), 'tempo', tempo.toFixed(3)]));
  coverQueries.push({ chroma: q.chroma, ref: String(refIndex) });
  const p = placing(q.chroma, String(refIndex));
  covers++;
  if (p.first) coverTop++;
  if (p.attributed) coverAttributed++;
  if (p.first && p.attributed) coverBoth++;
  else coverMisses.push(`${ref.file} ${semis} st ×${tempo.toFixed(2)} ${seconds.toFixed(0)} s${p.first ? '' : ' (not first)'}${p.attributed ? '' : ' (under the bar)'}`);
}
log(`composition covers: first ${coverTop}/${covers}, attributed ${coverAttributed}/${covers}, both ${coverBoth}/${covers}`);

// MusiConGen: generations against their reference recordings, added to the catalog's candidates.
const aiDir = process.env.LEDGERLINE_AI_MUSIC ?? join(corpusDir(), '../ai-music');
const aiManifest = readFileSync(join(aiDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const aiRows = aiManifest.map((c) => c[0]!);
const generatorOf = new Map(aiManifest.map((c) => [c[0]!, c[2]!]));
const refs = aiRows.filter((f) => /musicongen_.*_ref\.mp3$/.test(f));
const withRefs = new ShortlistBuilder();
for (const [id, c] of chromaById) withRefs.add(id, describePatches(c, CATALOG_HOP));
for (const f of refs) addWork(withRefs, `ref:${/_(\d+)_ref/.exec(f)![1]}`, analyse(resampleTo(await decodeFile(join(aiDir, f)))).chroma);
const generations: Array<{ chroma: Chroma; ref: string }> = [];
/** Per generator family (the manifest's generator column): first, attributed, both, of how many. */
const byGenerator: Record<string, { first: number; attributed: number; both: number; of: number }> = {};
for (const f of aiRows.filter((x) => /musicongen_.*\.mp3$/.test(x) && !x.endsWith('_ref.mp3'))) {
  const song = /_(\d+)_/.exec(f)![1]!;
  if (!refs.some((r) => r.includes(`_${song}_ref`))) continue;
  const chroma = analyse(resampleTo(await decodeFile(join(aiDir, f)))).chroma;
  generations.push({ chroma, ref: `ref:${song}` });
  const p = placing(chroma, `ref:${song}`, withRefs);
  const g = (byGenerator[generatorOf.get(f)!] ??= { first: 0, attributed: 0, both: 0, of: 0 });
  g.of++;
  if (p.first) g.first++;
  if (p.attributed) g.attributed++;
  if (p.first && p.attributed) g.both++;
}
const genTotal = Object.values(byGenerator).reduce((t, g) => ({ first: t.first + g.first, attributed: t.attributed + g.attributed, both: t.both + g.both, of: t.of + g.of }), { first: 0, attributed: 0, both: 0, of: 0 });
log(`MusiConGen: ${JSON.stringify(byGenerator)}`);

// Every pair of distinct catalog tracks: each whole track against the others (through the
// shortlist, which finds the track itself first; it is then left out).
// The bar is also chosen again leaving one source (the corpus's source repository) out: the
// smallest whole number of standard deviations above every pair that touches no track of that
// source, then the pairs whose output is from that source are judged against it.
let pairsAttributed = 0;
let pairs = 0;
const sourceOf = (i: number) => catalog[i]!.file.split('__')[0]!;
const pairZ: Array<{ i: number; j: number; z: number }> = [];
for (let i = 0; i < catalog.length; i++) {
  pairs += catalog.length - 1;
  for (const x of compose(chromaById.get(String(i))!, works, String(i), -Infinity)) {
    pairZ.push({ i, j: Number(x.trackId), z: x.z });
    if (x.z >= Z_ATTRIBUTE) pairsAttributed++;
  }
}
const sources = [...new Set(catalog.map((_, i) => sourceOf(i)))];
let heldOutAttributed = 0;
const heldOutBars: number[] = [];
for (const source of sources) {
  const calibration = pairZ.filter((p) => sourceOf(p.i) !== source && sourceOf(p.j) !== source);
  const bar = Math.floor(Math.max(...calibration.map((p) => p.z))) + 1;
  heldOutBars.push(bar);
  heldOutAttributed += pairZ.filter((p) => sourceOf(p.i) === source && p.z >= bar).length;
}
log(`composition pairs attributed: ${pairsAttributed}/${pairs}; leaving one source out: ${heldOutAttributed}/${pairs} (bars ${Math.min(...heldOutBars)}-${Math.max(...heldOutBars)})`);

// ---- false attribution and speed ----
let worstFalse = 0;
const falseNamed: string[] = [];
const timings: number[] = [];
for (const t of outside) {
  const out = resampleTo(await decodeFile(t.path));
  const t0 = performance.now();
  const r = await attribute(out.length > OUTPUT_SECONDS * RATE ? out.subarray(0, OUTPUT_SECONDS * RATE) : out);
  if (out.length >= OUTPUT_SECONDS * RATE) timings.push(performance.now() - t0);
  const top = Math.max(r.master.shares[0]?.sharePpm ?? 0, r.composition.shares[0]?.sharePpm ?? 0);
  worstFalse = Math.max(worstFalse, top);
  if (top > 10_000) falseNamed.push(`${t.file}: ${top} ppm`);
}
log(`false attribution: worst ${worstFalse} ppm`);

// ---- speed at scale: the master layer against an on-disk index of `scaleHours` ----
const scale: { hours: number; masterMsMedian?: number; compositionMsMedian?: number; outputs: number; covers?: object; musicongen?: object } = { hours: 0, outputs: 0 };
if (scaleHours > 0) {
  const realHours = catalog.reduce((sum, t) => sum + t.durationSeconds, 0) / 3600;
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-attr-'));
  const seg = await SegmentIndex.open(dir, DEFAULT_CONFIG.version);
  await seg.addRun(realRun);
  log(`filling the index to ${scaleHours} hours…`);
  await seg.addRun(syntheticRun(realRun, realHours, scaleHours - realHours, catalog.length + 1, scaleHours));
  index = seg;
  // The composition index to the same size, with synthetic songs (synthetic-chroma.ts).
  const fillRandom = seededRandom(7);
  let fillHours = realHours;
  for (let n = 0; fillHours < scaleHours; n++) {
    const seconds = 120 + fillRandom() * 120;
    addWork(works, `fill:${n}`, syntheticChroma(seconds, fillRandom));
    fillHours += seconds / 3600;
  }
  const withRefsAtScale = new ShortlistBuilder();
  for (const [id, c] of chromaById) withRefsAtScale.add(id, describePatches(c, CATALOG_HOP));
  log(`composition index: ${works.tracks} works; ${withRefsAtScale.tracks} with the MusiConGen references`);
  const rank = (qs: Array<{ chroma: Chroma; ref: string }>, from: ShortlistBuilder) => {
    let first = 0;
    let attributed = 0;
    let shortlisted = 0;
    for (const q of qs) {
      if (worksToAlign(from.data(), describePatches(q.chroma, QUERY_HOP)).includes(q.ref)) shortlisted++;
      const p = placing(q.chroma, q.ref, from);
      if (p.first) first++;
      if (p.attributed) attributed++;
    }
    return { shortlisted: `${shortlisted}/${qs.length}`, first: `${first}/${qs.length}`, attributed: `${attributed}/${qs.length}` };
  };
  scale.covers = rank(coverQueries, works);
  scale.musicongen = rank(generations, withRefsAtScale);
  const master: number[] = [];
  const composition: number[] = [];
  for (const t of outside.filter((x) => x.durationSeconds >= OUTPUT_SECONDS).slice(0, 5)) {
    const timing = { masterMs: 0, compositionMs: 0 };
    await attribute(resampleTo(await decodeFile(t.path)).subarray(0, OUTPUT_SECONDS * RATE), timing);
    master.push(timing.masterMs);
    composition.push(timing.compositionMs);
  }
  Object.assign(scale, { hours: scaleHours, masterMsMedian: Math.round(median(master)), compositionMsMedian: Math.round(median(composition)), outputs: master.length });
  log(`at ${scaleHours} h: ${JSON.stringify(scale)}`);
  await seg.close();
  rmSync(dir, { recursive: true, force: true });
}
work.dispose();

console.log(
  JSON.stringify({
    bench: 'attribution',
    catalogTracks: catalog.length,
    catalogHours: r3(catalog.reduce((s, t) => s + t.durationSeconds, 0) / 3600),
    replication: { outputSeconds: OUTPUT_SECONDS, recall, recallByShare, meanShareErrorPp: r3((shareError.reduce((s, x) => s + x, 0) / shareError.length) * 100) },
    multiSource: { outputs: quick ? 3 : 12, worstShareErrorPp: r3(Math.max(...multiErrors) * 100), meanShareErrorPp: r3((multiErrors.reduce((s, x) => s + x, 0) / multiErrors.length) * 100) },
    composition: {
      covers: { first: `${coverTop}/${covers}`, attributed: `${coverAttributed}/${covers}`, firstAndAttributed: `${coverBoth}/${covers}`, misses: coverMisses },
      musicongen: {
        first: `${genTotal.first}/${genTotal.of}`,
        attributed: `${genTotal.attributed}/${genTotal.of}`,
        firstAndAttributed: `${genTotal.both}/${genTotal.of}`,
        byGenerator: Object.fromEntries(Object.entries(byGenerator).map(([k, g]) => [k, `${g.first} first, ${g.attributed} attributed, ${g.both} both of ${g.of}`])),
        candidates: withRefs.tracks,
      },
      pairs: {
        attributed: pairsAttributed,
        pairs,
        rate: r3(pairsAttributed / pairs),
        bar: Z_ATTRIBUTE,
        leaveOneSourceOut: { attributed: heldOutAttributed, rate: r3(heldOutAttributed / pairs), sources: sources.length, bars: `${Math.min(...heldOutBars)}-${Math.max(...heldOutBars)}` },
      },
    },
    falseAttribution: { outputs: outside.length, worstSharePpm: worstFalse, above1Percent: falseNamed },
    speed: {
      msPer3MinOutputMedian: Math.round(median(timings)),
      outputs: timings.length,
      catalogTracks: catalog.length,
      // Both layers against the filled indexes (fingerprints: synthetic.ts; composition: synthetic-chroma.ts).
      atScale: scale,
    },
  }),
);
