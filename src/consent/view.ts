// The consent checks' working set, kept in memory so a check costs no query: each track's
// scopes, every version of the rules on them and the partner signals, loaded on first use.
// Rules are versions with effective times, so the set answers "as of" any instant and stays
// valid as time passes. A change made through this process clears the organisation's set at
// once; a change made by another process (PostgreSQL deployments) is noticed by polling the
// audit head at most every `refreshMs`.

import { evaluate, indexRules, publicState, type RuleIndex } from './evaluate.ts';
import type { ConsentStore } from './store.ts';
import type { CheckQuery, ConsentRule, ConsentSignal, Decision, TrackScopes, Use } from './types.ts';

interface OrgSet {
  generation: number;
  checkedAt: number;
  tracks: Map<string, TrackScopes | null>;
  loadedScopes: Set<string>;
  rules: RuleIndex;
  signals: Map<string, ConsentSignal[]>;
  /** Loads run one at a time, so two misses never load the same rules twice. */
  loading: Promise<void>;
}

const MAX_TRACKS = 2_000_000;

export class ConsentView {
  private readonly orgs = new Map<string, OrgSet>();

  constructor(
    private readonly store: ConsentStore,
    private readonly refreshMs = 250,
  ) {}

  invalidate(orgId: string): void {
    this.orgs.delete(orgId);
  }

  private async set(orgId: string): Promise<OrgSet> {
    const now = Date.now();
    let s = this.orgs.get(orgId);
    if (s && now - s.checkedAt < this.refreshMs) return s;
    const generation = await this.store.generation(orgId);
    s = this.orgs.get(orgId);
    if (s && s.generation === generation && s.tracks.size < MAX_TRACKS) {
      s.checkedAt = now;
      return s;
    }
    const fresh: OrgSet = { generation, checkedAt: now, tracks: new Map(), loadedScopes: new Set(), rules: new Map(), signals: new Map(), loading: Promise.resolve() };
    this.orgs.set(orgId, fresh);
    return fresh;
  }

  private async load(orgId: string, s: OrgSet, isrcs: string[]): Promise<void> {
    const run = s.loading.then(async () => {
      const missing = isrcs.filter((i) => !s.tracks.has(i));
      if (missing.length === 0) return;
      const found = await this.store.scopesByIsrc(orgId, missing);
      const scopes = new Set<string>();
      for (const t of found) {
        for (const id of [t.trackId, t.releaseId, t.artistId, ...t.rightsHolderIds]) if (id && !s.loadedScopes.has(id)) scopes.add(id);
      }
      const rules = scopes.size ? await this.store.rulesForScopes(orgId, [...scopes]) : [];
      const signals = found.length ? await this.store.signalsFor(orgId, found.map((t) => t.trackId)) : [];
      mergeRules(s.rules, rules);
      for (const id of scopes) s.loadedScopes.add(id);
      for (const sig of signals) {
        const list = s.signals.get(sig.trackId);
        if (list) list.push(sig);
        else s.signals.set(sig.trackId, [sig]);
      }
      for (const i of missing) s.tracks.set(i, null);
      for (const t of found) s.tracks.set(t.isrc, t);
    });
    s.loading = run.catch(() => undefined);
    await run;
  }

  /** Decisions for normalised ISRCs; null for an ISRC the organisation does not have. */
  async decide(orgId: string, isrcs: string[], q: CheckQuery): Promise<(Decision | null)[]> {
    const s = await this.set(orgId);
    if (isrcs.some((i) => !s.tracks.has(i))) await this.load(orgId, s, isrcs);
    return isrcs.map((isrc) => {
      const t = s.tracks.get(isrc);
      return t ? evaluate(t, s.rules, s.signals.get(t.trackId) ?? [], q) : null;
    });
  }

  /** The public state of each use for each ISRC (see publicState); null for an unknown ISRC. */
  async states(orgId: string, isrcs: string[], uses: readonly Use[], at: string): Promise<(PublicStates | null)[]> {
    const s = await this.set(orgId);
    if (isrcs.some((i) => !s.tracks.has(i))) await this.load(orgId, s, isrcs);
    return isrcs.map((isrc) => {
      const t = s.tracks.get(isrc);
      if (!t) return null;
      const sig = s.signals.get(t.trackId) ?? [];
      return Object.fromEntries(uses.map((u) => [u, publicState(t, s.rules, sig, u, at)])) as PublicStates;
    });
  }
}

export type PublicStates = Partial<Record<Use, ReturnType<typeof publicState>>>;

function mergeRules(idx: RuleIndex, rules: ConsentRule[]): void {
  const add = indexRules(rules);
  for (const [scope, byUse] of add) {
    const have = idx.get(scope);
    if (!have) idx.set(scope, byUse);
    else for (const [use, list] of byUse) have.set(use, list);
  }
}
