// The periodic Hann window every spectral analysis here uses, built once per length.

const windows = new Map<number, Float64Array>();

/** w[i] = 0.5 - 0.5 cos(2πi / length); shared between callers, so read it, never write it. */
export function hann(length: number): Float64Array {
  let w = windows.get(length);
  if (!w) {
    w = new Float64Array(length);
    for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
    windows.set(length, w);
  }
  return w;
}
