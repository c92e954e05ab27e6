// Reads ERN 3.x (3.4 to 3.8, the 3.7 that most partners still deliver included) and 4.x
// NewReleaseMessages (DDEX Electronic Release Notification) into one
// shape. Structure the standard requires (header, message id, resource and release lists,
// references that resolve) is checked and a violation names the element and its line.
// Identifier values that fail their own standard's check (ISRC ISO 3901, ICPN GS1, GRid) are
// dropped with a warning rather than failing the message: partners' feeds carry such values and
// the rest of the release is still worth having.
// ERN 4.3.2's AI disclosure is read where the 4.3 structure puts it: <ContainsAI> on a Release
// or SoundRecording, <AIContribution> (or <AIContributionType>) on a Contributor.

import { LedgerlineError } from '../../shared/index.ts';
import { normaliseGrid, normaliseIcpn, normaliseIsrc } from '../identifiers.ts';
import { CONTAINS_AI, type ContainsAi, type Contributor } from '../types.ts';
import { DdexErrors } from './errors.ts';
import type { ErnDeal, ErnMessage, ErnRecording, ErnRelease, ErnWarning } from './types.ts';
import { at, descendants, kid, kids, parseXml, textAt, type XmlElement } from './xml.ts';

const ERN4 = /^http:\/\/ddex\.net\/xml\/ern\/4\d+$/;
/** 3.4 to 3.8.x share the structure read38 reads (details by territory, Usage/UseType deals). */
const ERN3 = /^http:\/\/ddex\.net\/xml\/ern\/3[4-8]\d*$/;

/**
 * The version a message says it is: MessageSchemaVersionId ("ern/411") where given, else the
 * namespace ("…/ern/42"); the digits are major, minor and revision ("4.1.1", "4.2", "3.7").
 */
function versionOf(root: XmlElement): string {
  const digits = /^\/?ern\/(\d{2,3})$/.exec(root.attrs.MessageSchemaVersionId ?? '')?.[1] ?? /\/ern\/(\d+)$/.exec(root.ns)![1]!;
  return digits.split('').join('.');
}

function invalid(el: XmlElement, message: string): LedgerlineError {
  return new LedgerlineError(DdexErrors.INVALID, `line ${el.line}: <${el.name}> ${message}`, { element: el.name, line: el.line });
}

function required(parent: XmlElement, name: string): XmlElement {
  const el = kid(parent, name);
  if (!el) throw invalid(parent, `has no <${name}>`);
  return el;
}

function requiredText(parent: XmlElement, ...path: string[]): string {
  const t = textAt(parent, ...path);
  if (!t) throw invalid(parent, `has no ${path.map((p) => `<${p}>`).join(' ')}`);
  return t;
}

class Reader {
  readonly warnings: ErnWarning[] = [];

  warn(el: XmlElement, message: string) {
    if (this.warnings.length < 500) this.warnings.push({ line: el.line, element: el.name, message });
  }

  /** Runs an identifier check; on failure keeps a warning and returns null. */
  ident(el: XmlElement | undefined, check: (raw: string) => string): string | null {
    if (!el?.text) return null;
    try {
      return check(el.text);
    } catch (e) {
      this.warn(el, `${(e as Error).message}; left out`);
      return null;
    }
  }

  /** ISO 8601 duration of a recording (PT#H#M#S) in milliseconds. */
  duration(el: XmlElement | undefined): number | null {
    if (!el?.text) return null;
    const m = /^P(?:0+Y)?(?:0+M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(el.text);
    if (!m || el.text === 'P' || el.text.endsWith('T')) {
      this.warn(el, `"${el.text}" is not a recording duration (PT#H#M#S); left out`);
      return null;
    }
    const ms = (((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
    if (ms > 86_400_000) {
      this.warn(el, `"${el.text}" is longer than a day; left out`);
      return null;
    }
    return Math.round(ms);
  }

  containsAi(el: XmlElement | undefined): ContainsAi | null {
    if (!el?.text) return null;
    if ((CONTAINS_AI as readonly string[]).includes(el.text)) return el.text as ContainsAi;
    this.warn(el, `ContainsAI "${el.text}" is not All, Partly or None; left out`);
    return null;
  }

  date(el: XmlElement | undefined): string | null {
    if (!el?.text) return null;
    const m = /^(\d{4}-\d{2}-\d{2})/.exec(el.text);
    if (m && !Number.isNaN(Date.parse(m[1]!))) return m[1]!;
    if (/^\d{4}$/.test(el.text)) return `${el.text}-01-01`;
    this.warn(el, `"${el.text}" is not a date; left out`);
    return null;
  }

  deals(dealList: XmlElement | undefined): Map<string, ErnDeal[]> {
    const out = new Map<string, ErnDeal[]>();
    for (const rd of kids(dealList, 'ReleaseDeal')) {
      const refs = kids(rd, 'DealReleaseReference').map((r) => r.text);
      if (refs.length === 0) throw invalid(rd, 'has no <DealReleaseReference>');
      for (const deal of kids(rd, 'Deal')) {
        const terms = kid(deal, 'DealTerms');
        if (!terms) continue;
        const period = kid(terms, 'ValidityPeriod');
        const d: ErnDeal = {
          territories: kids(terms, 'TerritoryCode').map((t) => t.text),
          excludedTerritories: kids(terms, 'ExcludedTerritoryCode').map((t) => t.text),
          validFrom: this.date(kid(period, 'StartDate') ?? kid(period, 'StartDateTime')),
          validUntil: this.date(kid(period, 'EndDate') ?? kid(period, 'EndDateTime')),
          useTypes: [...kids(terms, 'UseType'), ...kids(kid(terms, 'Usage'), 'UseType')].map((u) => u.text),
          commercialModels: kids(terms, 'CommercialModelType').map((c) => c.text),
        };
        for (const ref of refs) out.set(ref, [...(out.get(ref) ?? []), d]);
      }
    }
    return out;
  }
}

/** Folds the same person appearing as display artist and contributor into one entry. */
function addContributor(list: Contributor[], name: string | undefined, roles: string[], ai: string[] = []) {
  if (!name) return;
  const have = list.find((c) => c.name === name);
  if (have) {
    for (const r of roles) if (!have.roles.includes(r)) have.roles.push(r);
    if (ai.length) have.aiContribution = [...new Set([...(have.aiContribution ?? []), ...ai])];
  } else list.push({ name, roles: [...new Set(roles)], ...(ai.length ? { aiContribution: [...new Set(ai)] } : {}) });
}

const AI_ROLE = 'AIContribution:';
const defaultOf = (els: XmlElement[]) => (els.find((e) => e.attrs.IsDefault === 'true') ?? els[0])?.text || null;
const aiOf = (el: XmlElement) => [...kids(el, 'AIContribution'), ...kids(el, 'AIContributionType')].map((e) => e.text).filter(Boolean);

/** The schema requires the element, not a value: an empty MessageId is valid ERN. */
function messageId(header: XmlElement): string {
  return required(header, 'MessageId').text;
}

function read4(root: XmlElement, rd: Reader): Omit<ErnMessage, 'version' | 'namespace' | 'warnings'> {
  const header = required(root, 'MessageHeader');
  const parties = new Map<string, string>();
  for (const p of kids(kid(root, 'PartyList'), 'Party')) {
    const ref = textAt(p, 'PartyReference');
    const name = textAt(p, 'PartyName', 'FullName');
    if (ref && name) parties.set(ref, name);
  }
  const party = (ref: string | undefined) => (ref ? parties.get(ref) : undefined);
  const recordings: ErnRecording[] = kids(required(root, 'ResourceList'), 'SoundRecording').map((sr) => {
    const edition = kid(sr, 'SoundRecordingEdition');
    const contributors: Contributor[] = [];
    for (const da of kids(sr, 'DisplayArtist')) addContributor(contributors, party(textAt(da, 'ArtistPartyReference')), kids(da, 'DisplayArtistRole').map((r) => r.text));
    for (const c of kids(sr, 'Contributor')) {
      const roles = kids(c, 'Role');
      const own = roles.filter((r) => !(r.text === 'UserDefined' && r.attrs.UserDefinedValue?.startsWith(AI_ROLE)));
      const ai = roles.filter((r) => !own.includes(r)).map((r) => r.attrs.UserDefinedValue!.slice(AI_ROLE.length));
      addContributor(contributors, party(textAt(c, 'ContributorPartyReference')), own.map((r) => (r.text === 'UserDefined' && r.attrs.UserDefinedValue ? r.attrs.UserDefinedValue : r.text)), [...aiOf(c), ...ai]);
    }
    return {
      reference: requiredText(sr, 'ResourceReference'),
      isrc: rd.ident(at(edition, 'ResourceId', 'ISRC') ?? at(sr, 'ResourceId', 'ISRC'), normaliseIsrc),
      title: textAt(sr, 'DisplayTitleText') ?? textAt(sr, 'DisplayTitle', 'TitleText') ?? requiredText(sr, 'ResourceReference'),
      displayArtist: defaultOf(kids(sr, 'DisplayArtistName')),
      contributors,
      durationMs: rd.duration(kid(sr, 'Duration')),
      pLine: textAt(edition, 'PLine', 'PLineText') ?? textAt(sr, 'PLine', 'PLineText') ?? null,
      genre: textAt(sr, 'Genre', 'GenreText') ?? null,
      containsAi: rd.containsAi(kid(sr, 'ContainsAI')),
      line: sr.line,
    };
  });
  const deals = rd.deals(kid(root, 'DealList'));
  const releases: ErnRelease[] = kids(required(root, 'ReleaseList'), 'Release').map((r) => {
    const reference = requiredText(r, 'ReleaseReference');
    // ERN 4.3 messages written by ledgerline carry disclosure in Keywords (see write.ts).
    let keyed: ContainsAi | null = null;
    for (const k of kids(r, 'Keywords')) {
      const m = /^ContainsAI(?::(.+))?=(All|Partly|None)$/.exec(k.text);
      if (!m) continue;
      const rec = m[1] ? recordings.find((x) => x.reference === m[1]) : undefined;
      if (!m[1]) keyed = m[2] as ContainsAi;
      else if (rec && !rec.containsAi) rec.containsAi = m[2] as ContainsAi;
    }
    return {
      reference,
      title: textAt(r, 'DisplayTitleText') ?? textAt(r, 'DisplayTitle', 'TitleText') ?? requiredText(r, 'DisplayTitleText'),
      displayArtist: defaultOf(kids(r, 'DisplayArtistName')),
      icpn: rd.ident(at(r, 'ReleaseId', 'ICPN'), normaliseIcpn),
      grid: rd.ident(at(r, 'ReleaseId', 'GRid'), normaliseGrid),
      releaseType: textAt(r, 'ReleaseType') ?? null,
      label: party(textAt(r, 'ReleaseLabelReference')) ?? null,
      pLine: textAt(r, 'PLine', 'PLineText') ?? null,
      genre: textAt(r, 'Genre', 'GenreText') ?? null,
      releaseDate: rd.date(kid(r, 'ReleaseDate') ?? kid(r, 'OriginalReleaseDate')),
      containsAi: rd.containsAi(kid(r, 'ContainsAI')) ?? keyed,
      recordings: descendants(r, 'ReleaseResourceReference').map((x) => x.text),
      deals: deals.get(reference) ?? [],
      line: r.line,
    };
  });
  return { messageId: messageId(header), sender: textAt(header, 'MessageSender', 'PartyName', 'FullName') ?? textAt(header, 'MessageSender', 'PartyId') ?? null, releases, recordings };
}

function read38(root: XmlElement, rd: Reader): Omit<ErnMessage, 'version' | 'namespace' | 'warnings'> {
  const header = required(root, 'MessageHeader');
  const byTerritory = (el: XmlElement, name: string) => {
    const all = kids(el, name);
    return all.find((d) => kids(d, 'TerritoryCode').some((t) => t.text === 'Worldwide')) ?? all[0];
  };
  const recordings: ErnRecording[] = kids(required(root, 'ResourceList'), 'SoundRecording').map((sr) => {
    const d = byTerritory(sr, 'SoundRecordingDetailsByTerritory');
    const contributors: Contributor[] = [];
    for (const da of kids(d, 'DisplayArtist')) addContributor(contributors, textAt(da, 'PartyName', 'FullName'), kids(da, 'ArtistRole').map((r) => r.text));
    for (const c of [...kids(d, 'ResourceContributor'), ...kids(d, 'IndirectResourceContributor')]) {
      addContributor(contributors, textAt(c, 'PartyName', 'FullName'), [...kids(c, 'ResourceContributorRole'), ...kids(c, 'IndirectResourceContributorRole')].map((r) => r.text));
    }
    return {
      reference: requiredText(sr, 'ResourceReference'),
      isrc: rd.ident(at(sr, 'SoundRecordingId', 'ISRC'), normaliseIsrc),
      title: textAt(sr, 'ReferenceTitle', 'TitleText') ?? textAt(d, 'Title', 'TitleText') ?? requiredText(sr, 'ReferenceTitle', 'TitleText'),
      displayArtist: textAt(d, 'DisplayArtistName') ?? textAt(d, 'DisplayArtist', 'PartyName', 'FullName') ?? null,
      contributors,
      durationMs: rd.duration(kid(sr, 'Duration')),
      pLine: textAt(d, 'PLine', 'PLineText') ?? null,
      genre: textAt(d, 'Genre', 'GenreText') ?? null,
      containsAi: null,
      line: sr.line,
    };
  });
  const deals = rd.deals(kid(root, 'DealList'));
  const all = kids(required(root, 'ReleaseList'), 'Release');
  const flagged = all.filter((r) => r.attrs.IsMainRelease === 'true');
  const main = flagged.length ? flagged : all.filter((r) => textAt(r, 'ReleaseType') !== 'TrackRelease');
  const releases: ErnRelease[] = main.map((r) => {
    const reference = requiredText(r, 'ReleaseReference');
    const d = byTerritory(r, 'ReleaseDetailsByTerritory');
    return {
      reference,
      title: textAt(r, 'ReferenceTitle', 'TitleText') ?? textAt(d, 'Title', 'TitleText') ?? requiredText(r, 'ReferenceTitle', 'TitleText'),
      displayArtist: textAt(d, 'DisplayArtistName') ?? null,
      icpn: rd.ident(at(r, 'ReleaseId', 'ICPN'), normaliseIcpn),
      grid: rd.ident(at(r, 'ReleaseId', 'GRid'), normaliseGrid),
      releaseType: textAt(r, 'ReleaseType') ?? null,
      label: textAt(d, 'LabelName') ?? null,
      pLine: textAt(r, 'PLine', 'PLineText') ?? textAt(d, 'PLine', 'PLineText') ?? null,
      genre: textAt(d, 'Genre', 'GenreText') ?? null,
      releaseDate: rd.date(kid(d, 'OriginalReleaseDate') ?? kid(r, 'GlobalOriginalReleaseDate') ?? kid(r, 'OriginalReleaseDate')),
      containsAi: null,
      recordings: kids(kid(r, 'ReleaseResourceReferenceList'), 'ReleaseResourceReference').map((x) => x.text),
      deals: deals.get(reference) ?? [],
      line: r.line,
    };
  });
  return { messageId: messageId(header), sender: textAt(header, 'MessageSender', 'PartyName', 'FullName') ?? textAt(header, 'MessageSender', 'PartyId') ?? null, releases, recordings };
}

export function readErn(xml: string | Uint8Array, limit?: number): ErnMessage {
  const root = parseXml(xml, limit);
  const is4 = ERN4.test(root.ns);
  if (!is4 && !ERN3.test(root.ns)) {
    throw new LedgerlineError(DdexErrors.UNSUPPORTED, `line ${root.line}: root <${root.name}> in namespace "${root.ns || '(none)'}" is not ERN 3.4-3.8 or 4.x`, { element: root.name, line: root.line });
  }
  if (root.name !== 'NewReleaseMessage') throw new LedgerlineError(DdexErrors.UNSUPPORTED, `line ${root.line}: <${root.name}> is not a NewReleaseMessage`, { element: root.name, line: root.line });
  const rd = new Reader();
  const body = is4 ? read4(root, rd) : read38(root, rd);
  const refs = new Set(body.recordings.map((r) => r.reference));
  for (const rel of body.releases) rel.recordings = rel.recordings.filter((ref) => refs.has(ref));
  return { version: versionOf(root), namespace: root.ns, ...body, warnings: rd.warnings };
}
