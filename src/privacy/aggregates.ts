// Aggregates about listeners that leave the operator (an artist's dashboard of listeners per
// track and country, a licensee's audience report) are released with ε-differential privacy:
// each count gets discrete Laplace noise (discrete-laplace.ts) of scale Δ/ε, where Δ, the most
// one listener can change the release, is the number of tracks in it (each listener is counted
// once per track, in the country of their first play of it). The noise scale is stated beside
// the numbers. Each recipient has a budget of ε per calendar month; a release that would pass it
// is refused. Cells whose noised count is below SUPPRESS_BELOW are withheld (after the noise,
// so withholding reveals nothing more). The cells released are the ones asked for (tracks ×
// countries), so which cells appear says nothing either.

import { LedgerlineError, type Caller } from '../shared/index.ts';
import { discreteLaplace, type RandomInt } from './discrete-laplace.ts';
import { PrivacyErrors } from './errors.ts';
import type { PrivacyDeps } from './subject.ts';

export const SUPPRESS_BELOW = 10;
export const DEFAULT_MONTHLY_BUDGET = 1;
const MAX_CELLS = 10_000;

export interface AudienceRequest {
  recipient: string;
  isrcs: string[];
  countries: string[];
  from: string;
  to: string;
  /** ε of this release, in thousandths at most (0.001 to the monthly budget). */
  epsilon: number;
}

export interface AudienceRelease {
  epsilon: number;
  sensitivity: number;
  /** The discrete Laplace scale added to every count: Δ/ε. */
  noiseScale: number;
  suppressedBelow: number;
  cells: Array<{ isrc: string; country: string; listeners: number | null }>;
  budget: { recipient: string; month: string; spent: number; limit: number };
}

export async function releaseAudience(deps: PrivacyDeps & { monthlyBudget?: number; rand?: RandomInt }, caller: Caller, req: AudienceRequest): Promise<AudienceRelease> {
  const milli = Math.round(req.epsilon * 1000);
  const limit = deps.monthlyBudget ?? DEFAULT_MONTHLY_BUDGET;
  if (!(milli >= 1) || Math.abs(req.epsilon * 1000 - milli) > 1e-9) throw new LedgerlineError(PrivacyErrors.BAD_RELEASE, 'epsilon must be a positive number with at most three decimals');
  const isrcs = [...new Set(req.isrcs)].sort();
  const countries = [...new Set(req.countries)].sort();
  if (isrcs.length === 0 || countries.length === 0) throw new LedgerlineError(PrivacyErrors.BAD_RELEASE, 'name the tracks (ISRCs) and countries to release');
  if (isrcs.length * countries.length > MAX_CELLS) throw new LedgerlineError(PrivacyErrors.BAD_RELEASE, `a release holds at most ${MAX_CELLS} cells`);
  for (const c of countries) if (!/^[A-Z]{2}$/.test(c)) throw new LedgerlineError(PrivacyErrors.BAD_RELEASE, `"${c}" is not an ISO 3166 alpha-2 country code`);
  if (Number.isNaN(Date.parse(req.from)) || Number.isNaN(Date.parse(req.to))) throw new LedgerlineError(PrivacyErrors.BAD_RELEASE, 'from and to must be dates');
  const month = deps.clock.now().toISOString().slice(0, 7);
  const spent = await deps.store.repos.streams.spendBudget(caller.orgId, req.recipient, month, milli, Math.round(limit * 1000));
  if (spent === null) throw new LedgerlineError(PrivacyErrors.BUDGET_SPENT, `releasing ε = ${req.epsilon} to ${req.recipient} would pass its budget of ${limit} for ${month}`, { recipient: req.recipient, month, limit });
  const counts = new Map((await deps.store.repos.streams.audience(caller.orgId, isrcs, new Date(req.from).toISOString(), new Date(req.to).toISOString())).map((c) => [`${c.isrc}/${c.country}`, c.listeners]));
  const sensitivity = isrcs.length;
  // Scale Δ/ε = (1000·Δ)/milli, a ratio of integers.
  const cells = isrcs.flatMap((isrc) =>
    countries.map((country) => {
      const noised = (counts.get(`${isrc}/${country}`) ?? 0) + discreteLaplace(milli, 1000 * sensitivity, deps.rand);
      return { isrc, country, listeners: noised < SUPPRESS_BELOW ? null : noised };
    }),
  );
  return { epsilon: milli / 1000, sensitivity, noiseScale: sensitivity / (milli / 1000), suppressedBelow: SUPPRESS_BELOW, cells, budget: { recipient: req.recipient, month, spent: spent / 1000, limit } };
}
