// Consent evaluation, pure: the most specific level decides, every rights holder must allow at
// their level, constrained terms match exactly one request shape, "as of" answers never move,
// and a partner's reservation outranks an earlier allowance but not a later decision.

import { describe, expect, it } from 'vitest';
import { checkTerms, evaluate, indexRules, publicState, type CheckQuery, type ConsentRule, type ConsentSignal, type ConsentTerm, type TrackScopes } from '../../src/consent/index.ts';
import { isLedgerlineError } from '../../src/shared/index.ts';

const T: TrackScopes = { trackId: 'track', isrc: 'GBAAA2600001', releaseId: 'release', artistId: 'artist', rightsHolderIds: ['label', 'publisher'] };
let version = 0;
function rule(level: ConsentRule['level'], scopeId: string, state: ConsentRule['state'], effectiveAt: string, terms: ConsentTerm[] = [], use: ConsentRule['use'] = 'ai_training'): ConsentRule {
  return { version: ++version, orgId: 'o', level, scopeId, use, state, terms, effectiveAt, recordedAt: effectiveAt, author: 'key:x', authorRole: 'rights_holder', authorSubject: scopeId, note: null };
}
const q = (over: Partial<CheckQuery> = {}): CheckQuery => ({ use: 'ai_training', at: '2026-06-01T00:00:00.000Z', ...over });
const decide = (rules: ConsentRule[], query: CheckQuery = q(), signals: ConsentSignal[] = []) => evaluate(T, indexRules(rules), signals, query);

describe('levels', () => {
  it('allows nothing by default: voluntary participation', () => {
    const d = decide([]);
    expect(d).toMatchObject({ allowed: false, decidedBy: { kind: 'default' } });
    expect(d.reason).toMatch(/voluntary/);
  });

  it('lets the most specific level decide: track over release over artist over rights holders', () => {
    const base = [rule('rights_holder', 'label', 'allowed', '2026-01-01T00:00:00.000Z'), rule('rights_holder', 'publisher', 'allowed', '2026-01-01T00:00:00.000Z')];
    expect(decide(base).allowed).toBe(true);
    const artistNo = [...base, rule('artist', 'artist', 'notAllowed', '2026-02-01T00:00:00.000Z')];
    expect(decide(artistNo)).toMatchObject({ allowed: false, decidedBy: { level: 'artist' } });
    const releaseYes = [...artistNo, rule('release', 'release', 'allowed', '2026-03-01T00:00:00.000Z')];
    expect(decide(releaseYes)).toMatchObject({ allowed: true, decidedBy: { level: 'release' } });
    const trackNo = [...releaseYes, rule('track', 'track', 'notAllowed', '2026-04-01T00:00:00.000Z')];
    expect(decide(trackNo)).toMatchObject({ allowed: false, decidedBy: { level: 'track' } });
    // Withdrawing the track rule hands the decision back to the release.
    const withdrawn = [...trackNo, rule('track', 'track', null, '2026-05-01T00:00:00.000Z')];
    expect(decide(withdrawn)).toMatchObject({ allowed: true, decidedBy: { level: 'release' } });
  });

  it('needs every rights holder of the track to allow at the rights-holder level', () => {
    const one = [rule('rights_holder', 'label', 'allowed', '2026-01-01T00:00:00.000Z')];
    const d = decide(one);
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/rights holder publisher has not given consent/);
    const both = [...one, rule('rights_holder', 'publisher', 'constrained', '2026-01-01T00:00:00.000Z', [{ licensees: ['acme-ai'], compensationRequired: true }])];
    expect(decide(both, q({ licensee: 'acme-ai' }))).toMatchObject({ allowed: true, compensationRequired: true });
    expect(decide(both, q({ licensee: 'other-ai' })).allowed).toBe(false);
  });

  it('lets only the artist decide voice cloning and style imitation, whatever rights holders recorded', () => {
    const voice = q({ use: 'voice_clone' });
    const byHolders = [
      rule('rights_holder', 'label', 'allowed', '2026-01-01T00:00:00.000Z', [], 'voice_clone'),
      rule('rights_holder', 'publisher', 'allowed', '2026-01-01T00:00:00.000Z', [], 'voice_clone'),
      rule('track', 'track', 'allowed', '2026-01-01T00:00:00.000Z', [], 'voice_clone'),
    ];
    const d = decide(byHolders, voice);
    expect(d).toMatchObject({ allowed: false, decidedBy: { kind: 'default' } });
    expect(d.reason).toMatch(/the artist has not given consent for voice clone, which only the artist decides/);
    const artistYes = { ...rule('artist', 'artist', 'allowed', '2026-02-01T00:00:00.000Z', [], 'voice_clone'), authorRole: 'artist' };
    expect(decide([...byHolders, artistYes], voice)).toMatchObject({ allowed: true, decidedBy: { level: 'artist' } });
  });

  it('answers as of any instant, and future-dated rules wait for their time', () => {
    const rules = [rule('track', 'track', 'allowed', '2026-01-01T00:00:00.000Z'), rule('track', 'track', 'notAllowed', '2026-07-01T00:00:00.000Z')];
    expect(decide(rules, q({ at: '2025-12-31T23:59:59.999Z' })).allowed).toBe(false);
    expect(decide(rules, q({ at: '2026-06-30T23:59:59.999Z' })).allowed).toBe(true);
    expect(decide(rules, q({ at: '2026-07-01T00:00:00.000Z' })).allowed).toBe(false);
  });
});

describe('constrained terms', () => {
  const terms: ConsentTerm[] = [
    { licensees: ['acme-ai'], territories: ['GB', 'IE'], purpose: 'research', validUntil: '2027-01-01T00:00:00.000Z' },
    { licensees: ['beta-labs'], compensationRequired: true },
  ];
  const rules = [rule('track', 'track', 'constrained', '2026-01-01T00:00:00.000Z', terms)];

  it('allows exactly the requests a term covers, and says why not otherwise', () => {
    expect(decide(rules, q({ licensee: 'acme-ai', territory: 'GB', purpose: 'research' }))).toMatchObject({ allowed: true, decidedBy: { term: 0 }, compensationRequired: false });
    expect(decide(rules, q({ licensee: 'beta-labs' }))).toMatchObject({ allowed: true, decidedBy: { term: 1 }, compensationRequired: true });
    expect(decide(rules, q({ licensee: 'acme-ai', territory: 'US', purpose: 'research' })).reason).toMatch(/territory US is not among GB, IE/);
    expect(decide(rules, q({ licensee: 'acme-ai', territory: 'GB', purpose: 'commercial' })).reason).toMatch(/limited to research use, not commercial/);
    expect(decide(rules, q({ licensee: 'acme-ai', territory: 'GB', purpose: 'research', at: '2027-01-01T00:00:00.000Z' })).reason).toMatch(/expired/);
    expect(decide(rules, q()).reason).toMatch(/no licensee was named/);
  });

  it('treats constrained without terms as not allowed', () => {
    expect(decide([rule('track', 'track', 'constrained', '2026-01-01T00:00:00.000Z', [])]).allowed).toBe(false);
  });

  it('refuses overlapping terms, unknown territories and terms that constrain nothing', () => {
    const err = (raw: unknown) => {
      try {
        checkTerms(raw);
        return 'ok';
      } catch (e) {
        return isLedgerlineError(e) ? e.code : String(e);
      }
    };
    expect(err([{ licensees: ['acme-ai'] }, { territories: ['GB'] }])).toBe('LL_CONSENT_OVERLAPPING_TERMS');
    expect(err([{ licensees: ['acme-ai'], territories: ['GB'] }, { licensees: ['acme-ai'], territories: ['FR'] }])).toBe('ok');
    expect(err([{ licensees: ['acme-ai'], validUntil: '2026-06-01T00:00:00Z' }, { licensees: ['acme-ai'], validFrom: '2026-06-01T00:00:00Z' }])).toBe('ok');
    expect(err([{ licensees: ['acme-ai'], validUntil: '2026-06-02T00:00:00Z' }, { licensees: ['acme-ai'], validFrom: '2026-06-01T00:00:00Z' }])).toBe('LL_CONSENT_OVERLAPPING_TERMS');
    expect(err([{ territories: ['UK'] }])).toBe('LL_CONSENT_BAD_TERRITORY');
    expect(err([{}])).toBe('LL_CONSENT_BAD_TERMS');
    expect(err([{ purpose: 'fun' }])).toBe('LL_CONSENT_BAD_TERMS');
    expect(err([{ licensees: ['acme-ai'], price: 3 }])).toBe('LL_CONSENT_BAD_TERMS');
  });
});

describe('partner signals', () => {
  const signal = (observedAt: string, reserved = true): ConsentSignal => ({ id: 1, trackId: 'track', use: 'ai_training', reserved, format: 'tdmrep', source: 'partner.example', rule: 'tdm-reservation 1 at /x', policy: null, observedAt });
  const allowed = [rule('track', 'track', 'allowed', '2026-01-01T00:00:00.000Z')];

  it('a reservation seen after the allowance wins; a later decision by the rights holder wins over it', () => {
    expect(decide(allowed, q(), [signal('2026-02-01T00:00:00.000Z')])).toMatchObject({ allowed: false, decidedBy: { kind: 'signal' } });
    const reconfirmed = [...allowed, rule('track', 'track', 'allowed', '2026-03-01T00:00:00.000Z')];
    expect(decide(reconfirmed, q(), [signal('2026-02-01T00:00:00.000Z')]).allowed).toBe(true);
  });

  it('a permission in a partner file grants nothing, and a reservation is not applied before it was seen', () => {
    expect(decide([], q(), [signal('2026-02-01T00:00:00.000Z', false)]).allowed).toBe(false);
    expect(decide(allowed, q({ at: '2026-01-15T00:00:00.000Z' }), [signal('2026-02-01T00:00:00.000Z')]).allowed).toBe(true);
  });

  it('feeds the public state: constrained when some licensee could be allowed', () => {
    const idx = indexRules([rule('track', 'track', 'constrained', '2026-01-01T00:00:00.000Z', [{ licensees: ['acme-ai'] }])]);
    expect(publicState(T, idx, [], 'ai_training', '2026-06-01T00:00:00.000Z').state).toBe('constrained');
    expect(publicState(T, idx, [], 'data_mining', '2026-06-01T00:00:00.000Z').state).toBe('notAllowed');
  });
});
