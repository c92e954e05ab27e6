// The third artifact family: stereo whose channels were rebuilt separately from spectrograms.
//
// Physics: spectrogram inversion (Griffin-Lim: D. Griffin and J. Lim, "Signal estimation from
// modified short-time Fourier transform", IEEE Trans. ASSP 32(2), 1984) and vocoders that run
// once per channel turn each channel's magnitude STFT, taken in frames of one length L, into a
// waveform whose phase is made up for that channel alone. Measured in frames of length L, the
// two channels' levels therefore relate as in the mix the model described. Measured in frames
// of any other length, each level is a sum of the length-L coefficients combined through that
// channel's own, unrelated phase, so the channels' levels drift apart. Natural stereo, however
// it was mixed (pans, delays, reverbs: time-invariant filters per source), has no preferred
// frame length: the mean level difference between the channels changes slowly and monotonically
// with the frame length. A dip of that difference at one frame length is the fingerprint of
// channels rebuilt in frames of that length; it must hold through the file (`heldDip`).
//
// Measure: D(L) = mean |10 log10(P_left / P_right)| over the bins of a band and over frames
// spread across the file, for frame lengths in half-octave steps; the dip at L is how far D rises
// within an octave on both sides (the smaller rise), in the whole file and in each segment.

import { halve, hann, RealFft } from '../audio/index.ts';
import { round } from './readings.ts';
import { spectrumFrames, type SpectrumFrames } from './spectrum.ts';

export const RECONSTRUCTION_SETTINGS = {
  /**
   * Frame lengths, samples: half-octave steps, so a dip is seen whatever length the model used,
   * from 1024 to 5793 samples (two steps are needed on either side). Spectrogram models and
   * Griffin-Lim work in frames of 1024 to 4096 samples; a longer top length would double the cost.
   */
  shortest: 512,
  steps: 10,
  /** The band whose bins are compared, Hz: where music has energy in both channels. */
  bandHz: [500, 8000],
  /**
   * Frames per length, centred on the same instants for every length, spread over the file: the
   * lengths must see the same music, or the difference between them is the music's, not theirs.
   * Sharing the music, the lengths' differences are steady with few frames: with 32, human
   * stereo's dips stay near 0.1 dB (with 16 they reached 0.25).
   */
  frames: 32,
  /**
   * The spans around those instants are halved in rate while the band stays below 0.4 of the
   * halved rate, inside the half-band filter's passband (44.1 and 48 kHz once): the comparison
   * needs no more, and the transforms cost half. Both channels pass the same filter, so its
   * ripple cancels in their level difference.
   */
  bandFractionOfRate: 0.4,
  segments: 4,
  /** Bins this far below the frame's strongest bin (power ratio) are left out: their level is noise. */
  floor: 1e-8,
  /** Below this mean level difference at every length the channels carry one signal: nothing to compare. */
  sameSignalDb: 0.3,
} as const;

export interface ChannelAgreement {
  /** Frame lengths, samples, and the mean level difference of the channels at each, dB. */
  lengths: number[];
  differenceDb: number[];
  /** The frame length where the difference dips most, and the dip there, dB. */
  dipAt: number;
  dipDb: number;
  /** The dip at that length in each time segment, dB. */
  segmentDipDb: number[];
}

export type AgreementReading = { agreement: ChannelAgreement } | { notApplicable: string };

const lengthsFor = () => Array.from({ length: RECONSTRUCTION_SETTINGS.steps }, (_, k) => Math.round(RECONSTRUCTION_SETTINGS.shortest * 2 ** (k / 2)));

/** The smaller rise of `d` within two steps on either side of index i. */
function dipOf(d: number[], i: number): number {
  return Math.min(Math.max(d[i - 1]!, d[i - 2]!) - d[i]!, Math.max(d[i + 1]!, d[i + 2]!) - d[i]!);
}

const ffts = new Map<number, RealFft>();
function fftOf(size: number): RealFft {
  let f = ffts.get(size);
  if (!f) ffts.set(size, (f = new RealFft(size)));
  return f;
}

/** One instant's span of each channel, at the reduced rate. */
interface Span {
  left: Float32Array;
  right: Float32Array;
}

/** Mean level difference of the two channels, whole and per segment, in frames of `length` samples centred in each span. */
function levelDifference(spans: Span[], rate: number, length: number): { whole: number; segments: number[] } {
  const s = RECONSTRUCTION_SETTINGS;
  const size = 1 << Math.ceil(Math.log2(length)); // zero-padded: the frame length is what matters
  const fft = fftOf(size);
  const w = hann(length);
  const frame = new Float64Array(size);
  const pl = new Float32Array(size / 2 + 1);
  const pr = new Float32Array(size / 2 + 1);
  const lo = Math.max(1, Math.round((s.bandHz[0] * size) / rate));
  const hi = Math.min(size / 2, Math.round((Math.min(s.bandHz[1], 0.45 * rate) * size) / rate));
  const sum = new Float64Array(s.segments);
  const count = new Float64Array(s.segments);
  for (let j = 0; j < spans.length; j++) {
    const { left, right } = spans[j]!;
    const t = (left.length - length) >> 1;
    const g = Math.floor((j * s.segments) / spans.length);
    for (let i = 0; i < length; i++) frame[i] = left[t + i]! * w[i]!;
    fft.power(frame, pl);
    for (let i = 0; i < length; i++) frame[i] = right[t + i]! * w[i]!;
    fft.power(frame, pr);
    let top = 0;
    for (let k = lo; k < hi; k++) top = Math.max(top, pl[k]!, pr[k]!);
    const floor = top * s.floor;
    if (top < 1e-12) continue;
    for (let k = lo; k < hi; k++) {
      const a = pl[k]!;
      const b = pr[k]!;
      if (a <= floor || b <= floor) continue;
      sum[g] = sum[g]! + Math.abs(Math.log10(a / b));
      count[g] = count[g]! + 1;
    }
  }
  const total = count.reduce((a, b) => a + b, 0);
  const whole = total ? (10 * sum.reduce((a, b) => a + b, 0)) / total : 0;
  return { whole, segments: Array.from(sum, (v, g) => (count[g] ? (10 * v) / count[g]! : whole)) };
}

/**
 * How the two channels' level difference depends on the frame length, and its deepest dip (at
 * the lengths with two steps on either side). Of more channels, the first two (front left and
 * right) are compared. The instants lie inside the audio spectrum's frames (`within`), spread
 * evenly over them, so this family reads no sample the spectrum does not.
 */
export function channelAgreement(channels: Float32Array[], rate: number, within: SpectrumFrames = spectrumFrames(channels[0]!.length, rate)): AgreementReading {
  const s = RECONSTRUCTION_SETTINGS;
  if (channels.length < 2) return { notApplicable: 'one channel: nothing to compare' };
  const lengths = lengthsFor();
  const [left, right] = channels as [Float32Array, Float32Array];
  const longest = lengths[lengths.length - 1]!;
  let factor = 1;
  while (s.bandHz[1] <= s.bandFractionOfRate * (rate / factor / 2)) factor *= 2;
  // The half-band filter reaches 15 samples each way per halving; the margin keeps its edges out of the frames.
  const reach = (longest >> 1) + 32 * factor;
  const { size, starts } = within;
  if (starts.length === 0 || left.length < 2 * longest || size < 2 * reach) return { notApplicable: 'too short to compare frame lengths' };
  const spans = Array.from({ length: s.frames }, (_, j) => {
    // The j-th of evenly spread points along the frames laid end to end, kept `reach` inside its frame.
    const along = Math.floor(((j + 0.5) * starts.length * size) / s.frames);
    const centre = starts[Math.floor(along / size)]! + Math.min(size - reach, Math.max(reach, along % size));
    const cut = (ch: Float32Array) => {
      let x: Float32Array = ch.slice(centre - reach, centre + reach);
      for (let f = factor; f > 1; f >>= 1) x = halve(x);
      return x;
    };
    return { left: cut(left), right: cut(right) };
  });
  const measured = lengths.map((l) => levelDifference(spans, rate / factor, Math.round(l / factor)));
  const differenceDb = measured.map((m) => m.whole);
  if (Math.max(...differenceDb) < s.sameSignalDb) return { notApplicable: 'the two channels carry the same signal' };
  let at = 2;
  for (let i = 3; i + 2 < lengths.length; i++) if (dipOf(differenceDb, i) > dipOf(differenceDb, at)) at = i;
  const segmentDipDb = Array.from({ length: s.segments }, (_, g) =>
    round(
      dipOf(
        measured.map((m) => m.segments[g]!),
        at,
      ),
    ),
  );
  return { agreement: { lengths, differenceDb: differenceDb.map((d) => round(d)), dipAt: lengths[at]!, dipDb: round(dipOf(differenceDb, at)), segmentDipDb } };
}

/**
 * The dip that counts: the whole file's, but no more than the median segment's, so a dip made by
 * one passage (a change of mix halfway through) does not count.
 */
export function heldDip(a: ChannelAgreement): number {
  const sorted = [...a.segmentDipDb].sort((x, y) => x - y);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.min(a.dipDb, median);
}
