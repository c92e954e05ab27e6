// Real-input FFT of a power-of-two size N, computed as one complex FFT of size N/2 (the
// standard "two for one" packing; see Press et al., Numerical Recipes, 3rd ed., §12.3.2).
// Twiddles and the bit-reversal table are built once per size; transforms allocate nothing.

export class RealFft {
  readonly size: number;
  private readonly half: number;
  private readonly rev: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly postCos: Float64Array;
  private readonly postSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (!Number.isInteger(Math.log2(size)) || size < 4) throw new RangeError(`FFT size ${size} is not a power of two >= 4`);
    this.size = size;
    const h = size >> 1;
    this.half = h;
    const bits = Math.log2(h);
    this.rev = new Uint32Array(h);
    for (let i = 0; i < h; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.cos = new Float64Array(h / 2);
    this.sin = new Float64Array(h / 2);
    for (let i = 0; i < h / 2; i++) {
      this.cos[i] = Math.cos((-2 * Math.PI * i) / h);
      this.sin[i] = Math.sin((-2 * Math.PI * i) / h);
    }
    this.postCos = new Float64Array(h);
    this.postSin = new Float64Array(h);
    for (let k = 0; k < h; k++) {
      this.postCos[k] = Math.cos((-2 * Math.PI * k) / size);
      this.postSin[k] = Math.sin((-2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(h);
    this.im = new Float64Array(h);
  }

  /**
   * Power spectrum |X[k]|^2 for k = 0..N/2 of `input` (length N) into `out` (length N/2 + 1).
   */
  power(input: Float32Array | Float64Array, out: Float32Array): void {
    const h = this.half;
    const re = this.re;
    const im = this.im;
    const rev = this.rev;
    for (let i = 0; i < h; i++) {
      const j = rev[i]!;
      re[j] = input[2 * i]!;
      im[j] = input[2 * i + 1]!;
    }
    // Iterative radix-2 decimation in time.
    for (let len = 2; len <= h; len <<= 1) {
      const halfLen = len >> 1;
      const step = h / len;
      for (let start = 0; start < h; start += len) {
        for (let k = 0; k < halfLen; k++) {
          const wr = this.cos[k * step]!;
          const wi = this.sin[k * step]!;
          const a = start + k;
          const b = a + halfLen;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
      }
    }
    // Unpack the half-size complex transform Z into the real transform X:
    // X[k] = (Z[k] + conj(Z[h-k]))/2 + W^k (Z[k] - conj(Z[h-k]))/(2i), W = e^{-2πi/N}.
    out[0] = (re[0]! + im[0]!) * (re[0]! + im[0]!);
    out[h] = (re[0]! - im[0]!) * (re[0]! - im[0]!);
    for (let k = 1; k < h; k++) {
      const zr = re[k]!;
      const zi = im[k]!;
      const cr = re[h - k]!;
      const ci = -im[h - k]!;
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const dr = 0.5 * (zr - cr);
      const di = 0.5 * (zi - ci);
      // (dr + i di) / i = di - i dr
      const or = di;
      const oi = -dr;
      const wr = this.postCos[k]!;
      const wi = this.postSin[k]!;
      const xr = er + or * wr - oi * wi;
      const xi = ei + or * wi + oi * wr;
      out[k] = xr * xr + xi * xi;
    }
  }
}
