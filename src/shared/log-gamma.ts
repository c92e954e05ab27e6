/** ln Γ(x) for x > 0: shifted to x ≥ 8, then Stirling's series (Abramowitz & Stegun 6.1.41). */
function logGamma(x: number): number {
  let shift = 0;
  while (x < 8) {
    shift -= Math.log(x);
    x += 1;
  }
  const r = 1 / x;
  const r2 = r * r;
  return shift + (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 / 1680)));
}

/** ln P(X = k) for X ~ Binomial(n, p); -Infinity where k is impossible. */
export function logBinomialPmf(n: number, p: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  if (p <= 0) return k === 0 ? 0 : -Infinity;
  if (p >= 1) return k === n ? 0 : -Infinity;
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** ln P(X = k) for X ~ Poisson(λ). */
export function logPoissonPmf(lambda: number, k: number): number {
  if (k < 0) return -Infinity;
  if (lambda <= 0) return k === 0 ? 0 : -Infinity;
  return k * Math.log(lambda) - lambda - logGamma(k + 1);
}
