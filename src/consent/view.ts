// The consent checks' working set, kept in memory so a check costs no query: each track's
// scopes, every version of the rules on them and the partner signals, loaded on first use.
// Rules are versions with effective times, so the set answers "as of" any instant and stays
// valid as time passes.
//
// Staying current: at most every `refreshMs` (and at once after a change made through this
// process) the organisation's audit head is read. Every change since the last look is then
// taken in place: new rule versions and signals are merged, and a track named by a change
// (created, edited, split changed, deleted) has its scopes read again. Only a backlog of more
// than MAX_CATCH_UP changes starts the set afresh.

import { systemClock, type Clock } from '../shared/index.ts';
import { evaluate, indexRules, publicState, scopeIdsOf, type RuleIndex } from './evaluate.ts';
import { scopePages, type ConsentStore, type Heads } from './store.ts';
import type { CheckQuery, ConsentRule, ConsentSignal, Decision, TrackScopes, Use } from './types.ts';

interface OrgSet {
  heads: Heads;
  checkedAt: number;
  tracks: Map<string, TrackScopes | null>;
  loadedScopes: Set<string>;
  rules: RuleIndex;
  signals: Map<string, ConsentSignal[]>;
  /** Loads run one at a time, so two misses never load the same rules twice. */
  loading: Promise<void>;
}

const MAX_TRACKS = 2_000_000;

/** Beyond this many changed subjects since the last look, reloading on demand is cheaper. */
const MAX_CATCH_UP = 10_000;

export class ConsentView {
  private readonly orgs = new Map<string, OrgSet>();

  constructor(
    private readonly store: ConsentStore,
    private readonly refreshMs = 250,
    private readonly clock: Clock = systemClock,
  ) {}

  /** A change was committed through this process: the next check catches up before answering. */
  changed(orgId: string): void {
    const s = this.orgs.get(orgId);
    if (s) s.checkedAt = -Infinity;
  }

  /** Something was committed through this process that may concern any organisation (a catalog write). */
  touch(): void {
    for (const s of this.orgs.values()) s.checkedAt = -Infinity;
  }

  private async set(orgId: string): Promise<OrgSet> {
    const now = this.clock.now().getTime();
    const s = this.orgs.get(orgId);
    if (s && now - s.checkedAt < this.refreshMs) return s;
    const heads = await this.store.heads(orgId);
    if (s && s.tracks.size < MAX_TRACKS) {
      if (heads.auditSeq === s.heads.auditSeq) {
        s.checkedAt = now;
        return s;
      }
      const subjects = await this.store.subjectsBetween(orgId, s.heads.auditSeq, heads.auditSeq, MAX_CATCH_UP + 1);
      if (subjects.length <= MAX_CATCH_UP) {
        const tracks = subjects.filter((x) => x.startsWith('track:')).map((x) => x.slice('track:'.length));
        await this.catchUp(orgId, s, heads, tracks);
        s.checkedAt = now;
        return s;
      }
    }
    const fresh: OrgSet = { heads, checkedAt: now, tracks: new Map(), loadedScopes: new Set(), rules: new Map(), signals: new Map(), loading: Promise.resolve() };
    this.orgs.set(orgId, fresh);
    return fresh;
  }

  /** Re-reads changed tracks, and merges rule versions and signals newer than the set's. */
  private async catchUp(orgId: string, s: OrgSet, heads: Heads, changedTracks: string[]): Promise<void> {
    await serially(s, async () => {
      if (changedTracks.length) {
        const changed = new Set(changedTracks);
        for (const [isrc, t] of s.tracks) if (t && changed.has(t.trackId)) s.tracks.delete(isrc);
        const fresh = await this.store.scopesOfTracks(orgId, changedTracks);
        await this.admit(orgId, s, fresh);
      }
      const rules = await this.store.rulesAfter(orgId, s.heads.ruleVersion);
      const signals = await this.store.signalsAfter(orgId, s.heads.signalId);
      addRules(
        s.rules,
        rules.filter((r) => s.loadedScopes.has(r.scopeId)),
      );
      // A track's own id is one of its loaded scopes.
      addSignals(
        s.signals,
        signals.filter((x) => s.loadedScopes.has(x.trackId)),
      );
      s.heads = {
        auditSeq: heads.auditSeq,
        ruleVersion: rules.reduce((m, r) => Math.max(m, r.version), heads.ruleVersion),
        signalId: signals.reduce((m, x) => Math.max(m, x.id), heads.signalId),
      };
    });
  }

  /** Puts tracks in the set with the rules of scopes it has not loaded yet and their signals. Call inside `serially`. */
  private async admit(orgId: string, s: OrgSet, found: TrackScopes[]): Promise<void> {
    const scopes = new Set<string>();
    for (const t of found) {
      for (const id of scopeIdsOf(t)) if (!s.loadedScopes.has(id)) scopes.add(id);
    }
    const rules = scopes.size ? await this.store.rulesForScopes(orgId, [...scopes]) : [];
    const signals = found.length ? await this.store.signalsFor(orgId, found.map((t) => t.trackId)) : [];
    addRules(s.rules, rules);
    for (const id of scopes) s.loadedScopes.add(id);
    addSignals(s.signals, signals);
    for (const t of found) s.tracks.set(t.isrc, t);
  }

  /** The organisation's set, holding (or knowing it lacks) every one of these ISRCs. */
  private async ready(orgId: string, isrcs: string[]): Promise<OrgSet> {
    const s = await this.set(orgId);
    if (isrcs.every((i) => s.tracks.has(i))) return s;
    await serially(s, async () => {
      const missing = isrcs.filter((i) => !s.tracks.has(i));
      if (missing.length === 0) return;
      const found = await this.store.scopesByIsrc(orgId, missing);
      for (const i of missing) s.tracks.set(i, null);
      await this.admit(orgId, s, found);
    });
    return s;
  }

  /**
   * Loads an organisation's whole catalog into the set, a page at a time, so the first checks
   * after start-up are as fast as the rest. Checks arriving meanwhile load what they need.
   */
  async warm(orgId: string, pageSize = 5000): Promise<number> {
    let count = 0;
    for await (const page of scopePages(this.store, orgId, pageSize)) {
      const s = await this.set(orgId);
      if (s.tracks.size >= MAX_TRACKS) break;
      await serially(s, () => this.admit(orgId, s, page.filter((t) => !s.tracks.has(t.isrc))));
      count += page.length;
    }
    return count;
  }

  /** Decisions for normalised ISRCs; null for an ISRC the organisation does not have. */
  async decide(orgId: string, isrcs: string[], q: CheckQuery): Promise<(Decision | null)[]> {
    const s = await this.ready(orgId, isrcs);
    return isrcs.map((isrc) => {
      const t = s.tracks.get(isrc);
      return t ? evaluate(t, s.rules, s.signals.get(t.trackId) ?? [], q) : null;
    });
  }

  /** The public state of each use for each ISRC (see publicState); null for an unknown ISRC. */
  async states(orgId: string, isrcs: string[], uses: readonly Use[], at: string): Promise<(PublicStates | null)[]> {
    const s = await this.ready(orgId, isrcs);
    return isrcs.map((isrc) => {
      const t = s.tracks.get(isrc);
      if (!t) return null;
      const sig = s.signals.get(t.trackId) ?? [];
      return Object.fromEntries(uses.map((u) => [u, publicState(t, s.rules, sig, u, at)])) as PublicStates;
    });
  }
}

/** Runs a load after the set's earlier loads, so two misses never load the same rules twice. */
async function serially(s: OrgSet, fn: () => Promise<void>): Promise<void> {
  const run = s.loading.then(fn);
  s.loading = run.catch(() => undefined);
  await run;
}

export type PublicStates = Partial<Record<Use, ReturnType<typeof publicState>>>;

/** Adds rule versions to the index, each once, keeping every list in effective order. */
function addRules(idx: RuleIndex, rules: ConsentRule[]): void {
  for (const [scope, byUse] of indexRules(rules)) {
    let have = idx.get(scope);
    if (!have) idx.set(scope, (have = new Map()));
    for (const [use, list] of byUse) {
      const old = have.get(use);
      if (!old) {
        have.set(use, list);
        continue;
      }
      const known = new Set(old.map((r) => r.version));
      const merged = [...old, ...list.filter((r) => !known.has(r.version))];
      have.set(use, indexRules(merged).get(scope)!.get(use)!);
    }
  }
}

function addSignals(map: Map<string, ConsentSignal[]>, signals: ConsentSignal[]): void {
  for (const sig of signals) {
    const list = map.get(sig.trackId);
    if (!list) map.set(sig.trackId, [sig]);
    else if (!list.some((x) => x.id === sig.id)) list.push(sig);
  }
}
