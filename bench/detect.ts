// npm run bench:detect — the AI-music detector on real generated music (../shared/ai-music),
// synthetic transposed-convolution stacks and Griffin-Lim reconstructions over the human corpus,
// human music (../shared/corpus plus the human references in ai-music) and synthetic synth songs
// (digital-oscillator notes, the physics that fooled the detector on unseen game music), each
// clean and after the transformations in bench/transforms.ts. Prints one JSON line (a table goes
// to stderr); its headline is measured leaving out what it is measured on (detect-summary.ts):
// - human music per source, judged with calibration offsets chosen on the other sources: tracks
//   called ai, uncertain, the highest score;
// - generated music per family (offsets are chosen on human music only, so no family is ever in
//   the choice): called ai of the assessable clips, assessable share, 10-s clips;
// - beside them, in sample: the detector as shipped (its offsets saw these humans), with AUROC
//   and TPR at 1% FPR;
// - throughput: realtime factor per core (decode included, one thread) and with every core.
// Every file is first cut to its first --seconds (default 60) as WAV at its own rate.
// Options: --seconds N, --synthetic N (corpus tracks per synthetic set, default 16), --griffin N
// (stereo corpus tracks per Griffin-Lim set, classic and fast, default 4), --synth-songs N
// (default 16), --only a,b (transformations), --quick (clean, mp3_128k, speed_up_2pct; 8
// synthetic, 2 per Griffin-Lim set, 8 synth songs), --scores FILE (every file's verdict, score
// and reason per transformation, one JSON line each), --calibrate (human music only: choose the
// offsets on every human source and transformation and write them to src/detect/calibration.json;
// `npm run calibrate:detect`).

import { availableParallelism, tmpdir } from 'node:os';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeFile, toMono } from '../src/audio/index.ts';
import { DEFAULT_THRESHOLD, detect, runDetect, SHIPPED_CALIBRATION, type RawReadings } from '../src/detect/index.ts';
import { WorkerPool } from '../src/jobs/index.ts';
import { ordered, seededRandom } from '../src/shared/index.ts';
import { wavBytes } from '../test/helpers/audio.ts';
import { loadCorpus } from './corpus.ts';
import { offsetsWithout, summarise, type BenchRecord } from './detect-summary.ts';
import { synthSong } from './synth-music.ts';
import { excerpt, monoAt, TRANSFORMS } from './transforms.ts';
import { griffinLim, randomGriffinLim } from './griffin-lim.ts';
import { mixUnder, randomStack, throughStack } from './upsampling.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const quick = process.argv.includes('--quick');
const seconds = Number(arg('seconds') ?? 60);
const syntheticCount = Number(arg('synthetic') ?? (quick ? 8 : 16));
const griffinCount = Number(arg('griffin') ?? (quick ? 2 : 4));
const scoresFile = arg('scores');
const calibrating = process.argv.includes('--calibrate');
const synthSongs = Number(arg('synth-songs') ?? (quick ? 8 : 16));
const only = arg('only')?.split(',') ?? (quick ? ['clean', 'mp3_128k', 'speed_up_2pct'] : Object.keys(TRANSFORMS));
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Item {
  name: string;
  set: string;
  /** Human source, or generator family. */
  source: string;
  positive: boolean;
  clean: string;
}

const aiDir = resolve(process.env.LEDGERLINE_AI_MUSIC ?? join(import.meta.dirname, '../../shared/ai-music'));
if (!existsSync(join(aiDir, 'MANIFEST.tsv'))) throw new Error(`ai-music not found at ${aiDir} (set LEDGERLINE_AI_MUSIC)`);

if (scoresFile) writeFileSync(scoresFile, '');
const work = mkdtempSync(join(tmpdir(), 'll-bench-detect-'));
const pool = new WorkerPool(availableParallelism());
try {
  const items: Item[] = [];
  const [head, ...rows] = readFileSync(join(aiDir, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const cols = head!.split('\t');
  for (const r of rows) {
    const c = r.split('\t');
    const file = c[cols.indexOf('file')]!;
    const label = c[cols.indexOf('label')]!;
    const generator = c[cols.indexOf('generator')]!;
    if (calibrating && label === 'ai') continue;
    const name = `ai-${file.replace(/^audio\//, '').replace(/\.\w+$/, '')}`;
    // A human reference's source is the repository it came from, as a corpus track's is its prefix.
    const source = label === 'ai' ? generator : `ai-music/${c[cols.indexOf('source_repo')]!.split('/')[0]}`;
    items.push({ name, set: label === 'ai' ? `generated:${generator}` : 'human', source, positive: label === 'ai', clean: excerpt(join(aiDir, file), work, name, seconds) });
  }
  const corpus = loadCorpus();
  for (const t of corpus) {
    const name = `corpus-${t.file.replace(/\.\w+$/, '')}`;
    items.push({ name, set: 'human', source: t.file.split('__')[0]!, positive: false, clean: excerpt(t.path, work, name, seconds) });
  }
  log(`excerpts: ${items.length}`);
  const stacks: Array<{ strides: number[]; rate: number }> = [];
  const griffin: string[] = [];
  if (!calibrating) {
    // Synthetic stacks over a seeded choice of corpus tracks.
    const rand = seededRandom(20261122);
    const picks = [...corpus].sort(() => rand() - 0.5).slice(0, syntheticCount);
    for (const [i, t] of picks.entries()) {
      const stack = randomStack(rand);
      stacks.push(stack);
      const name = `synth-${i}`;
      const src = excerpt(t.path, work, `${name}-src`, seconds);
      const x = toMono((await decodeFile(monoAt(src, work, `${name}-rs`, stack.rate))).channels);
      const y = throughStack(x, stack, 1000 + i);
      const alone = join(work, `${name}-alone.wav`);
      writeFileSync(alone, wavBytes([y], stack.rate, 'pcm16'));
      const mixed = join(work, `${name}-mixed.wav`);
      writeFileSync(mixed, wavBytes([mixUnder(x, y, 30)], stack.rate, 'pcm16'));
      items.push({ name: `${name}-alone`, set: 'synthetic:alone', source: 'synthetic:alone', positive: true, clean: alone });
      items.push({ name: `${name}-mixed`, set: 'synthetic:mixed_-30dB', source: 'synthetic:mixed_-30dB', positive: true, clean: mixed });
    }
    log(`synthetic stacks: ${stacks.map((s) => `${s.strides.join('·')}@${s.rate}`).join(' ')}`);
    // Griffin-Lim, each channel on its own, over a seeded choice of stereo corpus tracks.
    const stereo = corpus.filter((t) => t.channels === 2).sort(() => rand() - 0.5);
    for (const [i, t] of stereo.slice(0, 2 * griffinCount).entries()) {
      const fast = i % 2 === 1;
      const settings = randomGriffinLim(rand, fast);
      const name = `griffin-${i}`;
      const audio = await decodeFile(excerpt(t.path, work, `${name}-src`, seconds));
      const rebuilt = join(work, `${name}.wav`);
      writeFileSync(rebuilt, wavBytes(audio.channels.map((c, ch) => griffinLim(c, settings, 2000 + 10 * i + ch)), audio.sampleRate, 'pcm16'));
      const set = `synthetic:griffin-lim_${fast ? 'fast' : 'classic'}`;
      items.push({ name, set, source: set, positive: true, clean: rebuilt });
      griffin.push(`${fast ? 'fast' : 'classic'}/${settings.frame}`);
    }
    log(`griffin-lim: ${griffin.join(' ')}`);
    // Synth songs: human-made music on digital oscillators, the negatives that look most like a comb.
    for (let i = 0; i < synthSongs; i++) {
      const song = synthSong(7000 + i, seconds);
      const path = join(work, `synth-song-${i}.wav`);
      writeFileSync(path, wavBytes([song.samples], song.rate, 'pcm16'));
      items.push({ name: `synth-song-${i}`, set: 'synthetic:synth-music', source: 'synthetic:synth-music', positive: false, clean: path });
    }
  }

  const records: BenchRecord[] = [];
  for (const tname of only) {
    const transform = TRANSFORMS[tname];
    if (!transform) throw new Error(`unknown transformation ${tname}`);
    const dir = mkdtempSync(join(work, `${tname}-`));
    const started = performance.now();
    for await (const { item, result } of ordered(items, pool.size * 2, async (it) => runDetect(pool, { path: transform(it.clean, dir, it.name) }))) {
      const base = { transform: tname, item: item.name, source: item.source, set: item.set, positive: item.positive };
      if (result instanceof Error) {
        log(`${tname} ${item.name}: ${result.message}`);
        records.push({ ...base, verdict: 'error', score: null, readings: null, seconds: 0 });
        continue;
      }
      const readings = (result.evidence['spectral-artifacts'] as { readings?: RawReadings } | undefined)?.readings ?? null;
      records.push({ ...base, verdict: result.verdict, score: result.score, readings: result.verdict === 'not_assessable' ? null : readings, seconds: result.durationSeconds });
      if (scoresFile) appendFileSync(scoresFile, `${JSON.stringify({ transform: tname, item: item.name, set: item.set, source: item.source, verdict: result.verdict, score: result.score, reason: result.reason, readings })}\n`);
    }
    rmSync(dir, { recursive: true, force: true });
    const done = records.filter((r) => r.transform === tname);
    const humansAi = done.filter((r) => r.set === 'human' && r.verdict === 'ai').length;
    log(`${tname.padEnd(16)} shipped: humans called ai ${humansAi}/${done.filter((r) => r.set === 'human').length}, generated ai ${done.filter((r) => r.set.startsWith('generated:') && r.verdict === 'ai').length}/${done.filter((r) => r.set.startsWith('generated:')).length} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }

  if (calibrating) {
    const humans = records.filter((r) => r.set === 'human');
    const calibration = {
      offsets: offsetsWithout(records, null),
      chosenOn: { files: new Set(humans.map((r) => r.item)).size, sources: [...new Set(humans.map((r) => r.source))].sort(), transforms: only, seconds, date: new Date().toISOString().slice(0, 10) },
    };
    const target = join(import.meta.dirname, '../src/detect/calibration.json');
    writeFileSync(target, `${JSON.stringify(calibration, null, 2)}\n`);
    console.log(JSON.stringify({ bench: 'detect', calibrated: target, ...calibration }));
  } else {
    const summary = summarise(records);
    for (const [t, v] of Object.entries(summary.byTransform)) {
      const l = v.leaveOneOut;
      const i = v.inSample;
      log(
        `${t.padEnd(16)} leave-one-out: humans ai ${l.humans.ai}/${l.humans.n} (${l.humans.sourcesWithAi} sources, max ${l.humans.maxScore}), generated ai ${l.generated.all.ai}/${l.generated.all.assessable} assessable of ${l.generated.all.n}; synth songs ai ${l.synthMusic.ai}/${l.synthMusic.n} | in sample: humans ai ${i.humans.ai}, generated ai ${i.generated.all.ai}/${i.generated.all.assessable}`,
      );
    }
    // Throughput on whole corpus files, decode included: one thread, then every core.
    const files = corpus.slice(0, quick ? 4 : 12).map((t) => t.path);
    let audioSeconds = 0;
    let t0 = performance.now();
    for (const f of files) audioSeconds += (await detect({ path: f })).durationSeconds;
    const oneCore = audioSeconds / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    for await (const _ of ordered(files, pool.size * 2, (f) => runDetect(pool, { path: f }))) void _;
    const allCores = audioSeconds / ((performance.now() - t0) / 1000);

    console.log(
      JSON.stringify({
        bench: 'detect',
        seconds,
        threshold: DEFAULT_THRESHOLD,
        items: items.length,
        synthetic: stacks.map((s) => `${s.strides.join('x')}@${s.rate}`),
        griffinLim: griffin,
        calibrationShipped: SHIPPED_CALIBRATION.chosenOn,
        ...summary,
        throughput: { files: files.length, audioSeconds: Math.round(audioSeconds), realtimePerCore: Math.round(oneCore), realtimeAllCores: Math.round(allCores), cores: pool.size },
      }),
    );
  }
} finally {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
}

