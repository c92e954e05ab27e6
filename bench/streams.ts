// Streams bench: one JSON line of figures, none of them a pass/fail test.
//
//   fraudar: FRAUDAR's synthetic protocol (Hooi et al. 2016 §5): a 2,000 × 2,000 background at
//     density 0.0006, a 200 × 200 block injected at densities 0.01-0.1, under four attacks (no
//     camouflage, random camouflage, camouflage biased to popular tracks, hijacked honest
//     accounts), five trials each; F1 of the accounts the dense-block detector names;
//   lowAndSlow: 1,000 farm accounts over 10,000 farm tracks, about 20 plays a day each, hidden in
//     200,000 honest listeners (power-law track popularity, sessions of consecutive plays at
//     times of day people listen, skips) over 30 days: recall of farm streams, honest accounts
//     flagged, and the time of the whole scan (all detectors) over the ~10 million events;
//   lockstep and per-account patterns in 20,000 honest listeners: bot groups playing one
//     playlist together, accounts playing around the clock, accounts playing just over 30 s.
//
// Run: npm run bench:streams [-- --quick] [-- --only fraudar|store] [-- --events N (through the store; default 1,000,000)]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createOrganisation } from '../src/catalog/index.ts';
import { openRuntime } from '../src/runtime/index.ts';
import { ingestStreams, scanStreams } from '../src/streams/index.ts';
import { denseBlocks, detectAll, type Plays } from '../src/streams/detect/index.ts';
import { seededRandom } from '../src/shared/index.ts';

const quick = process.argv.includes('--quick');
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const log = (m: string) => process.stderr.write(`${m}\n`);
const r3 = (x: number) => Math.round(x * 1000) / 1000;
const DAY = 86_400;
const T0 = Date.UTC(2026, 10, 1) / 1000;

class PlayLog {
  account: number[] = [];
  track: number[] = [];
  at: number[] = [];
  ms: number[] = [];
  fraud: number[] = [];
  add(a: number, t: number, at: number, ms: number, fraud: number) {
    this.account.push(a);
    this.track.push(t);
    this.at.push(at);
    this.ms.push(ms);
    this.fraud.push(fraud);
  }
  /** Counted plays only, as a scan sees them. */
  plays(accounts: number, tracks: number, artistOf?: Int32Array): { p: Plays; fraud: Uint8Array } {
    const keep = this.ms.map((m, i) => (m >= 30_000 ? i : -1)).filter((i) => i >= 0);
    const p: Plays = {
      account: Int32Array.from(keep, (i) => this.account[i]!),
      track: Int32Array.from(keep, (i) => this.track[i]!),
      at: Float64Array.from(keep, (i) => this.at[i]!),
      msPlayed: Int32Array.from(keep, (i) => this.ms[i]!),
      accounts: Array.from({ length: accounts }, (_, i) => `a${i}`),
      tracks: Array.from({ length: tracks }, (_, i) => `t${i}`),
      artistOf: artistOf ?? new Int32Array(tracks).fill(-1),
      artists: artistOf ? Array.from({ length: Math.max(...artistOf) + 1 }, (_, i) => `artist${i}`) : [],
    };
    return { p, fraud: Uint8Array.from(keep, (i) => this.fraud[i]!) };
  }
}

// ---- FRAUDAR's protocol ----
function fraudarTrial(density: number, attack: string, random: () => number) {
  const N = 2000;
  const B = 200;
  const log = new PlayLog();
  const edges = new Set<number>();
  const edge = (a: number, t: number, fraud: number) => {
    if (edges.has(a * N + t)) return;
    edges.add(a * N + t);
    log.add(a, t, T0 + random() * 30 * DAY, 120_000, fraud);
  };
  const background = Math.round(0.0006 * N * N);
  const degree = new Float64Array(N);
  const bg: Array<[number, number]> = [];
  for (let i = 0; i < background; i++) bg.push([Math.floor(random() * N), Math.floor(random() * N)]);
  for (const [, t] of bg) degree[t]!++;
  // Fraud accounts: new accounts N..N+B-1, or (hijacked) existing honest accounts; fraud tracks N-B..N-1.
  const fraudAccounts = Array.from({ length: B }, (_, i) => (attack === 'hijacked' ? Math.floor(random() * N) : N + i));
  const uniqueFraud = new Set(fraudAccounts);
  for (const [a, t] of bg) edge(a, t, 0);
  let cum: Float64Array | null = null;
  for (const a of fraudAccounts) {
    let made = 0;
    for (let j = 0; j < B; j++) {
      if (random() < density) {
        edge(a, N - B + j, 1);
        made++;
      }
    }
    if (attack === 'random') for (let c = 0; c < made; c++) edge(a, Math.floor(random() * (N - B)), 1);
    if (attack === 'biased') {
      cum ??= degree.subarray(0, N - B).reduce((acc, d, i) => ((acc[i] = (acc[i - 1] ?? 0) + d + 1), acc), new Float64Array(N - B));
      for (let c = 0; c < made; c++) {
        const x = random() * cum[cum.length - 1]!;
        let lo = 0;
        let hi = cum.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cum[mid]! < x) lo = mid + 1;
          else hi = mid;
        }
        edge(a, lo, 1);
      }
    }
  }
  const { p } = log.plays(N + B, N);
  const named = new Set<number>();
  for (const f of denseBlocks(p)) for (const a of f.accounts) named.add(a);
  let tp = 0;
  for (const a of named) if (uniqueFraud.has(a)) tp++;
  // The ceiling: an oracle told the block's tracks, naming the accounts with at least k plays
  // into them, at the best k for this trial. At low densities some fraud accounts have 0 or 1
  // plays in the block and cannot be told from honest accounts that touch it by chance, so no
  // detector that sees only the graph does much better than this.
  const intoBlock = new Map<number, number>();
  for (let i = 0; i < p.account.length; i++) if (p.track[i]! >= N - B) intoBlock.set(p.account[i]!, (intoBlock.get(p.account[i]!) ?? 0) + 1);
  let ceiling = 0;
  for (let k = 1; k <= 10; k++) {
    let n = 0;
    let hit = 0;
    for (const [a, c] of intoBlock) {
      if (c < k) continue;
      n++;
      if (uniqueFraud.has(a)) hit++;
    }
    ceiling = Math.max(ceiling, f1(hit, n, uniqueFraud.size));
  }
  return { f1: f1(tp, named.size, uniqueFraud.size), precision: named.size ? tp / named.size : 0, recall: tp / uniqueFraud.size, ceiling };
}

function f1(hit: number, named: number, truth: number): number {
  const precision = named ? hit / named : 0;
  const recall = hit / truth;
  return precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
}

type Cell = { f1: number; precision: number; recall: number; ceiling: number };
const fraudar: Record<string, Record<string, Cell>> = {};
const densities = [0.01, 0.02, 0.04, 0.06, 0.08, 0.1];
for (const attack of only === 'store' ? [] : ['none', 'random', 'biased', 'hijacked']) {
  fraudar[attack] = {};
  for (const d of densities) {
    const random = seededRandom(Math.round(d * 1000) + attack.length);
    const trials = Array.from({ length: quick ? 2 : 5 }, () => fraudarTrial(d, attack, random));
    if (process.env.BENCH_VERBOSE) log(`${attack} ${d}: ${trials.map((t) => r3(t.f1)).join(" ")}`);
    const worst = trials.reduce((a, b) => (b.f1 < a.f1 ? b : a));
    fraudar[attack]![String(d)] = { f1: r3(worst.f1), precision: r3(worst.precision), recall: r3(worst.recall), ceiling: r3(Math.min(...trials.map((t) => t.ceiling))) };
  }
  log(`fraudar ${attack}: ${JSON.stringify(fraudar[attack])} (worst F1 of the trials; ceiling: worst oracle F1)`);
}
if (only === 'fraudar') {
  console.log(JSON.stringify({ bench: 'streams', fraudar: { metric: 'worst F1 of the trials, accounts named by dense blocks, with its precision and recall, and the worst oracle ceiling', byAttackAndDensity: fraudar } }));
  process.exit(0);
}

// ---- honest listeners ----
/** Honest listening: Zipf popularity over `tracks`, sessions at listening hours, skips. */
function honest(log: PlayLog, listeners: number, tracks: number, playsPerDay: number, random: () => number, firstTrack = 0) {
  // Zipf(1) sampling by inverse CDF over a table.
  const cdf = new Float64Array(tracks);
  let s = 0;
  for (let i = 0; i < tracks; i++) cdf[i] = s += 1 / (i + 1);
  const pick = () => {
    const x = random() * s;
    let lo = 0;
    let hi = tracks - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return firstTrack + lo;
  };
  for (let a = 0; a < listeners; a++) {
    // Activity varies a lot between people (log-normal).
    const activity = Math.exp((random() + random() + random() - 1.5) * 1.5);
    let remaining = Math.round(playsPerDay * 30 * activity);
    // Each person has a few favourites they return to.
    const favourites = Array.from({ length: 5 + Math.floor(random() * 20) }, pick);
    while (remaining > 0) {
      const day = Math.floor(random() * 30);
      // Listening hours: mostly 7-24 h.
      const hour = 7 + random() * 17;
      let at = T0 + day * DAY + hour * 3600;
      const session = 1 + Math.floor(random() * 12);
      for (let k = 0; k < session && remaining > 0; k++, remaining--) {
        const t = random() < 0.4 ? favourites[Math.floor(random() * favourites.length)]! : pick();
        const ms = random() < 0.25 ? Math.floor(random() * 30_000) : 30_000 + Math.floor(random() * 210_000);
        log.add(a, t, at, ms, 0);
        at += ms / 1000 + random() * 5;
      }
    }
  }
}

// ---- low and slow ----
const HONEST = quick ? 40_000 : 200_000;
const HONEST_TRACKS = 50_000;
const FARM_ACCOUNTS = 1_000;
const FARM_TRACKS = 10_000;
if (!only) {
  const random = seededRandom(21);
  const pl = new PlayLog();
  honest(pl, HONEST, HONEST_TRACKS, 1.5, random);
  // The farm: new accounts playing its own tracks (200 artists of 50 tracks), ~20 a day, at any hour.
  for (let f = 0; f < FARM_ACCOUNTS; f++) {
    const a = HONEST + f;
    for (let day = 0; day < 30; day++) {
      const n = 15 + Math.floor(random() * 11);
      for (let k = 0; k < n; k++) pl.add(a, HONEST_TRACKS + Math.floor(random() * FARM_TRACKS), T0 + day * DAY + random() * DAY, 40_000 + Math.floor(random() * 150_000), 1);
    }
  }
  const artistOf = new Int32Array(HONEST_TRACKS + FARM_TRACKS).map((_, t) => (t < HONEST_TRACKS ? t % 5_000 : 5_000 + Math.floor((t - HONEST_TRACKS) / 50)));
  const { p, fraud } = pl.plays(HONEST + FARM_ACCOUNTS, HONEST_TRACKS + FARM_TRACKS, artistOf);
  log(`low-and-slow: ${pl.account.length} events, ${p.account.length} counted`);
  const t0 = performance.now();
  const { findings, flagged } = detectAll(p);
  const scanMs = performance.now() - t0;
  let farmFlagged = 0;
  let farm = 0;
  const honestFlagged = new Set<number>();
  for (let i = 0; i < flagged.length; i++) {
    if (fraud[i]) {
      farm++;
      if (flagged[i]) farmFlagged++;
    } else if (flagged[i]) honestFlagged.add(p.account[i]!);
  }
  const kinds: Record<string, number> = {};
  for (const f of findings) kinds[f.kind] = (kinds[f.kind] ?? 0) + 1;
  Object.assign(globalThis, {
    lowAndSlow: { events: pl.account.length, counted: p.account.length, recall: r3(farmFlagged / farm), honestAccountsFlagged: honestFlagged.size, honestFlaggedRate: r3(honestFlagged.size / HONEST), findings: kinds, scanMs: Math.round(scanMs) },
  });
  log(`low-and-slow: ${JSON.stringify((globalThis as unknown as { lowAndSlow: object }).lowAndSlow)}`);
}

// ---- lockstep and per-account patterns ----
if (!only) {
  const random = seededRandom(22);
  const pl = new PlayLog();
  const H = 20_000;
  const TR = 20_000;
  honest(pl, H, TR, 3, random);
  let next = H;
  const kindOf = new Map<number, string>();
  // 10 groups of 30 accounts: one playlist of 40 catalog tracks, played together (starts within 30 s), 3 times a week.
  for (let g = 0; g < 10; g++) {
    const members = Array.from({ length: 30 }, () => next++);
    const playlist = Array.from({ length: 40 }, () => Math.floor(random() * TR));
    for (let day = 0; day < 30; day += 2) {
      let at = T0 + day * DAY + random() * DAY;
      for (const t of playlist) {
        for (const a of members) pl.add(a, t, at + random() * 30, 35_000 + Math.floor(random() * 60_000), 1);
        at += 100;
      }
    }
    for (const a of members) kindOf.set(a, 'lockstep');
  }
  // 50 accounts around the clock on 5 days: back-to-back plays of catalog tracks.
  for (let k = 0; k < 50; k++) {
    const a = next++;
    kindOf.set(a, 'continuous');
    for (let d = 0; d < 5; d++) {
      let at = T0 + (3 + d * 5) * DAY;
      while (at < T0 + (4 + d * 5) * DAY) {
        const ms = 150_000 + Math.floor(random() * 60_000);
        pl.add(a, Math.floor(random() * TR), at, ms, 1);
        at += ms / 1000 + 2;
      }
    }
  }
  // 100 accounts playing catalog tracks just past 30 s, 10-40 a day, with a few longer plays.
  for (let k = 0; k < 100; k++) {
    const a = next++;
    kindOf.set(a, 'just_over');
    for (let day = 0; day < 30; day++) {
      const n = 10 + Math.floor(random() * 30);
      for (let j = 0; j < n; j++) pl.add(a, Math.floor(random() * TR), T0 + day * DAY + random() * DAY, random() < 0.8 ? 30_000 + Math.floor(random() * 3_000) : 60_000 + Math.floor(random() * 120_000), 1);
    }
  }
  const { p, fraud } = pl.plays(next, TR);
  const { flagged, findings } = detectAll(p);
  if (process.env.BENCH_VERBOSE) for (const f of findings) log(`${f.kind}: ${f.accounts.length} accounts, ${f.tracks.length} tracks, ${f.plays.length} plays, ${JSON.stringify(f.evidence).slice(0, 300)}`);
  const per: Record<string, [number, number]> = {};
  const honestFlagged = new Set<number>();
  for (let i = 0; i < flagged.length; i++) {
    const a = p.account[i]!;
    if (fraud[i]) {
      const k = kindOf.get(a)!;
      const s = (per[k] ??= [0, 0]);
      s[1]++;
      if (flagged[i]) s[0]++;
    } else if (flagged[i]) honestFlagged.add(a);
  }
  Object.assign(globalThis, {
    patterns: { honestListeners: H, ...Object.fromEntries(Object.entries(per).map(([k, [f, n]]) => [k, { recall: r3(f / n), streams: n }])), honestAccountsFlagged: honestFlagged.size, honestFlaggedRate: r3(honestFlagged.size / H) },
  });
  log(`patterns: ${JSON.stringify((globalThis as unknown as { patterns: object }).patterns)}`);
}

// ---- ingest and scan through the embedded store ----
// Events arrive as services deliver them, day after day (batches of one day's plays at a time,
// in no order within the day), 20,000 listeners over 20,000 ISRCs; then the month is scanned.
{
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-streams-'));
  const rt = await openRuntime({ dataDir: join(dir, 'data'), threads: 1 });
  const org = await createOrganisation(rt.catalog, 'bench', { slug: 'bench', name: 'bench' });
  const caller = { orgId: org.id, actor: 'bench' };
  const deps = await rt.streams();
  const random = seededRandom(23);
  const events = Number(process.argv.includes('--events') ? process.argv[process.argv.indexOf('--events') + 1] : quick ? 100_000 : 1_000_000);
  let ingestMs = 0;
  for (let done = 0; done < events; done += 50_000) {
    const lines: string[] = [];
    for (let i = done; i < done + 50_000; i++) {
      lines.push(JSON.stringify({ eventId: `e${i}`, listener: `listener-${Math.floor(random() * 20_000)}`, isrc: `GBZZZ26${String(Math.floor(random() * random() * 20_000)).padStart(5, '0')}`, startedAt: new Date((T0 + (Math.floor((i / events) * 30) + random()) * DAY) * 1000).toISOString(), msPlayed: 20_000 + Math.floor(random() * 200_000), country: 'GB', service: 'bench', context: 'playlist' }));
    }
    const body = lines.join('\n');
    const t0 = performance.now();
    await ingestStreams(deps, caller, body, 'ndjson');
    ingestMs += performance.now() - t0;
  }
  const t1 = performance.now();
  const scan = await scanStreams(deps, caller, { from: new Date(T0 * 1000).toISOString(), to: new Date((T0 + 31 * DAY) * 1000).toISOString() });
  const scanMs = performance.now() - t1;
  Object.assign(globalThis, { store: { engine: 'pglite', events, eventsPerSecondIngest: Math.round(events / (ingestMs / 1000)), scanMs: Math.round(scanMs), scanEventsPerSecond: Math.round(events / (scanMs / 1000)), findings: scan.findings.length } });
  log(`store: ${JSON.stringify((globalThis as unknown as { store: object }).store)}`);
  await rt.close();
  rmSync(dir, { recursive: true, force: true });
}

const g = globalThis as unknown as { lowAndSlow: object; patterns: object; store: object };
console.log(JSON.stringify({ bench: 'streams', fraudar: { metric: 'worst F1 of the trials, accounts named by dense blocks, with its precision and recall, and the worst oracle ceiling', byAttackAndDensity: fraudar }, lowAndSlow: g.lowAndSlow, patterns: g.patterns, store: g.store }));
