// Each detector on small worlds with a known truth: honest listeners (popular tracks, sessions,
// skips) and one kind of artificial streaming planted among them. Every planted account is named,
// no honest one is.

import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/shared/index.ts';
import { accountPatterns, denseBlocks, detectAll, lockstepGroups, lowAndSlowFarms, type Plays } from '../../src/streams/index.ts';

const DAY = 86_400;
const T0 = Date.UTC(2026, 10, 1) / 1000;

class World {
  a: number[] = [];
  t: number[] = [];
  at: number[] = [];
  ms: number[] = [];
  accounts = 0;
  tracks = 0;
  add(a: number, t: number, at: number, ms: number) {
    this.a.push(a);
    this.t.push(t);
    this.at.push(at);
    this.ms.push(ms);
    this.accounts = Math.max(this.accounts, a + 1);
    this.tracks = Math.max(this.tracks, t + 1);
  }
  plays(artistOf?: (t: number) => number): Plays {
    const keep = this.ms.map((m, i) => (m >= 30_000 ? i : -1)).filter((i) => i >= 0);
    const artists = artistOf ? Int32Array.from({ length: this.tracks }, (_, t) => artistOf(t)) : new Int32Array(this.tracks).fill(-1);
    return {
      account: Int32Array.from(keep, (i) => this.a[i]!),
      track: Int32Array.from(keep, (i) => this.t[i]!),
      at: Float64Array.from(keep, (i) => this.at[i]!),
      msPlayed: Int32Array.from(keep, (i) => this.ms[i]!),
      accounts: Array.from({ length: this.accounts }, (_, i) => `a${i}`),
      tracks: Array.from({ length: this.tracks }, (_, i) => `t${i}`),
      artistOf: artists,
      artists: Array.from({ length: Math.max(0, ...artists) + 1 }, (_, i) => `artist${i}`),
    };
  }
}

/** Honest listeners: Zipf popularity over `tracks`, sessions in waking hours, a quarter skipped. */
function honest(w: World, listeners: number, tracks: number, random: () => number) {
  const weights = Array.from({ length: tracks }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((s, x) => s + x, 0);
  const pick = () => {
    let x = random() * total;
    for (let i = 0; i < tracks; i++) if ((x -= weights[i]!) <= 0) return i;
    return tracks - 1;
  };
  for (let a = 0; a < listeners; a++) {
    const sessions = 2 + Math.floor(random() * 20);
    for (let s = 0; s < sessions; s++) {
      let at = T0 + Math.floor(random() * 30) * DAY + (8 + random() * 15) * 3600;
      for (let k = 0; k < 1 + Math.floor(random() * 10); k++) {
        const ms = random() < 0.25 ? Math.floor(random() * 30_000) : 30_000 + Math.floor(random() * 200_000);
        w.add(a, pick(), at, ms);
        at += ms / 1000 + random() * 5;
      }
    }
  }
}

const named = (fs: Array<{ accounts: number[] }>) => new Set(fs.flatMap((f) => f.accounts));

describe('artificial-streaming detectors', () => {
  it('names a dense block of accounts and tracks that keep to each other, with camouflage, and no honest listener', () => {
    const random = seededRandom(1);
    const w = new World();
    honest(w, 2000, 500, random);
    // 60 accounts, 60 tracks nobody else plays, density 0.2, plus as many plays of popular tracks as camouflage.
    for (let f = 0; f < 60; f++)
      for (let t = 0; t < 60; t++)
        if (random() < 0.2) {
          w.add(2000 + f, 500 + t, T0 + random() * 30 * DAY, 90_000);
          w.add(2000 + f, Math.floor(random() * 20), T0 + random() * 30 * DAY, 90_000);
        }
    const found = denseBlocks(w.plays());
    const accounts = named(found);
    expect([...accounts].filter((a) => a < 2000)).toEqual([]);
    expect([...accounts].filter((a) => a >= 2000).length).toBeGreaterThanOrEqual(57);
    expect(found[0]!.evidence).toMatchObject({ tracksAudienceInBlock: expect.any(Number), log10Chance: expect.any(Number) });
  });

  it("decides a sparse block's edges account by account: hijacked accounts in, honest ones that touch it by chance out", () => {
    // FRAUDAR's protocol, one trial: 2,000 × 2,000 at density 0.0006; 200 existing accounts
    // hijacked to play 200 tracks at density 0.06 (12 each). Honest accounts meet those tracks
    // about 0.12 times each, so a few dozen meet them once or twice.
    const random = seededRandom(7);
    const w = new World();
    for (let e = 0; e < 2400; e++) w.add(Math.floor(random() * 2000), Math.floor(random() * 2000), T0 + random() * 30 * DAY, 90_000);
    const hijacked = new Set<number>();
    while (hijacked.size < 200) hijacked.add(Math.floor(random() * 2000));
    for (const a of hijacked) for (let t = 1800; t < 2000; t++) if (random() < 0.06) w.add(a, t, T0 + random() * 30 * DAY, 90_000);
    const accounts = named(denseBlocks(w.plays()));
    const caught = [...accounts].filter((a) => hijacked.has(a)).length;
    expect(caught / hijacked.size).toBeGreaterThanOrEqual(0.97);
    expect(accounts.size - caught).toBeLessThanOrEqual(3);
  });

  it('names accounts that play the same tracks within the same minutes, not listeners of the same hits', () => {
    const random = seededRandom(2);
    const w = new World();
    honest(w, 2000, 300, random);
    const playlist = Array.from({ length: 12 }, () => Math.floor(random() * 300));
    for (let day = 0; day < 30; day += 3) {
      let at = T0 + day * DAY + random() * DAY;
      for (const t of playlist) {
        for (let b = 0; b < 8; b++) w.add(2000 + b, t, at + random() * 20, 45_000);
        at += 60;
      }
    }
    const found = lockstepGroups(w.plays());
    expect([...named(found)].sort((x, y) => x - y)).toEqual([2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007]);
    expect(found[0]!.evidence.medianGapSeconds).toBeLessThan(30);
  });

  it('names a low-and-slow farm and the artists it streams for, not listeners who play widely', () => {
    const random = seededRandom(3);
    const w = new World();
    honest(w, 3000, 2000, random);
    // 100 accounts, each about 3 plays a day over 1,000 farm tracks of 20 artists.
    for (let f = 0; f < 100; f++) for (let d = 0; d < 30; d++) for (let k = 0; k < 3; k++) w.add(3000 + f, 2000 + Math.floor(random() * 1000), T0 + d * DAY + random() * DAY, 60_000 + Math.floor(random() * 60_000));
    const found = lowAndSlowFarms(w.plays((t) => (t < 2000 ? t % 50 : 50 + Math.floor((t - 2000) / 50))));
    expect(found).toHaveLength(1);
    const accounts = named(found);
    expect([...accounts].every((a) => a >= 3000)).toBe(true);
    expect(accounts.size).toBeGreaterThanOrEqual(95);
    const artists = found[0]!.evidence.artists as Array<{ artist: string; farmShare: number }>;
    expect(artists[0]!.farmShare).toBeGreaterThan(0.95);
  });

  it('names accounts playing around the clock and accounts stopping just past 30 s, beyond what skipping explains', () => {
    const random = seededRandom(4);
    const w = new World();
    honest(w, 2000, 300, random);
    let at = T0 + 5 * DAY;
    while (at < T0 + 6 * DAY) {
      w.add(2000, Math.floor(random() * 300), at, 170_000);
      at += 172;
    }
    for (let k = 0; k < 60; k++) w.add(2001, Math.floor(random() * 300), T0 + random() * 30 * DAY, 30_000 + Math.floor(random() * 2_000));
    const found = accountPatterns(w.plays());
    expect(found.find((f) => f.kind === 'continuous_play')!.accounts).toEqual([2000]);
    expect(found.find((f) => f.kind === 'just_over_30s')!.accounts).toEqual([2001]);
    // And all together flag nothing of honest listeners.
    const { findings } = detectAll(w.plays());
    expect([...named(findings)].filter((a) => a < 2000)).toEqual([]);
  });
});
