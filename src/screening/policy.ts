// The screening policy: which signals, at which severity, lead to which decision. A policy is
// a versioned document (JSON or YAML); every decision records the version it was made under, and a
// new policy never rewrites old decisions — screening again makes a new one.

import { parse as parseYaml } from 'yaml';
import { LedgerlineError } from '../shared/index.ts';
import { ScreeningErrors } from './errors.ts';
import { DECISIONS, INFORMATIONAL_SIGNALS, SEVERITIES, SIGNAL_NAMES, decisionRank, severityRank, type ScreeningDecision, type Severity, type Signal, type SignalName } from './types.ts';

export interface PolicyRule {
  signal: SignalName;
  /** The rule applies to signals at least this severe (default: any). */
  minSeverity?: Severity;
  decision: ScreeningDecision;
}

export interface Policy {
  version: string;
  /** The decision when no rule applies. */
  default: ScreeningDecision;
  rules: PolicyRule[];
}

export interface PolicyOutcome {
  decision: ScreeningDecision;
  policyVersion: string;
  /** Each rule that applied: its index, and the signal it applied to. */
  applied: { rule: number; signal: SignalName; decision: ScreeningDecision }[];
}

function bad(message: string, details: Record<string, unknown> = {}): LedgerlineError {
  return new LedgerlineError(ScreeningErrors.BAD_POLICY, message, details);
}

/** Checks a policy document, naming the first thing wrong with it. */
export function checkPolicy(doc: unknown): Policy {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw bad('a policy is a JSON object with version, default and rules');
  const o = doc as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!['version', 'default', 'rules', 'description'].includes(k)) throw bad(`unknown field "${k}"`, { field: k });
  if (typeof o.version !== 'string' || !/^[\w.:-]{1,64}$/.test(o.version)) throw bad('version must be a short name (letters, digits, . : - _)');
  if (!DECISIONS.includes(o.default as ScreeningDecision)) throw bad(`default must be one of ${DECISIONS.join(', ')}`);
  if (!Array.isArray(o.rules)) throw bad('rules must be a list');
  const rules = o.rules.map((raw, i): PolicyRule => {
    const r = raw as Record<string, unknown>;
    if (!r || typeof r !== 'object') throw bad(`rule ${i} is not an object`, { rule: i });
    for (const k of Object.keys(r)) if (!['signal', 'minSeverity', 'decision'].includes(k)) throw bad(`rule ${i}: unknown field "${k}"`, { rule: i });
    if (!SIGNAL_NAMES.includes(r.signal as SignalName)) throw bad(`rule ${i}: unknown signal "${String(r.signal)}"`, { rule: i });
    if (r.minSeverity !== undefined && !SEVERITIES.includes(r.minSeverity as Severity)) throw bad(`rule ${i}: minSeverity must be one of ${SEVERITIES.join(', ')}`, { rule: i });
    if (!DECISIONS.includes(r.decision as ScreeningDecision)) throw bad(`rule ${i}: decision must be one of ${DECISIONS.join(', ')}`, { rule: i });
    // A match too weak to act on can be shown, labelled or kept out of recommendations; taking
    // a person's upload down or holding it on chance agreement is what this signal exists to prevent.
    if (INFORMATIONAL_SIGNALS.includes(r.signal as SignalName) && decisionRank(r.decision as ScreeningDecision) > decisionRank('suppress_recommendations')) {
      throw bad(`rule ${i}: ${String(r.signal)} only informs; its decision can be at most suppress_recommendations`, { rule: i });
    }
    return { signal: r.signal as SignalName, decision: r.decision as ScreeningDecision, ...(r.minSeverity ? { minSeverity: r.minSeverity as Severity } : {}) };
  });
  return { version: o.version, default: o.default as ScreeningDecision, rules };
}

/** The strongest decision among the rules that apply to the signals, or the policy's default. */
export function applyPolicy(policy: Policy, signals: readonly Signal[]): PolicyOutcome {
  const applied: PolicyOutcome['applied'] = [];
  let decision = policy.default;
  policy.rules.forEach((rule, i) => {
    for (const s of signals) {
      if (s.name !== rule.signal || severityRank(s.severity) < severityRank(rule.minSeverity ?? 'info')) continue;
      applied.push({ rule: i, signal: s.name, decision: rule.decision });
      if (decisionRank(rule.decision) > decisionRank(decision)) decision = rule.decision;
    }
  });
  return { decision, policyVersion: policy.version, applied };
}

/**
 * The policy ledgerline ships with. It rejects only what is certain (a whole copy of a catalog
 * recording, silence, an imitation the artist refused), holds for a person what may be an
 * impostor or undisclosed AI, and keeps spam out of recommendations rather than deleting it.
 */
export const DEFAULT_POLICY: Policy = checkPolicy({
  version: 'ledgerline-default-1',
  default: 'accept',
  rules: [
    { signal: 'duplicate', minSeverity: 'high', decision: 'reject' },
    { signal: 'duplicate', minSeverity: 'medium', decision: 'hold_for_review' },
    { signal: 'other_artist_audio', minSeverity: 'medium', decision: 'hold_for_review' },
    { signal: 'unverified_to_verified', decision: 'hold_for_review' },
    { signal: 'name_imitation', minSeverity: 'high', decision: 'hold_for_review' },
    { signal: 'name_imitation', minSeverity: 'medium', decision: 'suppress_recommendations' },
    { signal: 'ai_undisclosed', minSeverity: 'medium', decision: 'hold_for_review' },
    { signal: 'ai_disclosed', decision: 'label' },
    { signal: 'imitation_without_consent', decision: 'reject' },
    { signal: 'mass_upload', minSeverity: 'high', decision: 'hold_for_review' },
    { signal: 'mass_upload', minSeverity: 'medium', decision: 'suppress_recommendations' },
    { signal: 'same_audio_other_titles', minSeverity: 'medium', decision: 'hold_for_review' },
    { signal: 'keyword_stuffed_title', decision: 'suppress_recommendations' },
    { signal: 'artist_stuffed_title', decision: 'hold_for_review' },
    { signal: 'artificially_short', decision: 'suppress_recommendations' },
    { signal: 'silence', minSeverity: 'high', decision: 'reject' },
    { signal: 'noise', decision: 'hold_for_review' },
    { signal: 'short_loop', decision: 'hold_for_review' },
  ],
});

/** Reads a policy file (JSON); the deployment's policy when LEDGERLINE_POLICY names one. */
/**
 * Reads a policy file: YAML when its name ends in .yaml or .yml, JSON otherwise (JSON is YAML
 * too, but a JSON file gets JSON's error messages). YAML is read as plain data: no custom tags,
 * a bounded number of aliases, so a hostile file cannot expand without limit.
 */
export function readPolicy(text: string, file: string): Policy {
  let doc: unknown;
  if (/\.ya?ml$/i.test(file)) {
    try {
      doc = parseYaml(text, { schema: 'core', maxAliasCount: 50, uniqueKeys: true });
    } catch (e) {
      throw new LedgerlineError(ScreeningErrors.BAD_POLICY, `${file}: not YAML: ${(e as Error).message}`, { file });
    }
  } else {
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new LedgerlineError(ScreeningErrors.BAD_POLICY, `${file}: not JSON: ${(e as Error).message}`, { file });
    }
  }
  return checkPolicy(doc);
}
