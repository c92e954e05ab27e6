// Synthetic positives made by spectrogram inversion: each channel's magnitude STFT is kept and its
// phase rebuilt by Griffin-Lim (D. Griffin and J. Lim, "Signal estimation from modified short-time
// Fourier transform", IEEE Trans. ASSP 32(2), 1984) with the momentum of the "fast" variant
// (N. Perraudin, P. Balazs, P. Søndergaard, "A fast Griffin-Lim algorithm", WASPAA 2013), as
// the common audio libraries run it by default: random initial phase, 32 iterations, momentum
// 0.99, Hann frames with a hop of a quarter frame. This is how spectrogram-diffusion models that
// do not ship a vocoder make their audio; no comb is left, which is why the detector needs the
// channel-reconstruction family.

import { hann, RealFft } from '../src/audio/index.ts';
import { seededRandom } from '../src/shared/index.ts';

export interface GriffinLimSettings {
  /** Frame length, samples (a power of two). */
  frame: number;
  iterations: number;
  momentum: number;
}

/** A random frame length; momentum 0.99 (the libraries' default) or 0 (the original algorithm). */
export function randomGriffinLim(rand: () => number, fast: boolean): GriffinLimSettings {
  return { frame: [1024, 2048, 4096][Math.floor(rand() * 3)]!, iterations: 32, momentum: fast ? 0.99 : 0 };
}

/** One channel with its phase thrown away and rebuilt from the magnitudes alone. */
export function griffinLim(x: Float32Array, s: GriffinLimSettings, seed: number): Float32Array {
  const n = s.frame;
  const hop = n / 4;
  const bins = n / 2 + 1;
  const fft = new RealFft(n);
  const window = hann(n);
  // Frames start a frame before the signal so that every sample is covered by four frames.
  const frames = Math.ceil((x.length + n) / hop);
  const padded = new Float64Array((frames - 1) * hop + n);
  padded.set(x, n);
  const frame = new Float64Array(n);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const magnitude = new Float64Array(frames * bins);
  for (let t = 0; t < frames; t++) {
    for (let i = 0; i < n; i++) frame[i] = padded[t * hop + i]! * window[i]!;
    fft.spectrum(frame, re, im);
    for (let k = 0; k < bins; k++) magnitude[t * bins + k] = Math.hypot(re[k]!, im[k]!);
  }
  // Overlap-add normaliser: the sum of squared windows over the frames covering each sample.
  const norm = new Float64Array(padded.length);
  for (let t = 0; t < frames; t++) for (let i = 0; i < n; i++) norm[t * hop + i]! += window[i]! * window[i]!;
  const rand = seededRandom(seed);
  const phaseRe = new Float64Array(frames * bins);
  const phaseIm = new Float64Array(frames * bins);
  for (let j = 0; j < phaseRe.length; j++) {
    const a = 2 * Math.PI * rand();
    phaseRe[j] = Math.cos(a);
    phaseIm[j] = Math.sin(a);
  }
  const prevRe = new Float64Array(frames * bins);
  const prevIm = new Float64Array(frames * bins);
  const y = new Float64Array(padded.length);
  const synthesise = () => {
    y.fill(0);
    for (let t = 0; t < frames; t++) {
      for (let k = 0; k < bins; k++) {
        const j = t * bins + k;
        re[k] = magnitude[j]! * phaseRe[j]!;
        im[k] = magnitude[j]! * phaseIm[j]!;
      }
      fft.inverse(re, im, frame);
      for (let i = 0; i < n; i++) y[t * hop + i]! += frame[i]! * window[i]!;
    }
    for (let i = 0; i < y.length; i++) y[i] = norm[i]! > 1e-9 ? y[i]! / norm[i]! : 0;
  };
  for (let it = 0; it < s.iterations; it++) {
    synthesise();
    for (let t = 0; t < frames; t++) {
      for (let i = 0; i < n; i++) frame[i] = y[t * hop + i]! * window[i]!;
      fft.spectrum(frame, re, im);
      for (let k = 0; k < bins; k++) {
        const j = t * bins + k;
        // Momentum: step past the projection along its last move, then keep only the phase.
        const cr = re[k]! + s.momentum * (re[k]! - prevRe[j]!);
        const ci = im[k]! + s.momentum * (im[k]! - prevIm[j]!);
        prevRe[j] = re[k]!;
        prevIm[j] = im[k]!;
        const m = Math.hypot(cr, ci);
        if (m > 1e-12) {
          phaseRe[j] = cr / m;
          phaseIm[j] = ci / m;
        }
      }
    }
  }
  synthesise();
  return Float32Array.from(y.subarray(n, n + x.length));
}
