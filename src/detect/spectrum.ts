// Long-term average power spectrum at the file's own sample rate (Welch's method: Hann-windowed
// frames, averaged periodograms; P. Welch, IEEE Trans. Audio Electroacoust. 15(2), 1967), kept
// whole and per time segment, so a spectral line can be checked for persistence over time.
// No resampling happens before this: a resampler's own filters would add or remove the very
// lines and ceilings the detector looks for.

import { hann, RealFft } from '../audio/index.ts';

export interface AverageSpectrum {
  sampleRate: number;
  fftSize: number;
  binHz: number;
  /** Mean power per bin, 0..fftSize/2, over all frames. */
  power: Float64Array;
  /** Mean power per bin for each time segment (equal numbers of frames). */
  segments: Float64Array[];
  frames: number;
  /** Frames whose energy is above the silence floor; the averages use only these. */
  activeFrames: number;
  /** The active frames' complex spectra above `keepFromHz`, when asked for. */
  kept?: FrameSpectra;
}

/** Complex spectra of frames, from bin `loBin` up: what the phase of a line over time is read from. */
export interface FrameSpectra {
  loBin: number;
  re: Float32Array[];
  im: Float32Array[];
  /** Where each frame starts, samples. */
  starts: number[];
}

/**
 * Frame giving bins of about 0.5-0.9 Hz. The artifact lines are exact, stationary tones, so each
 * halving of the bin width lifts them 3 dB further above music and noise, whose partials wander;
 * measured on the development set, 0.67 Hz bins separated generated from human music far better
 * than 5 Hz or 2.5 Hz bins.
 */
export function fftSizeFor(rate: number): number {
  return 1 << Math.round(Math.log2(rate / 0.67));
}

const kits = new Map<number, { fft: RealFft; window: Float64Array; frame: Float64Array; out: Float32Array }>();

function kit(size: number) {
  let k = kits.get(size);
  if (!k) {
    k = { fft: new RealFft(size), window: hann(size), frame: new Float64Array(size), out: new Float32Array(size / 2 + 1) };
    kits.set(size, k);
  }
  return k;
}

/**
 * Frames analysed at most, spread evenly over a longer file (about 71 s of a 44.1 kHz file):
 * the lines are stationary, so beyond this more frames add little evidence but cost as much
 * time as decoding; this keeps detection above 200x realtime per core.
 */
const MAX_FRAMES = 48;

/** Frames quieter than this mean-square (about -70 dBFS) are silence and carry no evidence. */
const SILENCE_MS = 1e-7;

export interface SpectrumOptions {
  /** Frame length, a power of two; by default `fftSizeFor(rate)`. */
  size?: number;
  /** Where the frames start, in time order; by default `frameStarts` of the file. */
  starts?: readonly number[];
  /** Turns each mono frame (before the window) into the signal whose spectrum is averaged. */
  prepare?: (frame: Float64Array) => void;
  /** Keep each active frame's complex spectrum from this frequency up (`AverageSpectrum.kept`). */
  keepFromHz?: number;
}

/** The audio spectrum's frames: their length and where they start. */
export interface SpectrumFrames {
  size: number;
  starts: number[];
}

export function spectrumFrames(length: number, rate: number): SpectrumFrames {
  const size = fftSizeFor(rate);
  return { size, starts: frameStarts(length, size) };
}

/**
 * Where the frames of `size` samples start in `length` samples: every frame of the file, or
 * MAX_FRAMES of them spread evenly when it holds more. They are all the audio spectral
 * detection reads (the other families look inside them), so they are all a long file needs
 * decoded. A clip too short for FEW_FRAMES disjoint frames (under about 24 s at 44.1 kHz) is
 * read in frames overlapping by half: Hann frames half overlapped share little of a line's
 * noise (their correlation is about 0.17), so a 10-s clip averages 11 frames instead of 6.
 */
function frameStarts(length: number, size: number): number[] {
  const available = Math.floor(length / size);
  if (available < FEW_FRAMES) {
    const hop = size / 2;
    return Array.from({ length: Math.max(0, Math.floor((length - size) / hop) + 1) }, (_, f) => f * hop);
  }
  const frames = Math.min(available, MAX_FRAMES);
  return Array.from({ length: frames }, (_, f) => (frames === available ? f : Math.floor((f * available) / frames)) * size);
}

/** Below this many disjoint frames, frames overlap by half. */
const FEW_FRAMES = 16;

/**
 * Averages the channels' mono mix (at `rate` Hz) into a whole-file spectrum and `segmentCount`
 * segment spectra. Frames do not overlap: for a stationary line the average needs many frames,
 * not correlated ones, and this halves the cost. Only the analysed frames are mixed to mono.
 */
export function averageSpectrum(channels: Float32Array[], rate: number, segmentCount: number, opts: SpectrumOptions = {}): AverageSpectrum {
  const size = opts.size ?? fftSizeFor(rate);
  const { fft, window, frame, out } = kit(size);
  const bins = size / 2 + 1;
  const gain = 1 / channels.length;
  const starts = opts.starts ?? frameStarts(channels[0]!.length, size);
  const frames = starts.length;
  const power = new Float64Array(bins);
  const segments = Array.from({ length: segmentCount }, () => new Float64Array(bins));
  const segmentFrames = new Float64Array(segmentCount);
  let active = 0;
  const keepFrom = opts.keepFromHz === undefined ? -1 : Math.min(bins - 1, Math.max(0, Math.floor((opts.keepFromHz * size) / rate)));
  const kept: FrameSpectra | undefined = keepFrom < 0 ? undefined : { loBin: keepFrom, re: [], im: [], starts: [] };
  for (let f = 0; f < frames; f++) {
    const start = starts[f]!;
    // Mono and stereo (nearly every file) are mixed, measured and, unless the frame is prepared
    // first, windowed in one pass over the samples: these passes cost as much as the transform.
    const windowNow = !opts.prepare;
    let ms = 0;
    if (channels.length <= 2) {
      const a = channels[0]!;
      const b = channels[1] ?? a;
      const g = channels.length === 2 ? gain : 0.5;
      for (let i = 0; i < size; i++) {
        const v = (a[start + i]! + b[start + i]!) * g;
        ms += v * v;
        frame[i] = windowNow ? v * window[i]! : v;
      }
    } else {
      frame.fill(0);
      for (const c of channels) for (let i = 0; i < size; i++) frame[i]! += c[start + i]!;
      for (let i = 0; i < size; i++) {
        const v = frame[i]! * gain;
        ms += v * v;
        frame[i] = windowNow ? v * window[i]! : v;
      }
    }
    if (ms / size < SILENCE_MS) continue;
    if (opts.prepare) {
      opts.prepare(frame);
      for (let i = 0; i < size; i++) frame[i]! *= window[i]!;
    }
    if (kept) {
      const re = new Float32Array(bins - keepFrom);
      const im = new Float32Array(bins - keepFrom);
      fft.powerKeeping(frame, out, keepFrom, re, im);
      kept.re.push(re);
      kept.im.push(im);
      kept.starts.push(start);
    } else fft.power(frame, out);
    const s = Math.min(segmentCount - 1, Math.floor((f * segmentCount) / frames));
    const seg = segments[s]!;
    segmentFrames[s]! += 1;
    for (let k = 0; k < bins; k++) {
      const p = out[k]!;
      power[k]! += p;
      seg[k]! += p;
    }
    active++;
  }
  if (active > 0) for (let k = 0; k < bins; k++) power[k]! /= active;
  for (let s = 0; s < segmentCount; s++) {
    const n = segmentFrames[s]!;
    if (n > 0) for (let k = 0; k < bins; k++) segments[s]![k]! /= n;
  }
  return { sampleRate: rate, fftSize: size, binHz: rate / size, power, segments, frames, activeFrames: active, kept };
}
