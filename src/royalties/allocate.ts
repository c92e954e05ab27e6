// Splitting an amount of minor units by weights so the parts sum exactly to the amount: each part
// gets the floor of its exact share, and the units left over go one each to the parts with the
// largest remainders (the largest remainder method, Hamilton's). Ties between equal remainders go
// to the larger weight, then to the key that sorts first, so the same inputs always give the
// same parts.
//
// amount × weight is exact in a double while amount × (sum of weights) < 2^53, and so is the
// floor of its quotient by the sum (an error in the last place of x / y, x < 2^53, is smaller
// than its distance 1/y to any integer it is not); beyond that the products are taken in BigInt.

export interface Weighted<K extends string = string> {
  key: K;
  weight: number;
}

export function allocate<K extends string>(amount: number, parts: Array<Weighted<K>>): Array<{ key: K; amount: number }> {
  // The keys' order is the tie order: allocate in it, by position.
  const order = parts.map((_, i) => i).sort((x, y) => (parts[x]!.key < parts[y]!.key ? -1 : parts[x]!.key > parts[y]!.key ? 1 : x - y));
  const amounts = allocateInOrder(amount, order.map((i) => parts[i]!.weight));
  const out = new Array<{ key: K; amount: number }>(parts.length);
  for (const [j, i] of order.entries()) out[i] = { key: parts[i]!.key, amount: amounts[j]! };
  return out;
}

/**
 * The same split for weights already in tie order: equal remainders and weights go to the
 * earlier position. For callers that split many small lists whose order they already know
 * (a listener's plays), without making a key per part.
 */
export function allocateInOrder(amount: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`allocate: ${amount} is not a whole, non-negative amount`);
  let total = 0;
  for (const w of weights) {
    if (!Number.isSafeInteger(w) || w < 0) throw new Error(`allocate: weight ${w} is not a whole, non-negative number`);
    total += w;
  }
  if (total === 0) {
    if (amount === 0) return weights.map(() => 0);
    throw new Error('allocate: nothing to allocate over (every weight is zero)');
  }
  const n = weights.length;
  if (amount * total < Number.MAX_SAFE_INTEGER) {
    const out = new Array<number>(n);
    const remainder = new Array<number>(n);
    let left = amount;
    for (let i = 0; i < n; i++) {
      const exact = amount * weights[i]!;
      out[i] = Math.floor(exact / total);
      remainder[i] = exact - out[i]! * total;
      left -= out[i]!;
    }
    if (left > 0) for (const i of leftoverOrder(weights, (x, y) => remainder[y]! - remainder[x]!, left)) out[i]!++;
    return out;
  }
  const a = BigInt(amount);
  const t = weights.reduce((s, w) => s + BigInt(w), 0n);
  const out = new Array<bigint>(n);
  const remainder = new Array<bigint>(n);
  let left = a;
  for (let i = 0; i < n; i++) {
    const exact = a * BigInt(weights[i]!);
    out[i] = exact / t;
    remainder[i] = exact % t;
    left -= out[i]!;
  }
  const more = (x: number, y: number) => (remainder[y]! > remainder[x]! ? 1 : remainder[y]! < remainder[x]! ? -1 : 0);
  for (const i of leftoverOrder(weights, more, Number(left))) out[i]! += 1n;
  return out.map(Number);
}

/** The `count` positions that get one more unit: largest remainder, then larger weight, then earlier; never a zero weight. */
function leftoverOrder(weights: number[], byRemainder: (x: number, y: number) => number, count: number): number[] {
  const order = weights.map((_, i) => i).filter((i) => weights[i]! > 0);
  order.sort((x, y) => byRemainder(x, y) || weights[y]! - weights[x]! || x - y);
  return order.slice(0, count);
}
