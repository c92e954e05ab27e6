// Judges decoded audio with every registered detector and combines their findings into one
// verdict. Gates shared by all detectors (too short, silent) come first, so no detector is asked
// about audio nobody can judge.

import { loadAudio, type AudioSource, type DecodedAudio, type RangePlan, type SampleRange } from '../audio/index.ts';
import { LedgerlineError } from '../shared/index.ts';
import { verdictOf } from './calibration.ts';
import { DETECTORS } from './detectors.ts';
import { DetectErrors } from './errors.ts';
import type { Detection, DetectOptions, Detector, Finding } from './types.ts';

export const DEFAULT_THRESHOLD = 0.5;
/**
 * Shorter audio does not average enough frames (8 half-overlapped frames of about 1.5 s) for
 * lines a few dB above the music to stand out; a 10-s clip, the length many generators publish,
 * averages 11.
 */
export const MIN_SECONDS = 8;
/** RMS below this (about -60 dBFS) is silence. */
const SILENT_RMS = 1e-3;

export interface DetectSettings extends DetectOptions {
  threshold?: number;
  detectors?: readonly Detector[];
}

export function checkThreshold(t: number): number {
  if (!Number.isFinite(t) || t <= 0 || t > 1) throw new LedgerlineError(DetectErrors.BAD_THRESHOLD, `threshold ${t} is not in (0, 1]`);
  return t;
}

/**
 * The samples the detectors read of a stream of `length` at `rate`: the union of their ranges,
 * or null (the whole stream) when one of them reads everything.
 */
function detectorRanges(detectors: readonly Detector[] = DETECTORS): RangePlan {
  return (length, rate) => {
    const all: SampleRange[] = [];
    for (const d of detectors) {
      const r = d.ranges?.(length, rate);
      if (!r) return null;
      all.push(...r);
    }
    all.sort((a, b) => a[0] - b[0]);
    const merged: Array<[number, number]> = [];
    for (const [a, b] of all) {
      const last = merged[merged.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else merged.push([a, b]);
    }
    return merged;
  };
}

/**
 * The level over the samples the detectors read, from every 4th one: an estimate is all the
 * silence check needs, at a quarter of the reads, and a file decoded only where the detectors
 * read is measured exactly as one decoded whole.
 */
function rms(audio: DecodedAudio, ranges: readonly SampleRange[] | null): number {
  let s = 0;
  let n = 0;
  for (const ch of audio.channels) {
    for (const [a, b] of ranges ?? [[0, ch.length] as const]) {
      for (let i = a; i < b; i += 4) s += ch[i]! * ch[i]!;
      n += Math.ceil((b - a) / 4);
    }
  }
  return n ? Math.sqrt(s / n) : 0;
}

function notAssessable(audio: DecodedAudio, threshold: number, reason: string): Detection {
  return { verdict: 'not_assessable', score: null, reason, threshold, durationSeconds: audio.durationSeconds, sampleRate: audio.sampleRate, evidence: {}, plots: {} };
}

export async function detectAudio(audio: DecodedAudio, settings: DetectSettings = {}): Promise<Detection> {
  const threshold = checkThreshold(settings.threshold ?? DEFAULT_THRESHOLD);
  if (audio.durationSeconds < MIN_SECONDS) {
    return notAssessable(audio, threshold, `too short: ${audio.durationSeconds.toFixed(1)} s, and at least ${MIN_SECONDS} s are needed to average the spectrum`);
  }
  const detectors = settings.detectors ?? DETECTORS;
  const ranges = detectorRanges(detectors)(audio.channels[0]!.length, audio.sampleRate);
  if (audio.decoded && !(ranges ?? [[0, Infinity]]).every(([a, b]) => audio.decoded!.some(([c, d]) => c <= a && b <= d))) {
    // A caller decoded for other detectors than it now runs: they would read silence.
    throw new Error('the audio was decoded only in part, and the detectors read beyond it');
  }
  const level = rms(audio, ranges);
  if (level < SILENT_RMS) return notAssessable(audio, threshold, `silence: the level is ${(20 * Math.log10(level + 1e-12)).toFixed(0)} dBFS`);
  const findings: Finding[] = [];
  for (const d of detectors) findings.push(await d.analyse(audio, { plot: settings.plot }));
  return combine(audio, findings, threshold);
}

/** The most confident detector that could judge decides; every finding stays in the evidence. */
export function combine(audio: DecodedAudio, findings: Finding[], threshold: number): Detection {
  const evidence: Detection['evidence'] = {};
  const plots: Record<string, string> = {};
  for (const f of findings) {
    evidence[f.detector] = { version: f.version, score: f.score, reason: f.reason, ...f.evidence };
    if (f.plot) plots[f.detector] = f.plot;
  }
  const judged = findings.filter((f) => f.score !== null).sort((a, b) => b.score! - a.score!);
  const base = { threshold, durationSeconds: Math.round(audio.durationSeconds * 1000) / 1000, sampleRate: audio.sampleRate, evidence, plots };
  if (judged.length === 0) {
    return { ...base, verdict: 'not_assessable', score: null, reason: findings.map((f) => f.reason).join('; ') || 'no detector could judge' };
  }
  const top = judged[0]!;
  const doubted = findings.filter((f) => f.doubt).sort((a, b) => b.doubt!.score - a.doubt!.score)[0];
  const verdict = verdictOf(top.score!, doubted?.doubt!.score ?? null, threshold);
  // Saying less when unsure: the reason says what else explains the trace, or that it is too faint.
  const reason = verdict !== 'uncertain' ? top.reason : doubted && doubted.doubt!.score > top.score! ? doubted.doubt!.text : `too faint to say: ${top.reason}`;
  return { ...base, verdict, score: top.score, reason };
}

export interface DetectInput extends AudioSource {
  plot?: boolean;
  threshold?: number;
}

export interface DetectOutput extends Detection {
  contentHash: string;
}

/** The shape the CLI prints per file and the API returns: `{file, verdict, score, reason, evidence}`. */
export interface DetectReport {
  file: string;
  verdict: Detection['verdict'];
  score: number | null;
  reason: string;
  evidence: Record<string, unknown>;
}

export function toReport(file: string, d: DetectOutput, extra: Record<string, unknown> = {}): DetectReport {
  return {
    file,
    verdict: d.verdict,
    score: d.score,
    reason: d.reason,
    evidence: { durationSeconds: d.durationSeconds, sampleRate: d.sampleRate, threshold: d.threshold, contentHash: d.contentHash, ...d.evidence, ...extra },
  };
}

/** Reads, decodes and judges one file or buffer; decode errors propagate as LL_AUDIO_* codes. */
export async function detect(input: DetectInput): Promise<DetectOutput> {
  const { audio, contentHash } = await loadAudio({ ...input, plan: detectorRanges() });
  return { ...(await detectAudio(audio, { plot: input.plot, threshold: input.threshold })), contentHash };
}
