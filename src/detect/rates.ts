// Reads a comb spacing back into the architecture that would produce it: fs / n for a whole n
// whose prime factors are all small (upsampling strides are 2, 3, 4, 5 or 8, so their products
// are 5-smooth: 256 = 4·4·4·4, 320 = 8·5·4·2, 640 = 8·5·4·4). When no such n fits exactly, the
// nearest one within the speed range tells how much a speed or pitch change would explain it.
// Lossy encoders have frame grids of their own: MP3 quantises in granules of 576 samples
// (ISO/IEC 11172-3) and Opus's CELT layer in blocks of 2.5 ms (RFC 6716; 120 samples at 48 kHz),
// so a file that went through them can carry faint lines at multiples of fs/576 or of 400 Hz
// from the block-periodic quantisation noise. Those divisors are read as the encoder's, never as
// a generator's (and `searchDivisors` in comb.ts discounts the lines other combs share with them).

export interface RateReading {
  /** Whole divisor of `rate` nearest the spacing, with small prime factors only. */
  divisor: number;
  /** The rate it divides: the file's own, or a generator's rate the file was converted from. */
  rate: number;
  /** Spacing / (sampleRate / divisor) - 1: 0 when exact, else the implied speed change. */
  deviation: number;
  /** The spacing is fs / divisor to within the precision the comb was measured with. */
  exact: boolean;
  /** The divisor is a lossy encoder's frame grid, named here, rather than an upsampling stack. */
  codecGrid: string | null;
  text: string;
}

export interface CodecGrid {
  /** Block length, samples at the file's rate. */
  samples: number;
  name: string;
}

/** Samples per MP3 granule (ISO/IEC 11172-3). */
const MP3_GRANULE = 576;

/** Rates Opus decodes to; its 2.5-ms block is a whole number of samples at each. */
const OPUS_RATES = new Set([8000, 12000, 16000, 24000, 48000]);

/** The lossy encoders' block grids a file at `sampleRate` may carry. */
export function codecGrids(sampleRate: number): CodecGrid[] {
  const grids = [{ samples: MP3_GRANULE, name: 'the MP3 granule' }];
  if (OPUS_RATES.has(sampleRate)) grids.push({ samples: sampleRate / 400, name: "Opus's 2.5-ms block" });
  return grids;
}

/**
 * Products of strides 2, 3, 4, 5 and 8 (5-smooth). Decoders' strides are these (EnCodec 8·5·4·2,
 * DAC 8·8·4·2, HiFi-GAN 8·8·2·2, MusicGen 8·5·4·4); a factor of 7 is not used, and at 44.1 kHz
 * (= 2²·3²·5²·7²) the periods holding one, 147 and 441 samples, are those of rate conversion
 * from and to the 48-kHz and 32-kHz families, whose filters leave traces in human music.
 */
const SMOOTH = (() => {
  const out: number[] = [];
  for (let n = 2; n <= 4096; n++) {
    let m = n;
    for (const p of [2, 3, 5]) while (m % p === 0) m /= p;
    if (m === 1) out.push(n);
  }
  return out;
})();

const SMOOTH_SET = new Set(SMOOTH);

/** Divisors n (5-smooth, not a codec grid) for which sampleRate / n lies in [minHz, maxHz]. */
export function upsamplingDivisors(sampleRate: number, minHz: number, maxHz: number): number[] {
  const grids = new Set(codecGrids(sampleRate).map((g) => g.samples));
  return SMOOTH.filter((n) => !grids.has(n) && sampleRate / n >= minHz && sampleRate / n <= maxHz);
}

/** "peaks every 172.27 Hz = 44100/256: an upsampling stack whose strides multiply to 256" */
const stackText = (rate: number, n: number) => `peaks every ${(rate / n).toFixed(2)} Hz = ${rate}/${n}: an upsampling stack whose strides multiply to ${n}`;

/** Largest speed change (fraction) a reading may attribute a spacing to. */
const MAX_SPEED = 0.07;

/**
 * `precisionHz` is how well the spacing is known: a bin width spread over the harmonics that
 * located it. A spacing within 2 × precision of fs/n counts as exact.
 */
export function readSpacing(sampleRate: number, spacingHz: number, precisionHz: number): RateReading | null {
  let best: { n: number; dev: number } | null = null;
  for (const n of SMOOTH) {
    const dev = spacingHz / (sampleRate / n) - 1;
    if (Math.abs(dev) > MAX_SPEED) continue;
    if (!best || Math.abs(dev) < Math.abs(best.dev)) best = { n, dev };
  }
  if (!best) return null;
  const nominal = sampleRate / best.n;
  const exact = Math.abs(spacingHz - nominal) <= 2 * precisionHz;
  const codecGrid = (exact && codecGrids(sampleRate).find((g) => g.samples === best.n)?.name) || null;
  if (codecGrid) {
    const text = `peaks every ${nominal.toFixed(2)} Hz = ${sampleRate}/${best.n}: ${codecGrid}'s period, a lossy encoder's trace rather than a generator's`;
    return { divisor: best.n, rate: sampleRate, deviation: 0, exact, codecGrid, text };
  }
  const text = exact
    ? stackText(sampleRate, best.n)
    : `peaks every ${spacingHz.toFixed(2)} Hz: not a whole divisor of ${sampleRate} Hz; ${sampleRate}/${best.n} = ${nominal.toFixed(2)} Hz after a ${(best.dev * 100).toFixed(2)}% speed change would give it`;
  return { divisor: best.n, rate: sampleRate, deviation: exact ? 0 : best.dev, exact, codecGrid: null, text };
}

/** Rates generators work at. A rate conversion keeps a comb's spacing in hertz, so a model's comb stays at its own fs / n. */
const GENERATOR_RATES = [48000, 44100, 32000, 24000, 22050, 16000];

/**
 * The rates a lone comb in a file at `sampleRate` is also read as exact at. Opus always decodes at
 * 48 kHz and 48 kHz is the other common delivery rate, so a 44.1-kHz model's comb (44100/n) often
 * arrives in a 48-kHz file. A tracker's tick (BPM / 2.5 Hz) lands on 44100/n only at a BPM of
 * 110250/n, which within the searched spacings means 147, 245 or faster; it lands on 48000/n at
 * 120000/n BPM, which takes in the commonest tempos (120, 125, 150, 160). So the other way round is
 * not read: a 44.1-kHz tracker song at 125 BPM (50 Hz = 48000/960) would pass for a converted model.
 * Where the statistics agree with the comb (`readSpacingAtOtherRates`), every generator rate counts.
 */
export function convertedFrom(sampleRate: number): number[] {
  return sampleRate === 48000 ? [44100] : [];
}

/**
 * The spacing as exactly fs / n at one of `rates` other than the file's (a 44.1-kHz model's
 * output delivered at 48 kHz keeps its 44100/32 Hz comb), or null. Where several rates fit
 * (44100/32 = 22050/16), the highest is named: current music models work at 32-48 kHz.
 */
export function readSpacingAtOtherRates(sampleRate: number, spacingHz: number, precisionHz: number, rates: readonly number[] = GENERATOR_RATES): RateReading | null {
  for (const rate of rates) {
    if (rate === sampleRate) continue;
    const n = Math.round(rate / spacingHz);
    if (n === MP3_GRANULE || !SMOOTH_SET.has(n) || Math.abs(spacingHz - rate / n) > 2 * precisionHz) continue;
    const text = `${stackText(rate, n)}, working at ${rate} Hz before the file was converted to ${sampleRate} Hz`;
    return { divisor: n, rate, deviation: 0, exact: true, codecGrid: null, text };
  }
  return null;
}

/** `readSpacing`, or when that is not exact, exactly fs / n at a rate the file may have been converted from. */
export function readLoneSpacing(sampleRate: number, spacingHz: number, precisionHz: number): RateReading | null {
  const own = readSpacing(sampleRate, spacingHz, precisionHz);
  if (own?.exact) return own;
  return readSpacingAtOtherRates(sampleRate, spacingHz, precisionHz, convertedFrom(sampleRate)) ?? own;
}
