// Could a comb be a musical note? The check that keeps held synthesizer notes from reading as a
// generator's trace.
//
// Physics: a note played on a digital oscillator (a chiptune pulse, a tracker's looped sample, a
// synthesizer's saw) has harmonics at exact multiples of its pitch, steady through the note and
// phase-locked to the sample clock, reaching Nyquist: every property of an upsampling comb but
// one. The comb of an upsampling stack is tied to the sample rate (fs/n), not to the music; a
// note's comb is tied to the music. Two traces of that tie, both needed:
//  - the spacing sits on the music's own pitch grid: the other tonal peaks below bandHz[1] (notes
//    other than this one) lie a whole number of equal-tempered semitones from it, within
//    gridCents. A generator's comb lies at an arbitrary offset from the grid the music is
//    tuned to (44100/1024 = 43.07 Hz sits 23 cents below F1 at A = 440 Hz, 32000/640 = 50 Hz 35
//    cents above G1);
//  - the note's own fundamental or its second or third harmonic stands out of its neighbourhood
//    by fundamentalDb (a note's lowest partials are its loudest); a generator's lines below
//    3 kHz lie under the music, a few dB above it at most.
// With too few other tonal peaks to read the music's grid (or peaks that disagree), the tuning is
// unknown and a note at the spacing cannot be ruled out: the fundamental alone decides. (Assuming
// A = 440 Hz instead failed on a synth song sped up 2%: its drone sat 34 cents off that grid.)
// The check only takes away: a comb it does not read as a note is judged as before; one it reads
// as a note can make the verdict `uncertain`, never `ai`.

export const NOTE_SETTINGS = {
  /** Tonal peaks are read between these frequencies, Hz: where notes' fundamentals and low partials are. */
  bandHz: [80, 3000],
  /** A tonal peak stands this far above the local median spectrum, dB. */
  peakDb: 6,
  /** Peak weights are capped here (dB above peakDb), so a few loud notes do not outvote the rest. */
  maxWeightDb: 20,
  /** A spacing within this many cents of the music's semitone grid is on it. */
  gridCents: 15,
  /** The grid is the music's own when its peaks agree this well (resultant length, 0..1) and there are at least minPeaks of them. */
  minAgreement: 0.3,
  minPeaks: 3,
  /** A note's fundamental, second or third harmonic stands this far above its neighbourhood, dB. */
  fundamentalDb: 10,
  /** The comb may be every m-th harmonic of a note, for m up to this. */
  maxMultiple: 4,
} as const;

export interface NoteReading {
  /** The comb could be a note: on the music's pitch grid, with a strong fundamental. */
  note: boolean;
  /** The comb is every this-many-th harmonic of the note (1: the note's own series). */
  multiple: number;
  /** Cents from the spacing to the nearest semitone of the grid, -50..50. */
  offsetCents: number;
  /** The music's grid as its tonal peaks give it, or unread when they are too few or disagree. */
  grid: 'music' | 'unread';
  /** Tonal peaks read (those not at multiples of the spacing). */
  peaks: number;
  /** How well they agree on one grid, 0..1. */
  agreement: number;
  /** Level of the strongest of the first three lines above its neighbourhood, dB (null when none lies in the band). */
  fundamentalDb: number | null;
  text: string;
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The tonal peaks below bandHz[1] of one spectrum, and its residual: what every comb's note check reads. */
export interface TonalPeaks {
  /** Peak frequencies (parabolically interpolated), Hz, and their weights (dB above peakDb, capped). */
  hz: number[];
  weight: number[];
  residualDb: Float64Array;
  binHz: number;
}

/**
 * The tonal peaks of `power` (a long-term average spectrum of `binHz` bins) by `residualDb` (its
 * level above the local median, the comb search's residual), read once per spectrum whatever the
 * number of combs checked against them.
 */
export function tonalPeaks(power: Float64Array, residualDb: Float64Array, binHz: number): TonalPeaks {
  const s = NOTE_SETTINGS;
  const db = (k: number) => 10 * Math.log10(power[k]! + 1e-30);
  const hz: number[] = [];
  const weight: number[] = [];
  const hi = Math.min(power.length - 2, Math.floor(s.bandHz[1] / binHz));
  for (let k = Math.max(2, Math.ceil(s.bandHz[0] / binHz)); k <= hi; k++) {
    const v = db(k);
    if (!(v > db(k - 1) && v >= db(k + 1))) continue;
    const w = Math.min(s.maxWeightDb, residualDb[k]! - s.peakDb);
    if (w <= 0) continue;
    // Parabolic interpolation of the peak on the dB spectrum: a fraction of a bin, a few cents.
    const a = db(k - 1);
    const b = db(k + 1);
    hz.push((k + (0.5 * (a - b)) / (a - 2 * v + b)) * binHz);
    weight.push(w);
  }
  return { hz, weight, residualDb, binHz };
}

/** Reads the comb at `spacingHz` against the notes of a spectrum (its `tonalPeaks`). */
export function noteReading(tonal: TonalPeaks, spacingHz: number): NoteReading {
  const first = asNote(tonal, spacingHz, 1);
  if (first.note) return first;
  // A comb can be every m-th harmonic of a note whose own lines are weak where the comb's are
  // read (its octave, its twelfth): try the note at spacing / m. Up to 4 only: every further
  // multiple is one more chance for a generator's spacing to land on the music's grid by
  // accident (measured on ../shared/ai-music: at m = 5 and 8 two codecs' combs did).
  for (let m = 2; m <= NOTE_SETTINGS.maxMultiple && spacingHz / m >= NOTE_SETTINGS.bandHz[0] / 2; m++) {
    const r = asNote(tonal, spacingHz / m, m);
    if (r.note) return r;
  }
  return first;
}

function asNote(tonal: TonalPeaks, spacingHz: number, multiple: number): NoteReading {
  const s = NOTE_SETTINGS;
  const { residualDb, binHz } = tonal;
  let c = 0;
  let sn = 0;
  let w = 0;
  let peaks = 0;
  for (let i = 0; i < tonal.hz.length; i++) {
    const hz = tonal.hz[i]!;
    const weight = tonal.weight[i]!;
    const h = hz / spacingHz;
    if (Math.abs(h - Math.round(h)) * spacingHz < 2 * binHz) continue; // the comb's own line
    const angle = (2 * Math.PI * 12 * Math.log2(hz / spacingHz)) % (2 * Math.PI);
    c += weight * Math.cos(angle);
    sn += weight * Math.sin(angle);
    w += weight;
    peaks++;
  }
  const agreement = w > 0 ? Math.hypot(c, sn) / w : 0;
  const own = peaks >= s.minPeaks && agreement >= s.minAgreement;
  // The music's grid offset from the spacing, in cents (0 when the grid is unread: no evidence either way).
  const offsetCents = own ? wrapCents((-100 * Math.atan2(sn, c)) / (2 * Math.PI)) : 0;
  let fundamentalDb: number | null = null;
  for (let h = 1; h <= 3; h++) {
    const hz = h * spacingHz;
    if (hz < s.bandHz[0] / 2 || hz > s.bandHz[1]) continue;
    const k = Math.round(hz / binHz);
    fundamentalDb = Math.max(fundamentalDb ?? -Infinity, residualDb[k]!);
  }
  const onGrid = Math.abs(offsetCents) <= s.gridCents;
  const strong = fundamentalDb !== null && fundamentalDb >= s.fundamentalDb;
  const note = onGrid && strong;
  const of = multiple > 1 ? `every ${ordinal(multiple)} harmonic of a note at ` : '';
  const place = own
    ? `${of}${spacingHz.toFixed(2)} Hz sits ${Math.abs(r1(offsetCents))} cents from the music's pitch grid (${peaks} tonal peaks agreeing ${Math.round(100 * agreement)}%)`
    : `${of}${spacingHz.toFixed(2)} Hz, in music whose pitch grid cannot be read (${peaks} tonal peaks agreeing ${Math.round(100 * agreement)}%), could be a note at any tuning`;
  const fund = fundamentalDb === null ? 'its first lines lie outside the band notes are read in' : `its strongest first line stands ${r1(fundamentalDb)} dB above its neighbourhood`;
  const text = note
    ? `the lines could be a held note: ${place}, and ${fund}, as a note's fundamental does`
    : `not a note: ${place}${onGrid ? '' : ` (a note sits within ${s.gridCents})`}, and ${fund}${strong ? '' : ` (a note's stands ${s.fundamentalDb} dB)`}`;
  return { note, multiple, offsetCents: r1(offsetCents), grid: own ? 'music' : 'unread', peaks, agreement: Math.round(agreement * 100) / 100, fundamentalDb: fundamentalDb === null ? null : r1(fundamentalDb), text };
}

const ordinal = (m: number) => `${m}${m === 2 ? 'nd' : m === 3 ? 'rd' : 'th'}`;
const wrapCents = (x: number) => ((((x + 50) % 100) + 100) % 100) - 50;
