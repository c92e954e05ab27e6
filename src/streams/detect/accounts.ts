// Patterns of one account that no listener produces:
// - continuous play: plays starting in at least MIN_HOURS of the 24 hours of one day, adding up
//   to more than MIN_PLAYED_HOURS of audio (a person sleeps);
// - plays just over the 30 s a stream needs to count: a share of the account's counted streams
//   ending within JUST_OVER_MS of 30 s that an honest listener's skips make improbable. Listeners
//   skip, and some counted streams end just after 30 s by chance; HONEST_RATE is a generous
//   bound on how often (a 5-s window of a play-length distribution spread over minutes). The
//   account is flagged when its count is beyond that rate by a binomial tail below 1e-9.

import { COUNTED_MS } from '../events.ts';
import { byAccount, type Finding, type Plays } from './plays.ts';

const MIN_HOURS = 22;
const MIN_PLAYED_HOURS = 20;
const JUST_OVER_MS = 5_000;
const HONEST_RATE = 0.1;
const MAX_LOG_TAIL = Math.log(1e-9);
const MIN_PLAYS = 20;

/** Natural log of P(Binomial(n, q) ≥ k) by the Chernoff-Hoeffding bound (relative entropy form). */
export function logBinomialTail(k: number, n: number, q: number): number {
  const x = k / n;
  if (x <= q) return 0;
  if (x >= 1) return n * Math.log(q);
  return -n * (x * Math.log(x / q) + (1 - x) * Math.log((1 - x) / (1 - q)));
}

export function accountPatterns(p: Plays): Finding[] {
  const { order, start } = byAccount(p);
  const continuous: number[] = [];
  const continuousPlays: number[] = [];
  const justOver: number[] = [];
  const justOverPlays: number[] = [];
  let worstDayHours = 0;
  let worstShare = 0;
  for (let a = 0; a < p.accounts.length; a++) {
    const from = start[a]!;
    const to = start[a + 1]!;
    // Continuous play, day by day (UTC).
    let dayStart = from;
    let flagged = false;
    while (dayStart < to && !flagged) {
      const day = Math.floor(p.at[order[dayStart]!]! / 86_400);
      let hours = 0;
      let played = 0;
      let k = dayStart;
      const seen = new Uint8Array(24);
      for (; k < to && Math.floor(p.at[order[k]!]! / 86_400) === day; k++) {
        const i = order[k]!;
        const h = Math.floor((p.at[i]! % 86_400) / 3600);
        if (!seen[h]) hours++;
        seen[h] = 1;
        played += p.msPlayed[i]!;
      }
      if (hours >= MIN_HOURS && played >= MIN_PLAYED_HOURS * 3_600_000) {
        flagged = true;
        worstDayHours = Math.max(worstDayHours, played / 3_600_000);
      }
      dayStart = k;
    }
    if (flagged) {
      continuous.push(a);
      for (let k = from; k < to; k++) continuousPlays.push(order[k]!);
    }
    // Just over 30 s.
    const n = to - from;
    if (n >= MIN_PLAYS) {
      let k = 0;
      for (let j = from; j < to; j++) if (p.msPlayed[order[j]!]! < COUNTED_MS + JUST_OVER_MS) k++;
      if (logBinomialTail(k, n, HONEST_RATE) < MAX_LOG_TAIL) {
        justOver.push(a);
        worstShare = Math.max(worstShare, k / n);
        // An account shown to be driven by a script: every stream of it is.
        for (let j = from; j < to; j++) justOverPlays.push(order[j]!);
      }
    }
  }
  const out: Finding[] = [];
  const tracksOf = (plays: number[]) => [...new Set(plays.map((i) => p.track[i]!))];
  if (continuous.length > 0) {
    out.push({ kind: 'continuous_play', accounts: continuous, tracks: tracksOf(continuousPlays), plays: continuousPlays, evidence: { minHoursOfDay: MIN_HOURS, minHoursPlayed: MIN_PLAYED_HOURS, mostHoursPlayedInADay: Math.round(worstDayHours * 10) / 10 } });
  }
  if (justOver.length > 0) {
    out.push({ kind: 'just_over_30s', accounts: justOver, tracks: tracksOf(justOverPlays), plays: justOverPlays, evidence: { windowMs: `${COUNTED_MS}-${COUNTED_MS + JUST_OVER_MS}`, honestRateBound: HONEST_RATE, highestShare: Math.round(worstShare * 1000) / 1000 } });
  }
  return out;
}
