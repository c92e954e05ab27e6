// Low-and-slow farms: many accounts, each playing a wide set of tracks a few times, where those
// tracks have almost no other listeners. No account looks abnormal on its own, no track is
// streamed much, and the block they form is large and thin; what gives it away is that the
// accounts and the tracks keep to themselves.
//
// Accounts that play widely and rarely repeat are candidates. A track is captured when nearly all
// of its listeners are candidates; a candidate stays one while most of its plays go to captured
// tracks. Repeating the two until nothing changes leaves the accounts and tracks that only have
// each other. Captured tracks joined by shared accounts form one farm; a farm of MIN_FARM
// accounts or more, whose share of its tracks' plays is MIN_LIFT times its share of all
// accounts (a "farm" of most listeners is just how people listen), is a finding, with how its
// plays spread and, per artist, the share of the artist's streams the farm made (fraud shows as
// artists whose audience is nothing but the farm).

import { uniquePairs, type Finding, type Plays } from './plays.ts';

const MIN_BREADTH = 30;
const MAX_REPEAT = 3;
const MIN_LISTENERS = 5;
const CAPTURED_SHARE = 0.9;
const KEPT_SHARE = 0.8;
const MIN_FARM = 20;
/** The farm's share of its tracks' plays over its share of all accounts: a farm is a few accounts that are nearly all of their tracks' audience. */
const MIN_LIFT = 3;

export function lowAndSlowFarms(p: Plays): Finding[] {
  const A = p.accounts.length;
  const T = p.tracks.length;
  const { account: pa, track: pt, plays: pc } = uniquePairs(p);
  const plays = new Int32Array(A);
  const breadth = new Int32Array(A);
  const listeners = new Int32Array(T);
  for (let e = 0; e < pa.length; e++) {
    plays[pa[e]!]! += pc[e]!;
    breadth[pa[e]!]!++;
    listeners[pt[e]!]!++;
  }
  let candidate = new Uint8Array(A);
  for (let a = 0; a < A; a++) candidate[a] = breadth[a]! >= MIN_BREADTH && plays[a]! / breadth[a]! <= MAX_REPEAT ? 1 : 0;
  const captured = new Uint8Array(T);
  for (let round = 0; round < 10; round++) {
    const fromCandidates = new Int32Array(T);
    for (let e = 0; e < pa.length; e++) if (candidate[pa[e]!]) fromCandidates[pt[e]!]!++;
    for (let t = 0; t < T; t++) captured[t] = listeners[t]! >= MIN_LISTENERS && fromCandidates[t]! >= CAPTURED_SHARE * listeners[t]! ? 1 : 0;
    const onCaptured = new Int32Array(A);
    for (let e = 0; e < pa.length; e++) if (captured[pt[e]!]) onCaptured[pa[e]!]! += pc[e]!;
    const next = new Uint8Array(A);
    let changed = false;
    for (let a = 0; a < A; a++) {
      next[a] = candidate[a] && onCaptured[a]! >= KEPT_SHARE * plays[a]! ? 1 : 0;
      if (next[a] !== candidate[a]) changed = true;
    }
    candidate = next;
    if (!changed) break;
  }
  // Farms: captured tracks and candidate accounts joined by their pairs (union-find over A + T).
  const parent = new Int32Array(A + T).map((_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (let e = 0; e < pa.length; e++) if (candidate[pa[e]!] && captured[pt[e]!]) parent[find(pa[e]!)] = find(A + pt[e]!);
  let active = 0;
  for (let a = 0; a < A; a++) if (plays[a]! > 0) active++;
  const farms = new Map<number, { accounts: number[]; tracks: number[] }>();
  const farmOf = (root: number) => farms.get(root) ?? farms.set(root, { accounts: [], tracks: [] }).get(root)!;
  for (let a = 0; a < A; a++) if (candidate[a]) farmOf(find(a)).accounts.push(a);
  for (let t = 0; t < T; t++) if (captured[t]) farmOf(find(A + t)).tracks.push(t);
  const out: Finding[] = [];
  for (const [root, farm] of farms) {
    if (farm.accounts.length < MIN_FARM || farm.tracks.length === 0) continue;
    const flagged: number[] = [];
    const perArtist = new Map<number, [number, number]>();
    let onFarmTracks = 0;
    for (let i = 0; i < p.account.length; i++) {
      const t = p.track[i]!;
      const artist = p.artistOf[t]!;
      const onTrack = captured[t] && find(A + t) === root;
      if (onTrack) onFarmTracks++;
      const inFarm = onTrack && candidate[p.account[i]!];
      if (inFarm) flagged.push(i);
      if (artist >= 0) {
        const s = perArtist.get(artist) ?? [0, 0];
        s[0] += inFarm ? 1 : 0;
        s[1] += 1;
        perArtist.set(artist, s);
      }
    }
    const artists = [...perArtist.entries()]
      .filter(([, [farmPlays]]) => farmPlays > 0)
      .sort((x, y) => y[1][0] - x[1][0])
      .slice(0, 20)
      .map(([artist, [farmPlays, all]]) => ({ artist: p.artists[artist]!, farmStreams: farmPlays, streams: all, farmShare: Math.round((farmPlays / all) * 1000) / 1000 }));
    const lift = flagged.length / onFarmTracks / (farm.accounts.length / active);
    if (!(lift >= MIN_LIFT)) continue;
    const breadths = farm.accounts.map((a) => breadth[a]!).sort((x, y) => x - y);
    let tracksListeners = 0;
    for (const t of farm.tracks) tracksListeners += listeners[t]!;
    out.push({
      kind: 'low_and_slow',
      accounts: farm.accounts,
      tracks: farm.tracks,
      plays: flagged,
      evidence: {
        medianTracksPerAccount: breadths[breadths.length >> 1]!,
        playsPerTrackPerAccount: Math.round((flagged.length / Math.max(1, farm.accounts.reduce((s, a) => s + breadth[a]!, 0))) * 100) / 100,
        meanListenersPerTrack: Math.round((tracksListeners / farm.tracks.length) * 10) / 10,
        capturedShare: CAPTURED_SHARE,
        farmShareOfAccounts: Math.round((farm.accounts.length / active) * 10_000) / 10_000,
        lift: Math.round(lift * 10) / 10,
        artists,
      },
    });
  }
  return out;
}
