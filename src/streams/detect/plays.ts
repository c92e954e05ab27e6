// The plays a scan looks at, as columns: dense account and track numbers, so every detector runs
// on typed arrays. Only counted streams (30 s or more) earn, so only they are looked at.

export interface Plays {
  /** Account number per play (index into `accounts`). */
  account: Int32Array;
  /** Track number per play (index into `tracks`). */
  track: Int32Array;
  /** Start, seconds since 1970. */
  at: Float64Array;
  msPlayed: Int32Array;
  /** Pseudonyms. */
  accounts: string[];
  /** ISRCs. */
  tracks: string[];
  /** Per track, the number of its artist (index into `artists`), or -1. */
  artistOf: Int32Array;
  artists: string[];
}

/** A group of accounts and tracks and the plays that gave them away. */
export interface Finding {
  kind: 'dense_block' | 'lockstep' | 'low_and_slow' | 'continuous_play' | 'just_over_30s';
  accounts: number[];
  tracks: number[];
  /** Play indices flagged. */
  plays: number[];
  evidence: Record<string, number | string | Array<Record<string, number | string>>>;
}

/** Plays by account: `order` holds play indices grouped by account, `start[a]..start[a+1]`, in time order. */
export function byAccount(p: Plays): { order: Int32Array; start: Int32Array } {
  return groupBy(p.account, p.accounts.length, p.at);
}

export function byTrack(p: Plays): { order: Int32Array; start: Int32Array } {
  return groupBy(p.track, p.tracks.length, p.at);
}

function groupBy(key: Int32Array, keys: number, at: Float64Array): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(keys + 1);
  for (let i = 0; i < key.length; i++) start[key[i]! + 1]!++;
  for (let k = 0; k < keys; k++) start[k + 1]! += start[k]!;
  const cursor = start.slice(0, keys);
  // Plays sorted by time first (a stable counting sort keeps that order within each group).
  const byTime = new Int32Array(key.length);
  for (let i = 0; i < key.length; i++) byTime[i] = i;
  byTime.sort((x, y) => at[x]! - at[y]!);
  const order = new Int32Array(key.length);
  for (const i of byTime) order[cursor[key[i]!]!++] = i;
  return { order, start };
}

/** Each (account, track) pair that played, once, with how many plays it made. */
export function uniquePairs(p: Plays): { account: Int32Array; track: Int32Array; plays: Int32Array } {
  const T = p.tracks.length;
  const keys = new Float64Array(p.account.length);
  for (let i = 0; i < keys.length; i++) keys[i] = p.account[i]! * T + p.track[i]!;
  keys.sort();
  let n = 0;
  const plays = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    if (i > 0 && keys[i] === keys[i - 1]) {
      plays[n - 1]!++;
      continue;
    }
    keys[n] = keys[i]!;
    plays[n++] = 1;
  }
  const account = new Int32Array(n);
  const track = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    account[i] = Math.floor(keys[i]! / T);
    track[i] = keys[i]! - account[i]! * T;
  }
  return { account, track, plays: plays.slice(0, n) };
}
