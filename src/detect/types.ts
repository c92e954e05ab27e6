// What a detector says about one file, and the contract a detector implements.

import type { DecodedAudio, RangePlan } from '../audio/index.ts';

export type Verdict = 'ai' | 'uncertain' | 'human' | 'not_assessable';

/** One detector's reading of one file. */
export interface Finding {
  detector: string;
  version: number;
  /** Probability-like score in [0, 1] that the audio is generated; null when it cannot judge. */
  score: number | null;
  /** One sentence a reviewer can read: what was found, or why nothing can be said. */
  reason: string;
  evidence: Record<string, unknown>;
  /**
   * When the strongest trace has an explanation other than a generator (a held note, a codec's
   * block): its score and that explanation. Such a trace can make the verdict `uncertain`, never `ai`.
   */
  doubt?: { score: number; text: string };
  /** SVG picture of the evidence, when the detector draws one and it was asked for. */
  plot?: string;
}

export interface DetectOptions {
  /** Draw the evidence (costs a few milliseconds and some kilobytes per file). */
  plot?: boolean;
}

/**
 * A detector judges decoded audio at its own sample rate. Detectors are listed in
 * `detectors.ts`; adding one there is all it takes for the CLI, the API and screening to use it.
 */
export interface Detector {
  name: string;
  version: number;
  /**
   * The samples it reads of a file of a given length and rate; without this, the whole file.
   * A long file is then decoded only where some detector reads (see `decodeAudio`).
   */
  ranges?: RangePlan;
  analyse(audio: DecodedAudio, opts: DetectOptions): Finding | Promise<Finding>;
}

/** The combined answer for a file. */
export interface Detection {
  verdict: Verdict;
  /** Highest score among the detectors that could judge, rounded to 4 decimals; null if none could. */
  score: number | null;
  reason: string;
  /** Score at or above which the verdict is `ai`. */
  threshold: number;
  durationSeconds: number;
  sampleRate: number;
  /** Each detector's finding, by detector name. */
  evidence: Record<string, Finding['evidence'] & { score: number | null; reason: string; version: number }>;
  plots: Record<string, string>;
}
