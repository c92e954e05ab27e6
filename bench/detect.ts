// npm run bench:detect — the AI-music detector on real generated music (../shared/ai-music),
// synthetic transposed-convolution stacks and Griffin-Lim reconstructions over the human corpus,
// and human music (../shared/corpus plus the human originals in ai-music), each clean and after the
// transformations in bench/transforms.ts. Prints one JSON line (a table goes to stderr):
// - per set and transformation: TPR at 1% and at 0.1% FPR (thresholds set on the human scores
//   of the same transformation), AUROC, TPR at the default threshold, each TPR with its Wilson
//   95% interval; not-assessable answers count as misses;
// - per transformation: human tracks called "ai" at the default threshold;
// - throughput: realtime factor per core (decode included, one thread) and with every core.
// Every file is first cut to its first --seconds (default 60) as WAV at its own rate.
// Options: --seconds N, --synthetic N (corpus tracks per synthetic set, default 16), --griffin N
// (stereo corpus tracks per Griffin-Lim set, classic and fast, default 4), --only a,b
// (transformations), --quick (clean, mp3_128k, speed_up_2pct; 8 synthetic, 2 per Griffin-Lim set),
// --scores FILE (every file's verdict, score and reason per transformation, one JSON line each:
// which files a figure gained or lost).

import { availableParallelism, tmpdir } from 'node:os';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decodeFile, toMono } from '../src/audio/index.ts';
import { DEFAULT_THRESHOLD, detect, runDetect } from '../src/detect/index.ts';
import { WorkerPool } from '../src/jobs/index.ts';
import { ordered, seededRandom } from '../src/shared/index.ts';
import { wavBytes } from '../test/helpers/audio.ts';
import { loadCorpus } from './corpus.ts';
import { auroc, tprAtFpr, wilson } from './stats.ts';
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
const only = arg('only')?.split(',') ?? (quick ? ['clean', 'mp3_128k', 'speed_up_2pct'] : Object.keys(TRANSFORMS));
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Item {
  name: string;
  set: string;
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
    const name = `ai-${file.replace(/^audio\//, '').replace(/\.\w+$/, '')}`;
    items.push({ name, set: label === 'ai' ? `generated:${generator}` : 'human', positive: label === 'ai', clean: excerpt(join(aiDir, file), work, name, seconds) });
  }
  const corpus = loadCorpus();
  for (const t of corpus) {
    const name = `corpus-${t.file.replace(/\.\w+$/, '')}`;
    items.push({ name, set: 'human', positive: false, clean: excerpt(t.path, work, name, seconds) });
  }
  log(`excerpts: ${items.length}`);
  // Synthetic stacks over a seeded choice of corpus tracks.
  const rand = seededRandom(20261122);
  const picks = [...corpus].sort(() => rand() - 0.5).slice(0, syntheticCount);
  const stacks: Array<{ strides: number[]; rate: number }> = [];
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
    items.push({ name: `${name}-alone`, set: 'synthetic:alone', positive: true, clean: alone });
    items.push({ name: `${name}-mixed`, set: 'synthetic:mixed_-30dB', positive: true, clean: mixed });
  }
  log(`synthetic stacks: ${stacks.map((s) => `${s.strides.join('·')}@${s.rate}`).join(' ')}`);
  // Griffin-Lim, each channel on its own, over a seeded choice of stereo corpus tracks.
  const griffin: string[] = [];
  const stereo = corpus.filter((t) => t.channels === 2).sort(() => rand() - 0.5);
  for (const [i, t] of stereo.slice(0, 2 * griffinCount).entries()) {
    const fast = i % 2 === 1;
    const settings = randomGriffinLim(rand, fast);
    const name = `griffin-${i}`;
    const audio = await decodeFile(excerpt(t.path, work, `${name}-src`, seconds));
    const rebuilt = join(work, `${name}.wav`);
    writeFileSync(rebuilt, wavBytes(audio.channels.map((c, ch) => griffinLim(c, settings, 2000 + 10 * i + ch)), audio.sampleRate, 'pcm16'));
    items.push({ name, set: `synthetic:griffin-lim_${fast ? 'fast' : 'classic'}`, positive: true, clean: rebuilt });
    griffin.push(`${fast ? 'fast' : 'classic'}/${settings.frame}`);
  }
  log(`griffin-lim: ${griffin.join(' ')}`);

  const results: Record<string, unknown> = {};
  const humanCalledAi: Record<string, unknown> = {};
  for (const tname of only) {
    const transform = TRANSFORMS[tname];
    if (!transform) throw new Error(`unknown transformation ${tname}`);
    const dir = mkdtempSync(join(work, `${tname}-`));
    const scores = new Map<string, { score: number; verdict: string; set: string; positive: boolean }>();
    const started = performance.now();
    for await (const { item, result } of ordered(items, pool.size * 2, async (it) => runDetect(pool, { path: transform(it.clean, dir, it.name) }))) {
      if (result instanceof Error) {
        log(`${tname} ${item.name}: ${result.message}`);
        scores.set(item.name, { score: 0, verdict: 'error', set: item.set, positive: item.positive });
        continue;
      }
      scores.set(item.name, { score: result.score ?? 0, verdict: result.verdict, set: item.set, positive: item.positive });
      if (scoresFile) appendFileSync(scoresFile, `${JSON.stringify({ transform: tname, item: item.name, set: item.set, verdict: result.verdict, score: result.score, reason: result.reason })}\n`);
    }
    rmSync(dir, { recursive: true, force: true });
    const all = [...scores.entries()];
    const neg = all.filter(([, s]) => !s.positive);
    const negScores = neg.map(([, s]) => s.score);
    const falseAi = neg.filter(([, s]) => s.verdict === 'ai').map(([n]) => n);
    humanCalledAi[tname] = { n: neg.length, ai: falseAi.length, ci95: wilson(falseAi.length, neg.length).map(r4), notAssessable: neg.filter(([, s]) => s.verdict === 'not_assessable').length, files: falseAi };
    const sets = [...new Set(all.filter(([, s]) => s.positive).map(([, s]) => s.set))];
    const groups: Record<string, string[]> = { 'generated:all': sets.filter((s) => s.startsWith('generated:')) };
    for (const s of sets) groups[s] = [s];
    const per: Record<string, unknown> = {};
    for (const [g, members] of Object.entries(groups)) {
      const pos = all.filter(([, s]) => s.positive && members.includes(s.set));
      const posScores = pos.map(([, s]) => s.score);
      const at1 = tprAtFpr(posScores, negScores, 0.01);
      const at01 = tprAtFpr(posScores, negScores, 0.001);
      const hits = pos.filter(([, s]) => s.verdict === 'ai').length;
      per[g] = {
        n: pos.length,
        tprAt1pctFpr: r4(at1.tpr),
        tprAt1pctFprCi95: wilson(at1.k, at1.n).map(r4),
        tprAt01pctFpr: r4(at01.tpr),
        tprAt01pctFprCi95: wilson(at01.k, at01.n).map(r4),
        auroc: r4(auroc(posScores, negScores)),
        tprAtDefault: r4(hits / pos.length),
        tprAtDefaultCi95: wilson(hits, pos.length).map(r4),
        notAssessable: pos.filter(([, s]) => s.verdict === 'not_assessable').length,
      };
    }
    results[tname] = per;
    const all1 = per['generated:all'] as { tprAt1pctFpr: number; auroc: number; tprAtDefault: number };
    log(`${tname.padEnd(16)} generated TPR@1%FPR ${all1.tprAt1pctFpr} AUROC ${all1.auroc} TPR@default ${all1.tprAtDefault}; humans called ai ${falseAi.length}/${neg.length} (${((performance.now() - started) / 1000).toFixed(0)} s)`);
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
      results,
      humanCalledAi,
      throughput: { files: files.length, audioSeconds: Math.round(audioSeconds), realtimePerCore: Math.round(oneCore), realtimeAllCores: Math.round(allCores), cores: pool.size },
    }),
  );
} finally {
  await pool.close();
  rmSync(work, { recursive: true, force: true });
}

function r4(x: number): number {
  return Math.round(x * 10000) / 10000;
}
