// Detection statistics: Wilson score intervals (E. B. Wilson, JASA 22(158), 1927), ROC area by
// the Mann-Whitney statistic (ties count half), and the true-positive rate at a false-positive
// budget measured on the negatives themselves.

/** Wilson 95% interval for k successes in n trials, as [low, high]. */
export function wilson(k: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const d = 1 + (z * z) / n;
  const c = (p + (z * z) / (2 * n)) / d;
  const h = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, c - h), Math.min(1, c + h)];
}

export function auroc(pos: number[], neg: number[]): number {
  if (!pos.length || !neg.length) return NaN;
  let s = 0;
  for (const p of pos) for (const q of neg) s += p > q ? 1 : p === q ? 0.5 : 0;
  return s / (pos.length * neg.length);
}

/**
 * Smallest threshold whose false-positive rate on `neg` is at most `fpr` (a score counts as
 * positive when strictly above it), and the share of `pos` above it.
 */
export function tprAtFpr(pos: number[], neg: number[], fpr: number): { threshold: number; tpr: number; k: number; n: number } {
  const sorted = [...neg].sort((a, b) => b - a);
  const allowed = Math.floor(fpr * neg.length);
  const threshold = sorted[allowed] ?? -Infinity;
  const k = pos.filter((p) => p > threshold).length;
  return { threshold, tpr: pos.length ? k / pos.length : NaN, k, n: pos.length };
}
