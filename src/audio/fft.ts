// Real-input FFT of a power-of-two size N, computed as one complex FFT of size N/2 (the
// standard "two for one" packing; see Press et al., Numerical Recipes, 3rd ed., §12.3.2).
// Twiddles and the bit-reversal table are built once per size; transforms allocate nothing.

/** The bins `power` keeps: none. */
const NOTHING = new Float32Array(0);

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
  /** The bin `unpack` last produced. */
  private xr = 0;
  private xi = 0;

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
    this.powerKeeping(input, out, this.half + 1, NOTHING, NOTHING);
  }

  /**
   * `power` into `out`, and in the same pass the complex spectrum from bin `from` up into `re` and
   * `im` (each of length N/2 + 1 - from): for analyses that average power but also read the phase
   * of some bins later, without a second transform.
   */
  powerKeeping(input: Float32Array | Float64Array, out: Float32Array, from: number, re: Float32Array, im: Float32Array): void {
    this.halfTransform(input);
    const zr = this.re;
    const zi = this.im;
    const h = this.half;
    const dc = zr[0]! + zi[0]!;
    const nyquist = zr[0]! - zi[0]!;
    out[0] = dc * dc;
    out[h] = nyquist * nyquist;
    if (from === 0) {
      re[0] = dc;
      im[0] = 0;
    }
    for (let k = 1; k < h; k++) {
      this.unpack(k);
      out[k] = this.xr * this.xr + this.xi * this.xi;
      if (k >= from) {
        re[k - from] = this.xr;
        im[k - from] = this.xi;
      }
    }
    if (from <= h) {
      re[h - from] = nyquist;
      im[h - from] = 0;
    }
  }

  /**
   * Complex spectrum X[k] for k = 0..N/2 of `input` (length N) into `outRe` and `outIm` (each of
   * length N/2 + 1), for work that needs the phase (the bench's Griffin-Lim rebuilds it).
   */
  spectrum(input: Float32Array | Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.halfTransform(input);
    const re = this.re;
    const im = this.im;
    const h = this.half;
    outRe[0] = re[0]! + im[0]!;
    outIm[0] = 0;
    outRe[h] = re[0]! - im[0]!;
    outIm[h] = 0;
    for (let k = 1; k < h; k++) {
      this.unpack(k);
      outRe[k] = this.xr;
      outIm[k] = this.xi;
    }
  }

  /**
   * The real signal x (length N) whose spectrum for k = 0..N/2 is `inRe`, `inIm` (the rest is
   * the conjugate mirror image), into `out`: the inverse of `spectrum`, for resynthesis. The
   * packing of `spectrum` runs backwards: Z[k] = E[k] + i O[k], with the even samples' transform
   * E[k] = (X[k] + conj(X[h-k]))/2 and the odd samples' O[k] = W^-k (X[k] - conj(X[h-k]))/2, and
   * the inverse FFT of Z is the conjugate of the forward FFT of conj(Z), divided by N/2.
   */
  inverse(inRe: Float64Array, inIm: Float64Array, out: Float32Array | Float64Array): void {
    const h = this.half;
    const re = this.re;
    const im = this.im;
    const rev = this.rev;
    for (let k = 0; k < h; k++) {
      const ar = inRe[k]!;
      const ai = inIm[k]!;
      const br = inRe[h - k]!;
      const bi = -inIm[h - k]!;
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      // W^-k = cos(2πk/N) + i sin(2πk/N): the conjugate of the forward twiddle.
      const wr = this.postCos[k]!;
      const wi = -this.postSin[k]!;
      const or = dr * wr - di * wi;
      const oi = dr * wi + di * wr;
      // conj(E + i O), stored bit-reversed for the forward butterflies.
      const j = rev[k]!;
      re[j] = er - oi;
      im[j] = -(ei + or);
    }
    this.butterflies();
    const scale = 1 / h;
    for (let m = 0; m < h; m++) {
      out[2 * m] = re[m]! * scale;
      out[2 * m + 1] = -im[m]! * scale;
    }
  }

  /** The complex FFT of size N/2 of the even samples as real and the odd ones as imaginary parts. */
  private halfTransform(input: Float32Array | Float64Array): void {
    const h = this.half;
    const re = this.re;
    const im = this.im;
    const rev = this.rev;
    for (let i = 0; i < h; i++) {
      const j = rev[i]!;
      re[j] = input[2 * i]!;
      im[j] = input[2 * i + 1]!;
    }
    this.butterflies();
  }

  /** In-place complex FFT of size N/2 of `re`, `im`, whose values are loaded in bit-reversed order. */
  private butterflies(): void {
    const h = this.half;
    const re = this.re;
    const im = this.im;
    // Iterative radix-2 decimation in time, two stages per pass over the data (the "radix-2^2"
    // arrangement): each group of four values is loaded once, goes through both stages' butterflies
    // and is stored once, halving the memory traffic that dominates large transforms.
    const cos = this.cos;
    const sin = this.sin;
    let len = 2;
    for (; len * 2 <= h; len <<= 2) {
      const q = len >> 1; // the first stage's butterfly span; the second stage spans 2q = len
      const stepA = h / len;
      const stepB = stepA >> 1;
      const block = len << 1;
      for (let start = 0; start < h; start += block) {
        for (let k = 0; k < q; k++) {
          const p0 = start + k;
          const p1 = p0 + q;
          const p2 = p0 + len;
          const p3 = p2 + q;
          // Stage A (span q, twiddle w_len^k) on (p0, p1) and (p2, p3).
          const ar = cos[k * stepA]!;
          const ai = sin[k * stepA]!;
          let r0 = re[p0]!;
          let i0 = im[p0]!;
          let r1 = re[p1]!;
          let i1 = im[p1]!;
          let r2 = re[p2]!;
          let i2 = im[p2]!;
          let r3 = re[p3]!;
          let i3 = im[p3]!;
          let tr = r1 * ar - i1 * ai;
          let ti = r1 * ai + i1 * ar;
          r1 = r0 - tr;
          i1 = i0 - ti;
          r0 += tr;
          i0 += ti;
          tr = r3 * ar - i3 * ai;
          ti = r3 * ai + i3 * ar;
          r3 = r2 - tr;
          i3 = i2 - ti;
          r2 += tr;
          i2 += ti;
          // Stage B (span len, twiddles w_2len^k and w_2len^(k+q)) on (p0, p2) and (p1, p3).
          const br = cos[k * stepB]!;
          const bi = sin[k * stepB]!;
          const cr = cos[(k + q) * stepB]!;
          const ci = sin[(k + q) * stepB]!;
          tr = r2 * br - i2 * bi;
          ti = r2 * bi + i2 * br;
          re[p2] = r0 - tr;
          im[p2] = i0 - ti;
          re[p0] = r0 + tr;
          im[p0] = i0 + ti;
          tr = r3 * cr - i3 * ci;
          ti = r3 * ci + i3 * cr;
          re[p3] = r1 - tr;
          im[p3] = i1 - ti;
          re[p1] = r1 + tr;
          im[p1] = i1 + ti;
        }
      }
    }
    // An odd number of stages leaves one plain radix-2 stage.
    if (len <= h) {
      const halfLen = len >> 1;
      const step = h / len;
      for (let start = 0; start < h; start += len) {
        for (let k = 0; k < halfLen; k++) {
          const wr = cos[k * step]!;
          const wi = sin[k * step]!;
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
  }

  /**
   * Unpacks bin k (0 < k < N/2) of the real transform X from the half-size complex transform Z:
   * X[k] = (Z[k] + conj(Z[h-k]))/2 + W^k (Z[k] - conj(Z[h-k]))/(2i), W = e^{-2πi/N}.
   * The result goes to `xr`, `xi` rather than a returned pair, which would allocate per bin.
   */
  private unpack(k: number): void {
    const re = this.re;
    const im = this.im;
    const h = this.half;
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
    this.xr = er + or * wr - oi * wi;
    this.xi = ei + or * wi + oi * wr;
  }
}
