// Exact sampling of the discrete Laplace distribution, P(x) ∝ exp(-|x|/scale) on the integers,
// after Canonne, Kamath & Steinke, "The Discrete Gaussian for Differential Privacy" (NeurIPS
// 2020), Algorithms 1 and 2. Every step is a comparison of uniformly random integers, so the
// output's distribution is exactly the intended one: no floating point, whose rounding leaks
// the true value through the noise's low bits (Mironov, "On significance of the least
// significant bits for differential privacy", CCS 2012). Adding it to a count of sensitivity Δ
// with scale Δ/ε is ε-differentially private (the geometric mechanism, Ghosh, Roughgarden &
// Sundararajan 2009).

import { randomInt } from 'node:crypto';

export type RandomInt = (below: number) => number;
const cryptoInt: RandomInt = (below) => randomInt(below);

/** Bernoulli(n/d), exactly. */
function bernoulli(n: number, d: number, rand: RandomInt): boolean {
  return rand(d) < n;
}

/** Bernoulli(exp(-n/d)) for 0 ≤ n/d ≤ 1 (CKS Algorithm 1, first case). */
function bernoulliExpSmall(n: number, d: number, rand: RandomInt): boolean {
  let k = 1;
  while (bernoulli(n, d * k, rand)) k++;
  return k % 2 === 1;
}

/** Bernoulli(exp(-n/d)) for any n/d ≥ 0 (CKS Algorithm 1). */
export function bernoulliExp(n: number, d: number, rand: RandomInt = cryptoInt): boolean {
  let whole = Math.floor(n / d);
  while (whole-- > 0) if (!bernoulliExpSmall(1, 1, rand)) return false;
  return bernoulliExpSmall(n % d, d, rand);
}

/** A draw from the discrete Laplace of scale t/s (s, t positive integers; CKS Algorithm 2). */
export function discreteLaplace(s: number, t: number, rand: RandomInt = cryptoInt): number {
  if (!Number.isInteger(s) || !Number.isInteger(t) || s < 1 || t < 1) throw new Error('the scale must be a ratio of positive integers');
  for (;;) {
    const u = rand(t);
    if (!bernoulliExp(u, t, rand)) continue;
    let v = 0;
    while (bernoulliExp(1, 1, rand)) v++;
    const y = Math.floor((u + t * v) / s);
    const negative = rand(2) === 1;
    if (negative && y === 0) continue;
    return negative ? -y : y;
  }
}
