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

interface Part<K, N> {
  i: number;
  key: K;
  weight: number;
  amount: N;
  remainder: N;
}

/** The parts that get the units left over: largest remainder, then larger weight, then the key that sorts first. */
function leftoverOrder<K extends string, N extends number | bigint>(parts: Array<Part<K, N>>): Array<Part<K, N>> {
  return [...parts].sort((x, y) => (y.remainder > x.remainder ? 1 : y.remainder < x.remainder ? -1 : 0) || y.weight - x.weight || (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i));
}

export function allocate<K extends string>(amount: number, parts: Array<Weighted<K>>): Array<{ key: K; amount: number }> {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`allocate: ${amount} is not a whole, non-negative amount`);
  let total = 0;
  for (const p of parts) {
    if (!Number.isSafeInteger(p.weight) || p.weight < 0) throw new Error(`allocate: weight ${p.weight} of ${p.key} is not a whole, non-negative number`);
    total += p.weight;
  }
  if (total === 0) {
    if (amount === 0) return parts.map((p) => ({ key: p.key, amount: 0 }));
    throw new Error('allocate: nothing to allocate over (every weight is zero)');
  }
  if (amount * total < Number.MAX_SAFE_INTEGER) {
    let left = amount;
    const out = parts.map((p, i): Part<K, number> => {
      const exact = amount * p.weight;
      const share = Math.floor(exact / total);
      left -= share;
      return { i, key: p.key, weight: p.weight, amount: share, remainder: exact - share * total };
    });
    if (left > 0) {
      for (const o of leftoverOrder(out)) {
        if (left === 0) break;
        if (o.weight === 0) continue;
        o.amount += 1;
        left -= 1;
      }
    }
    return out.map((o) => ({ key: o.key, amount: o.amount }));
  }
  const a = BigInt(amount);
  const t = parts.reduce((s, p) => s + BigInt(p.weight), 0n);
  const out = parts.map((p, i): Part<K, bigint> => {
    const exact = a * BigInt(p.weight);
    return { i, key: p.key, weight: p.weight, amount: exact / t, remainder: exact % t };
  });
  let left = a - out.reduce((s, o) => s + o.amount, 0n);
  for (const o of leftoverOrder(out)) {
    if (left === 0n) break;
    if (o.weight === 0) continue;
    o.amount += 1n;
    left -= 1n;
  }
  return out.map((o) => ({ key: o.key, amount: Number(o.amount) }));
}
