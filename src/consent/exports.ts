// What AI developers' crawlers and tools read: the CAWG training-and-data-mining assertion per
// track (CAWG Training and Data Mining Assertion 1.x, label "cawg.training-mining"), W3C TDMRep
// (Community Group Final Report, 2024: /.well-known/tdmrep.json plus an ODRL policy per track),
// and a Spawning-style ai.txt. All are derived from the same rules as the checks, so they
// cannot disagree with them.
//
// A track's public location is /catalog/<org slug>/<ISRC>; operators serve its files there or
// map their own paths onto it.

import { normaliseIsrc } from '../catalog/index.ts';
import { LedgerlineError } from '../shared/index.ts';
import { ConsentErrors } from './errors.ts';
import type { ConsentDeps } from './service.ts';
import { scopePages } from './store.ts';
import type { ConsentRule, ConsentTerm, Use } from './types.ts';
import type { PublicStates } from './view.ts';

export const CAWG_ENTRIES: Record<string, Use> = {
  'cawg.ai_training': 'ai_training',
  'cawg.ai_generative_training': 'generative_training',
  'cawg.ai_inference': 'inference',
  'cawg.data_mining': 'data_mining',
};
const CAWG_USES = Object.values(CAWG_ENTRIES);
/** Text and data mining in the EU sense covers training: TDMRep lifts its reservation only when all three are allowed. */
const TDM_USES: readonly Use[] = ['data_mining', 'ai_training', 'generative_training'];

export interface OrgRef {
  id: string;
  slug: string;
}

export const trackLocation = (org: string, isrc: string) => `/catalog/${org}/${isrc}`;
export const policyPath = (org: string, isrc: string) => `/tdm/policies/${org}/${isrc}.json`;

function describeTerm(t: ConsentTerm): string {
  const parts: string[] = [];
  if (t.licensees) parts.push(`licensees ${t.licensees.join(', ')}`);
  if (t.territories) parts.push(`territories ${t.territories.join(', ')}`);
  if (t.validFrom || t.validUntil) parts.push(`from ${t.validFrom ?? 'any time'} until ${t.validUntil ?? 'further notice'}`);
  if (t.purpose) parts.push(`${t.purpose} use only`);
  if (t.compensationRequired) parts.push('compensation required');
  return parts.join('; ');
}

function constraintInfo(rules: ConsentRule[]): string {
  return rules
    .flatMap((r) => r.terms.map((t) => describeTerm(t)))
    .map((s, i) => `(${i + 1}) ${s}`)
    .join(' or ');
}

async function statesOf(deps: ConsentDeps, orgId: string, isrc: string, uses: readonly Use[], at: string): Promise<PublicStates> {
  const [s] = await deps.view.states(orgId, [isrc], uses, at);
  if (!s) throw new LedgerlineError(ConsentErrors.UNKNOWN_ISRC, `no track with ISRC ${isrc}`, { isrc });
  return s;
}

/** The CAWG training-and-data-mining assertion for one track, as a C2PA manifest would carry it. */
export async function cawgAssertion(deps: ConsentDeps, orgId: string, rawIsrc: string, checkUrl: string) {
  const isrc = normaliseIsrc(rawIsrc);
  const at = deps.clock.now().toISOString();
  const states = await statesOf(deps, orgId, isrc, CAWG_USES, at);
  const entries: Record<string, { use: string; constraint_info?: string }> = {};
  for (const [entry, use] of Object.entries(CAWG_ENTRIES)) {
    const s = states[use]!;
    entries[entry] = s.state === 'constrained' ? { use: 'constrained', constraint_info: `${constraintInfo(s.rules)}. Check a request at ${checkUrl}` } : { use: s.state };
  }
  return { isrc, at, label: 'cawg.training-mining', data: { entries } };
}

/** Walks every track with an ISRC of the given organisations, a page at a time. */
async function* eachTrack(deps: ConsentDeps, orgs: OrgRef[], uses: readonly Use[], at: string) {
  for (const org of orgs) {
    for await (const page of scopePages(deps.store.repos.consent, org.id)) {
      const isrcs = page.map((t) => t.isrc);
      const states = await deps.view.states(org.id, isrcs, uses, at);
      for (let i = 0; i < page.length; i++) if (states[i]) yield { org, isrc: isrcs[i]!, states: states[i]! };
    }
  }
}

type TdmRule = { location: string; 'tdm-reservation': 0 | 1; 'tdm-policy'?: string };

/** /.well-known/tdmrep.json: one rule per track, most specific first, then a reservation on everything else. */
export async function tdmrepFile(deps: ConsentDeps, orgs: OrgRef[], baseUrl: string): Promise<TdmRule[]> {
  const at = deps.clock.now().toISOString();
  const rules: TdmRule[] = [];
  for await (const t of eachTrack(deps, orgs, TDM_USES, at)) {
    const states = TDM_USES.map((u) => t.states[u]!.state);
    const location = trackLocation(t.org.slug, t.isrc);
    if (states.every((s) => s === 'allowed')) rules.push({ location, 'tdm-reservation': 0 });
    else if (states.some((s) => s !== 'notAllowed')) rules.push({ location, 'tdm-reservation': 1, 'tdm-policy': `${baseUrl}${policyPath(t.org.slug, t.isrc)}` });
    else rules.push({ location, 'tdm-reservation': 1 });
  }
  rules.push({ location: '/catalog/*', 'tdm-reservation': 1 });
  return rules;
}

const ODRL_CONSTRAINTS = (t: ConsentTerm) => {
  const c: Record<string, unknown>[] = [];
  if (t.licensees) c.push({ leftOperand: 'recipient', operator: 'isAnyOf', rightOperand: t.licensees });
  if (t.territories) c.push({ leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: t.territories });
  if (t.validFrom) c.push({ leftOperand: 'dateTime', operator: 'gteq', rightOperand: { '@value': t.validFrom, '@type': 'xsd:dateTime' } });
  if (t.validUntil) c.push({ leftOperand: 'dateTime', operator: 'lt', rightOperand: { '@value': t.validUntil, '@type': 'xsd:dateTime' } });
  if (t.purpose) c.push({ leftOperand: 'purpose', operator: 'eq', rightOperand: t.purpose });
  return c;
};

/** The ODRL offer (TDMRep profile) for one track: a permission per allowing term of each TDM use. */
export async function tdmPolicy(deps: ConsentDeps, org: OrgRef, rawIsrc: string, baseUrl: string) {
  const isrc = normaliseIsrc(rawIsrc);
  const at = deps.clock.now().toISOString();
  const states = await statesOf(deps, org.id, isrc, TDM_USES, at);
  const target = `${baseUrl}${trackLocation(org.slug, isrc)}`;
  const permission: Record<string, unknown>[] = [];
  const prohibition: Record<string, unknown>[] = [];
  for (const use of TDM_USES) {
    const s = states[use]!;
    const purpose = `ledgerline:${use}`;
    if (s.state === 'notAllowed') prohibition.push({ target, action: 'tdm:mine', 'ledgerline:use': purpose });
    else if (s.state === 'allowed') permission.push({ target, action: 'tdm:mine', 'ledgerline:use': purpose });
    else {
      for (const r of s.rules) {
        for (const term of r.terms) {
          const constraint = ODRL_CONSTRAINTS(term);
          permission.push({
            target,
            action: 'tdm:mine',
            'ledgerline:use': purpose,
            ...(constraint.length ? { constraint } : {}),
            ...(term.compensationRequired ? { duty: [{ action: 'compensate' }] } : {}),
          });
        }
      }
    }
  }
  return {
    '@context': ['http://www.w3.org/ns/odrl.jsonld', { tdm: 'http://www.w3.org/ns/tdmrep#', ledgerline: `${baseUrl}/ns#`, xsd: 'http://www.w3.org/2001/XMLSchema#' }],
    '@type': 'Offer',
    profile: 'http://www.w3.org/ns/tdmrep',
    uid: `${baseUrl}${policyPath(org.slug, isrc)}`,
    assigner: { uid: `${baseUrl}/catalog/${org.slug}` },
    ...(permission.length ? { permission } : {}),
    ...(prohibition.length ? { prohibition } : {}),
  };
}

/** ai.txt: robots.txt syntax; a track is open to AI crawlers only when every AI use is allowed outright. */
export async function aiTxt(deps: ConsentDeps, orgs: OrgRef[]): Promise<string> {
  const at = deps.clock.now().toISOString();
  const lines = [`# ai.txt generated by ledgerline at ${at}`, '# Consent is voluntary: anything not listed under Allow is reserved.', 'User-Agent: *'];
  const uses = [...CAWG_USES, 'voice_clone', 'style_imitation'] as const;
  for await (const t of eachTrack(deps, orgs, uses, at)) {
    const open = uses.every((u) => t.states[u]!.state === 'allowed');
    lines.push(`${open ? 'Allow' : 'Disallow'}: ${trackLocation(t.org.slug, t.isrc)}`);
  }
  lines.push('Disallow: /catalog/', '');
  return lines.join('\n');
}
