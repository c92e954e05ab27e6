// The detector bench's figures from its per-file records, measured the way the world will:
// - human music leaving one source out: each source's tracks judged with calibration offsets
//   chosen on every other source (over every transformation run), so a source the offsets
//   never saw is judged as an unseen one would be;
// - generated music leaving its family out: offsets are chosen on human music alone, so no
//   generator family ever enters the choice; each family is judged with the offsets of all the
//   human sources;
// - in sample, beside them: the verdicts of the detector as shipped, whose offsets were chosen on
//   these very human files (calibration.json).

import { calibrate, DEFAULT_THRESHOLD, scoreReadings, verdictOf, type Offsets, type RawReadings } from '../src/detect/index.ts';
import { auroc, tprAtFpr, wilson } from './stats.ts';

export interface BenchRecord {
  transform: string;
  item: string;
  /** Human source (the corpus's file prefix, or the repository of an ai-music reference), or generator family. */
  source: string;
  set: string;
  positive: boolean;
  /** Verdict and score of the detector as shipped. */
  verdict: string;
  score: number | null;
  /** Raw readings before calibration; null when not assessable. */
  readings: RawReadings | null;
  seconds: number;
}

const r4 = (x: number) => Math.round(x * 10000) / 10000;

/** The verdict a record gets under `offsets`. */
export function rejudge(r: BenchRecord, offsets: Offsets): { verdict: string; score: number | null } {
  if (!r.readings) return { verdict: r.verdict, score: r.score };
  const s = scoreReadings(r.readings, offsets);
  return { verdict: verdictOf(s.score, s.doubted?.score ?? null, DEFAULT_THRESHOLD), score: r4(s.score) };
}

const isHuman = (r: BenchRecord) => r.set === 'human';

export function offsetsWithout(records: BenchRecord[], source: string | null): Offsets {
  return calibrate(records.filter((r) => isHuman(r) && r.source !== source && r.readings).map((r) => r.readings!));
}

interface Tally {
  n: number;
  ai: number;
  uncertain: number;
  notAssessable: number;
  maxScore: number;
  files: string[];
}

function tally(rows: Array<{ r: BenchRecord; verdict: string; score: number | null }>): Tally {
  const t: Tally = { n: rows.length, ai: 0, uncertain: 0, notAssessable: 0, maxScore: 0, files: [] };
  for (const { r, verdict, score } of rows) {
    if (verdict === 'ai') {
      t.ai++;
      t.files.push(r.item);
    } else if (verdict === 'uncertain') t.uncertain++;
    else if (verdict === 'not_assessable') t.notAssessable++;
    t.maxScore = Math.max(t.maxScore, score ?? 0);
  }
  t.maxScore = r4(t.maxScore);
  return t;
}

function byKey<T>(rows: T[], key: (x: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const x of rows) {
    const k = key(x);
    m.set(k, [...(m.get(k) ?? []), x]);
  }
  return new Map([...m.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function positives(rows: Array<{ r: BenchRecord; verdict: string }>) {
  const assessable = rows.filter((x) => x.verdict !== 'not_assessable');
  const ai = rows.filter((x) => x.verdict === 'ai').length;
  return {
    n: rows.length,
    assessable: assessable.length,
    ai,
    aiOfAssessable: assessable.length ? r4(ai / assessable.length) : null,
    aiOfAssessableCi95: wilson(ai, assessable.length).map(r4),
    uncertain: rows.filter((x) => x.verdict === 'uncertain').length,
  };
}

/** One transformation's figures under one set of verdicts. */
function figures(rows: Array<{ r: BenchRecord; verdict: string; score: number | null }>) {
  const humanRows = rows.filter((x) => isHuman(x.r));
  const bySource = Object.fromEntries([...byKey(humanRows, (x) => x.r.source)].map(([s, v]) => [s, tally(v)]));
  const all = tally(humanRows);
  const gen = rows.filter((x) => x.r.positive);
  const real = gen.filter((x) => x.r.set.startsWith('generated:'));
  return {
    humans: { n: all.n, ai: all.ai, uncertain: all.uncertain, sourcesWithAi: Object.values(bySource).filter((t) => t.ai > 0).length, maxScore: all.maxScore, bySource },
    generated: {
      all: positives(real),
      byFamily: Object.fromEntries([...byKey(gen, (x) => x.r.set)].map(([f, v]) => [f, positives(v)])),
      shortClips: positives(real.filter((x) => x.r.seconds <= 12)),
    },
    synthMusic: tally(rows.filter((x) => x.r.set === 'synthetic:synth-music')),
  };
}

/** Per transformation: leave-one-out figures (the headline) and in-sample ones beside them. */
export function summarise(records: BenchRecord[]) {
  const sources = [...new Set(records.filter(isHuman).map((r) => r.source))].sort();
  const heldOut = new Map(sources.map((s) => [s, offsetsWithout(records, s)]));
  const allHumans = offsetsWithout(records, null);
  const byTransform: Record<string, { leaveOneOut: ReturnType<typeof figures>; inSample: ReturnType<typeof figures> & { auroc: number; tprAt1pctFpr: number } }> = {};
  for (const [transform, rows] of byKey(records, (r) => r.transform)) {
    const loo = rows.map((r) => ({ r, ...rejudge(r, isHuman(r) ? heldOut.get(r.source)! : allHumans) }));
    const shipped = rows.map((r) => ({ r, verdict: r.verdict, score: r.score }));
    // Threshold-free figures on the shipped scores (in sample: the offsets saw these humans).
    const neg = rows.filter(isHuman).map((r) => r.score ?? 0);
    const pos = rows.filter((r) => r.set.startsWith('generated:')).map((r) => r.score ?? 0);
    byTransform[transform] = {
      leaveOneOut: figures(loo),
      inSample: { ...figures(shipped), auroc: r4(auroc(pos, neg)), tprAt1pctFpr: r4(tprAtFpr(pos, neg, 0.01).tpr) },
    };
  }
  return { offsetsAllHumans: allHumans, offsetsLeavingOut: Object.fromEntries(heldOut), byTransform };
}
