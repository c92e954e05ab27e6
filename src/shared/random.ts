// A seeded pseudo-random generator, so benchmarks and property tests replay exactly from their
// seed. mulberry32 (Tommy Ettinger's 32-bit generator): fast, full period 2^32, not for secrets.

export function seededRandom(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
