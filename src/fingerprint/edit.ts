// Naming the edit a match found: resampling (speed) moves time and pitch together, a pitch
// shift keeps time, a tempo change keeps pitch; anything else needs two tools at once.

export type EditKind = 'none' | 'speed' | 'pitch' | 'tempo' | 'speed+tempo';

export interface Edit {
  kind: EditKind;
  speed: number;
  pitchCents: number;
  tempo: number;
}

const round = (x: number, d: number) => Math.round(x * 10 ** d) / 10 ** d;

/** Splits the measured edit (reference time per query time, query minus reference pitch) into speed, pitch shift and tempo change. */
export function describeEdit(timeFactor: number, pitchCents: number): Edit {
  const speedCents = 1200 * Math.log2(timeFactor);
  // Resampling moves time and pitch together: when they agree, that is the simplest account.
  if (Math.abs(speedCents - pitchCents) <= 25 && Math.abs(pitchCents) > 15) return { kind: 'speed', speed: round(timeFactor, 3), pitchCents: 0, tempo: 1 };
  if (Math.abs(timeFactor - 1) < 0.012) return { kind: Math.abs(pitchCents) <= 15 ? 'none' : 'pitch', speed: 1, pitchCents: Math.round(pitchCents), tempo: 1 };
  if (Math.abs(pitchCents) <= 15) return { kind: 'tempo', speed: 1, pitchCents: 0, tempo: round(timeFactor, 3) };
  // Both changed by different amounts: resampling explains the pitch, a time stretch the rest.
  const speed = 2 ** (pitchCents / 1200);
  return { kind: 'speed+tempo', speed: round(speed, 3), pitchCents: 0, tempo: round(timeFactor / speed, 3) };
}
