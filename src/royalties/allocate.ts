// Splitting an amount of minor units by weights so the parts sum exactly to the amount: each part
// gets the floor of its exact share, and the units left over go one each to the parts with the
// largest remainders (the largest remainder method, Hamilton's). Ties between equal remainders go
// to the larger weight, then to the key that sorts first, so the same inputs always give the
// same parts. Products are taken in BigInt: amount × weight can pass 2^53.

export interface Weighted<K extends string = string> {
  key: K;
  weight: number;
}

export function allocate<K extends string>(amount: number, parts: Array<Weighted<K>>): Array<{ key: K; amount: number }> {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new Error(`allocate: ${amount} is not a whole, non-negative amount`);
  for (const p of parts) if (!Number.isSafeInteger(p.weight) || p.weight < 0) throw new Error(`allocate: weight ${p.weight} of ${p.key} is not a whole, non-negative number`);
  const total = parts.reduce((s, p) => s + BigInt(p.weight), 0n);
  if (total === 0n) {
    if (amount === 0) return parts.map((p) => ({ key: p.key, amount: 0 }));
    throw new Error('allocate: nothing to allocate over (every weight is zero)');
  }
  const a = BigInt(amount);
  const out = parts.map((p, i) => {
    const exact = a * BigInt(p.weight);
    return { i, key: p.key, weight: p.weight, amount: exact / total, remainder: exact % total };
  });
  let left = a - out.reduce((s, o) => s + o.amount, 0n);
  const order = [...out].sort((x, y) => (y.remainder > x.remainder ? 1 : y.remainder < x.remainder ? -1 : 0) || y.weight - x.weight || (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i));
  for (const o of order) {
    if (left === 0n) break;
    if (o.weight === 0) continue;
    o.amount += 1n;
    left -= 1n;
  }
  return out.map((o) => ({ key: o.key, amount: Number(o.amount) }));
}
