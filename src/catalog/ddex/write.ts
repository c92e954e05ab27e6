// Writes one release as an ERN 4.3 NewReleaseMessage (Audio profile) that validates against the
// ERN 4.3 schema. ERN 4.3 has no AI-disclosure elements (they arrive in 4.3.2), so disclosure is
// carried in places 4.3 already has, and read back by ern.ts:
//  - a Release <Keywords> "ContainsAI=<All|Partly|None>" for the release and
//    "ContainsAI:<ResourceReference>=<value>" for each recording whose disclosure is known;
//  - an AI contribution as a contributor <Role> of "UserDefined" with Namespace "ledgerline"
//    and UserDefinedValue "AIContribution:<what>", DDEX's own mechanism for values outside
//    its lists.

import { LedgerlineError } from '../../shared/index.ts';
import type { Artist, ContainsAi, Release, Track } from '../types.ts';
import { DdexErrors } from './errors.ts';
import type { ErnDeal } from './types.ts';

export interface MessageParty {
  /** DDEX Party ID, PADPIDA… */
  dpid: string;
  name: string;
}

export interface ErnWriteInput {
  messageId: string;
  createdAt: string;
  sender: MessageParty;
  recipient: MessageParty;
  release: Release;
  tracks: Track[];
  /** Artists by id, for display artist names. */
  artists: Map<string, Artist>;
  deals: ErnDeal[];
}

export const AI_NAMESPACE = 'ledgerline';
const DPID = /^PADPIDA[a-zA-Z0-9]+$/;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

type Node = string | null | undefined | false | Node[];

function el(name: string, attrs: Record<string, string | undefined> | null, ...children: Node[]): string {
  const a = attrs ? Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${esc(v!)}"`).join('') : '';
  const body = children.flat(Infinity as 1).filter((c): c is string => typeof c === 'string' && c.length > 0).join('');
  return `<${name}${a}>${body}</${name}>`;
}
const t = (name: string, text: string | number, attrs: Record<string, string | undefined> | null = null) => el(name, attrs, esc(String(text)));

function duration(ms: number): string {
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Number((s % 60).toFixed(3));
  return `PT${h ? `${h}H` : ''}${m}M${sec}S`;
}

function checkParty(p: MessageParty, role: string) {
  if (!DPID.test(p.dpid)) throw new LedgerlineError(DdexErrors.INVALID, `${role} DPID "${p.dpid}" is not a DDEX Party ID (PADPIDA…)`, { role });
}

/** The 4.3 serialisation, elements in the schema's order. */
export function writeErn43(input: ErnWriteInput): string {
  checkParty(input.sender, 'sender');
  checkParty(input.recipient, 'recipient');
  const { release, tracks } = input;
  const missing = tracks.filter((tr) => !tr.isrc || tr.durationMs === null);
  if (missing.length) {
    throw new LedgerlineError(DdexErrors.INVALID, `ERN needs an ISRC and a duration for every recording; ${missing.map((m) => m.title).join(', ')} lack one`, {
      tracks: missing.map((m) => m.id),
    });
  }
  if (tracks.length === 0) throw new LedgerlineError(DdexErrors.INVALID, `release ${release.id} has no tracks to deliver`);

  const parties = new Map<string, string>();
  const partyRef = (name: string) => {
    if (!parties.has(name)) parties.set(name, `P${parties.size + 1}`);
    return parties.get(name)!;
  };
  const artistName = (id: string | null) => (id ? input.artists.get(id)?.name : undefined);
  const releaseArtist = artistName(release.artistId) ?? artistName(tracks[0]!.artistId) ?? 'Various Artists';
  const label = release.label ?? input.sender.name;
  const labelRef = partyRef(label);
  const resRef = (i: number) => `A${i + 1}`;

  const recordings = tracks.map((tr, i) => {
    const artist = artistName(tr.artistId) ?? releaseArtist;
    const contributors = tr.contributors.map((c, k) =>
      el(
        'Contributor',
        { SequenceNumber: String(k + 1) },
        t('ContributorPartyReference', partyRef(c.name)),
        c.roles.map((r) => (KNOWN_ROLES.has(r) ? t('Role', r) : t('Role', 'UserDefined', { Namespace: AI_NAMESPACE, UserDefinedValue: r }))),
        (c.aiContribution ?? []).map((what) => t('Role', 'UserDefined', { Namespace: AI_NAMESPACE, UserDefinedValue: `AIContribution:${what}` })),
      ),
    );
    return el(
      'SoundRecording',
      null,
      t('ResourceReference', resRef(i)),
      t('Type', 'MusicalWorkSoundRecording'),
      el('SoundRecordingEdition', null, el('ResourceId', null, t('ISRC', tr.isrc!)), tr.pLine ? el('PLine', null, t('PLineText', tr.pLine)) : null),
      t('DisplayTitleText', tr.title),
      el('DisplayTitle', { ApplicableTerritoryCode: 'Worldwide', IsDefault: 'true' }, t('TitleText', tr.title)),
      t('DisplayArtistName', artist, { ApplicableTerritoryCode: 'Worldwide', IsDefault: 'true' }),
      el('DisplayArtist', { SequenceNumber: '1' }, t('ArtistPartyReference', partyRef(artist)), t('DisplayArtistRole', 'MainArtist')),
      contributors,
      t('Duration', duration(tr.durationMs!)),
      t('ParentalWarningType', 'NoAdviceAvailable'),
    );
  });

  const disclosure = (v: ContainsAi | null, ref?: string) => (v ? t('Keywords', ref ? `ContainsAI:${ref}=${v}` : `ContainsAI=${v}`) : null);
  const genre = release.genre ?? tracks.find((tr) => tr.genre)?.genre ?? 'Unclassified';
  const totalMs = tracks.reduce((s, tr) => s + tr.durationMs!, 0);
  const releaseEl = el(
    'Release',
    null,
    t('ReleaseReference', 'R0'),
    t('ReleaseType', tracks.length === 1 ? 'Single' : tracks.length <= 6 ? 'EP' : 'Album'),
    el('ReleaseId', null, release.grid ? t('GRid', release.grid) : null, release.icpn ? t('ICPN', release.icpn) : null, !release.grid && !release.icpn ? t('ProprietaryId', release.id, { Namespace: 'DPID:' + input.sender.dpid }) : null),
    t('DisplayTitleText', release.title),
    el('DisplayTitle', { ApplicableTerritoryCode: 'Worldwide', IsDefault: 'true' }, t('TitleText', release.title)),
    t('DisplayArtistName', releaseArtist, { ApplicableTerritoryCode: 'Worldwide', IsDefault: 'true' }),
    el('DisplayArtist', { SequenceNumber: '1' }, t('ArtistPartyReference', partyRef(releaseArtist)), t('DisplayArtistRole', 'MainArtist')),
    t('ReleaseLabelReference', labelRef, { ApplicableTerritoryCode: 'Worldwide' }),
    release.pLine ? el('PLine', null, t('PLineText', release.pLine)) : null,
    t('Duration', duration(totalMs)),
    el('Genre', { ApplicableTerritoryCode: 'Worldwide' }, t('GenreText', genre)),
    release.releaseDate ? t('ReleaseDate', release.releaseDate, { ApplicableTerritoryCode: 'Worldwide' }) : null,
    t('ParentalWarningType', 'NoAdviceAvailable'),
    t('IsMultiArtistCompilation', 'false'),
    el(
      'ResourceGroup',
      null,
      tracks.map((_, i) => el('ResourceGroupContentItem', null, t('SequenceNumber', i + 1), t('ReleaseResourceReference', resRef(i)))),
    ),
    disclosure(release.containsAi),
    tracks.map((tr, i) => disclosure(tr.containsAi, resRef(i))),
  );

  const deals = input.deals.length
    ? el(
        'DealList',
        null,
        el(
          'ReleaseDeal',
          null,
          t('DealReleaseReference', 'R0'),
          input.deals.map((d) =>
            el(
              'Deal',
              null,
              el(
                'DealTerms',
                null,
                // The schema allows a list of territories or, meaning worldwide, a list of exclusions.
                d.excludedTerritories.length && (d.territories.length === 0 || d.territories.includes('Worldwide'))
                  ? d.excludedTerritories.map((c) => t('ExcludedTerritoryCode', c))
                  : (d.territories.length ? d.territories : ['Worldwide']).map((c) => t('TerritoryCode', c)),
                el('ValidityPeriod', null, t('StartDate', d.validFrom ?? input.createdAt.slice(0, 10)), d.validUntil ? t('EndDate', d.validUntil) : null),
                d.commercialModels.map((c) => t('CommercialModelType', c)),
                d.useTypes.map((u) => t('UseType', u)),
              ),
            ),
          ),
        ),
      )
    : null;

  const partyList = el(
    'PartyList',
    null,
    [...parties].map(([name, ref]) => el('Party', null, t('PartyReference', ref), el('PartyName', null, t('FullName', name)))),
  );
  const header = el(
    'MessageHeader',
    null,
    t('MessageThreadId', input.messageId),
    t('MessageId', input.messageId),
    el('MessageSender', null, t('PartyId', input.sender.dpid), el('PartyName', null, t('FullName', input.sender.name))),
    el('MessageRecipient', null, t('PartyId', input.recipient.dpid), el('PartyName', null, t('FullName', input.recipient.name))),
    t('MessageCreatedDateTime', input.createdAt),
    t('MessageControlType', 'LiveMessage'),
  );
  const resourceList = el('ResourceList', null, recordings);
  const releaseList = el('ReleaseList', null, releaseEl);
  const root = el(
    'ern:NewReleaseMessage',
    {
      'xmlns:ern': 'http://ddex.net/xml/ern/43',
      'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      'xsi:schemaLocation': 'http://ddex.net/xml/ern/43 http://ddex.net/xml/ern/43/release-notification.xsd',
      ReleaseProfileVersionId: 'Audio',
      LanguageAndScriptCode: 'en',
      AvsVersionId: '3',
    },
    header,
    partyList,
    resourceList,
    releaseList,
    deals,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

/** Contributor roles of the ERN 4.3 allowed-value set written as they are; others go as UserDefined values. */
const KNOWN_ROLES = new Set([
  'Artist',
  'Arranger',
  'Composer',
  'Conductor',
  'Engineer',
  'Lyricist',
  'Mixer',
  'MasteringEngineer',
  'MixingEngineer',
  'RecordingEngineer',
  'Remixer',
  'Orchestra',
  'Soloist',
  'Vocalist',
  'Ensemble',
  'Choir',
  'Performer',
]);
