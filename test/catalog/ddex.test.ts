// DDEX ERN: the standard's real samples read, our 4.3.2 and 3.8 fixtures imported with AI
// disclosure, hostile XML refused before anything expands, a release written as ERN 4.3 that
// libxml2 (xmllint-wasm) validates against the 4.3 schema, and a fuzz over mutated samples.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDdex, importDdex, readErn } from '../../src/catalog/ddex/index.ts';
import * as catalog from '../../src/catalog/index.ts';
import { isLedgerlineError, seededRandom, systemClock } from '../../src/shared/index.ts';
import { validateXml } from '../helpers/tools.ts';
import { BILLION_LAUGHS, ern38, ern432, XXE } from '../helpers/ddex.ts';
import { openTestStore, type TestStore } from '../helpers/store.ts';

const DDEX = resolve(process.env.LEDGERLINE_DDEX ?? join(import.meta.dirname, '../../../shared/ddex'));
const sample = (name: string) => readFileSync(join(DDEX, name));
const XSD = join(DDEX, 'xsd43/release-notification.xsd');

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isLedgerlineError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

describe('reading ERN', () => {
  it('reads the standard ERN 4.3 audio sample: release, label, recordings, contributors, deals', () => {
    const m = readErn(sample('ern43/1_audio.xml'));
    expect(m.version).toBe('4.3');
    expect(m.messageId).toBe('Test1.1');
    expect(m.releases).toHaveLength(1);
    const rel = m.releases[0]!;
    expect(rel).toMatchObject({ title: 'Yume no Hajmari', icpn: '0094631432057', label: 'EMI MUSIC JAPAN INC.', genre: 'J-Pop', releaseType: 'Album' });
    expect(rel.recordings).toHaveLength(21);
    expect(rel.deals[0]).toMatchObject({ territories: ['JP'], validFrom: '2004-04-01' });
    const first = m.recordings.find((r) => r.reference === 'A1')!;
    expect(first).toMatchObject({ isrc: 'JPTO09404900', title: 'Yume no Lullaby', durationMs: 148_000, pLine: '(P) 1994 EMI Music Japan Inc.', displayArtist: 'Saeko Shu' });
    expect(first.contributors[0]).toMatchObject({ name: 'Saeko Shu', roles: ['MainArtist', 'Artist'] });
  });

  it('reads every real sample, 4.3 and 3.8.1, without failing; bad identifiers become warnings with their line', () => {
    for (const f of ['1_audio', '2_video', '3_mixedmedia', '4_simpleaudiosingle', '5_simplevideosingle', '6_ringtone', '7_longformmusicalworkvideo', '8_djmix', 'variant_classical']) {
      expect(readErn(sample(`ern43/${f}.xml`)).version).toBe('4.3');
    }
    const mixed = readErn(sample('ern43/3_mixedmedia.xml'));
    expect(mixed.warnings).toContainEqual(expect.objectContaining({ element: 'ICPN', line: 897 }));
    const old = readErn(sample('ern381/instance1.xml'));
    expect(old.version).toBe('3.8.1');
    expect(old.warnings.some((w) => w.element === 'ISRC' && /not an ISRC/.test(w.message))).toBe(true);
  });

  it('reports the version a message was sent in, and reads ERN 3.7 and 4.1.1/4.2 as well', () => {
    const v43 = sample('ern43/4_simpleaudiosingle.xml').toString('utf8');
    for (const [ns, version] of [['42', '4.2'], ['411', '4.1.1'], ['41', '4.1']] as const) {
      const m = readErn(v43.replaceAll('http://ddex.net/xml/ern/43', `http://ddex.net/xml/ern/${ns}`));
      expect(m.version).toBe(version);
      expect(m.releases.length).toBeGreaterThan(0);
    }
    // ERN 3.7, still the most delivered version: the 3.x structure, read in full.
    const v37 = readErn(ern38().replaceAll('ern/382', 'ern/37'));
    expect(v37.version).toBe('3.7');
    expect(v37.releases[0]).toMatchObject({ title: 'Salt Road', icpn: '5012345678900', label: 'Harbour Sounds' });
    expect(v37.recordings[0]).toMatchObject({ isrc: 'GBHRB2600001', displayArtist: 'Iona Marsh' });
    expect(code(() => readErn(ern38().replaceAll('ern/382', 'ern/33')))).toMatch(/^LL_DDEX_UNSUPPORTED: .*is not ERN 3.4-3.8 or 4.x/);
  });

  it('reads an ERN 3.8 release: details by territory, contributors, Usage/UseType deals', () => {
    const m = readErn(ern38());
    expect(m.version).toBe('3.8.2');
    expect(m.releases[0]).toMatchObject({ title: 'Salt Road', icpn: '5012345678900', label: 'Harbour Sounds', releaseDate: '2026-09-01', genre: 'Folk' });
    expect(m.releases[0]!.deals[0]).toMatchObject({ territories: ['GB', 'IE'], useTypes: ['PermanentDownload'], commercialModels: ['PayAsYouGoModel'] });
    expect(m.recordings[0]).toMatchObject({ isrc: 'GBHRB2600001', durationMs: 195_000, displayArtist: 'Iona Marsh' });
    expect(m.recordings[0]!.contributors).toContainEqual({ name: 'Kit Lowe', roles: ['Producer'] });
  });

  it('reads ERN 4.3.2 AI disclosure on the release, the recordings and the contributors', () => {
    const m = readErn(
      ern432({
        containsAi: 'Partly',
        tracks: [
          { isrc: 'GBNWR2600001', title: 'Drift', seconds: 200, containsAi: 'Partly', aiContribution: ['Vocals', 'PostProduction'] },
          { isrc: 'GBNWR2600002', title: 'Shore', seconds: 180, containsAi: 'None' },
        ],
      }),
    );
    expect(m.releases[0]!.containsAi).toBe('Partly');
    expect(m.recordings.map((r) => r.containsAi)).toEqual(['Partly', 'None']);
    expect(m.recordings[0]!.contributors).toContainEqual({ name: 'Sam Okafor', roles: ['Composer'], aiContribution: ['Vocals', 'PostProduction'] });
  });
});

describe('hostile and invalid XML', () => {
  it('refuses a DTD before parsing: billion laughs and external entities never expand', () => {
    expect(code(() => readErn(BILLION_LAUGHS))).toMatch(/^LL_DDEX_DTD: line 2: <!DOCTYPE>/);
    expect(code(() => readErn(XXE))).toMatch(/^LL_DDEX_DTD/);
    expect(code(() => readErn('<?xml version="1.0"?>\n<a><!ENTITY x "y"></a>'))).toMatch(/^LL_DDEX_DTD: line 2/);
  });

  it('refuses a message over the size limit, malformed XML with its line, and a document that is not ERN', () => {
    expect(code(() => readErn(sample('ern43/1_audio.xml'), 10_000))).toMatch(/^LL_DDEX_TOO_LARGE/);
    expect(code(() => readErn('<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43">\n<MessageHeader>\n</Oops>'))).toMatch(/^LL_DDEX_MALFORMED: line 3/);
    expect(code(() => readErn('<html/>'))).toMatch(/^LL_DDEX_UNSUPPORTED/);
    expect(code(() => readErn('<ern:PurgeReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"/>'))).toMatch(/^LL_DDEX_UNSUPPORTED: line 1: <PurgeReleaseMessage>/);
  });

  it('names the element and line when well-formed XML is not a valid ERN message', () => {
    const noList = ern432({ tracks: [{ isrc: 'GBNWR2600001', title: 'Drift', seconds: 200 }] }).replace(/<ReleaseList>[\s\S]*<\/ReleaseList>/, '');
    expect(code(() => readErn(noList))).toMatch(/^LL_DDEX_INVALID: line 2: <NewReleaseMessage> has no <ReleaseList>/);
    const noRef = ern432({ tracks: [{ isrc: 'GBNWR2600001', title: 'Drift', seconds: 200 }] }).replace('<ResourceReference>A1</ResourceReference>', '');
    expect(code(() => readErn(noRef))).toMatch(/^LL_DDEX_INVALID: line \d+: <SoundRecording> has no <ResourceReference>/);
  });

  it('fuzz: 300 mutated samples give a message or a LL_DDEX error, never a crash', () => {
    const rand = seededRandom(4242);
    const bases = [sample('ern43/4_simpleaudiosingle.xml').subarray(0, 60_000), Buffer.from(ern432({ tracks: [{ isrc: 'GBNWR2600001', title: 'Drift', seconds: 200 }] })), Buffer.from(ern38())];
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const b = Buffer.from(bases[i % bases.length]!);
      const edits = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < edits; k++) {
        const at = Math.floor(rand() * b.length);
        const op = rand();
        if (op < 0.4) b[at] = Math.floor(rand() * 256);
        else if (op < 0.7) b[at] = '<>/&"='.charCodeAt(Math.floor(rand() * 6));
        else b.fill(0x20, at, Math.min(b.length, at + Math.floor(rand() * 40)));
      }
      try {
        readErn(b);
      } catch (e) {
        if (!isLedgerlineError(e) || !e.code.startsWith('LL_DDEX_')) throw e;
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(50);
  });
});

describe('importing and writing', () => {
  let ts: TestStore;
  const deps = () => ({ store: ts.store, clock: systemClock });
  let orgId = '';
  beforeAll(async () => {
    ts = await openTestStore('pglite');
    orgId = (await catalog.createOrganisation(deps(), 'test', { slug: 'northwind', name: 'Northwind' })).id;
  });
  afterAll(async () => ts.cleanup());

  it('imports a release with AI disclosure and deals; importing it again updates in place', async () => {
    const xml = ern432({ containsAi: 'Partly', tracks: [{ isrc: 'GBNWR2600001', title: 'Drift', seconds: 200, containsAi: 'Partly', aiContribution: ['Vocals'] }, { isrc: 'GBNWR2600002', title: 'Shore', seconds: 180 }] });
    const caller = { orgId, actor: 'test' };
    const first = await importDdex(deps(), caller, xml);
    expect(first.tracks.map((t) => [t.isrc, t.created, t.containsAi])).toEqual([
      ['GBNWR2600001', true, 'Partly'],
      ['GBNWR2600002', true, null],
    ]);
    expect(first).toMatchObject({ artistsCreated: 1, rightsHoldersCreated: 1 });
    const again = await importDdex(deps(), caller, xml);
    expect(again.tracks.every((t) => !t.created)).toBe(true);
    expect(again.releases[0]!.id).toBe(first.releases[0]!.id);
    const track = await catalog.getTrack(deps(), caller, first.tracks[0]!.id);
    expect(track).toMatchObject({ containsAi: 'Partly', genre: 'Electronic', durationMs: 200_000 });
    expect(track.contributors).toEqual([
      { name: 'Nova Reyes', roles: ['MainArtist'] },
      { name: 'Sam Okafor', roles: ['Composer'], aiContribution: ['Vocals'] },
    ]);
    const splits = await catalog.getSplits(deps(), caller, track.id);
    expect(splits.master).toHaveLength(1);
    expect(splits.master[0]!.sharePpm).toBe(1_000_000);
    expect(await ts.store.repos.catalog.listDeals(orgId, first.releases[0]!.id)).toEqual([
      { territories: [], excludedTerritories: ['KP'], validFrom: '2026-10-30', validUntil: null, useTypes: ['Stream'], commercialModels: ['SubscriptionModel'] },
    ]);
  });

  it('writes the release as ERN 4.3 that validates against the 4.3 schema and reads back with its AI disclosure', async () => {
    const caller = { orgId, actor: 'test' };
    const [release] = await catalog.listReleases(deps(), caller, { limit: 10, offset: 0 });
    const xml = await exportDdex(deps(), caller, release!.id, { sender: { dpid: 'PADPIDA2014120301X', name: 'Northwind' }, recipient: { dpid: 'PADPIDA2009101501Y', name: 'A DSP' } });
    expect(await validateXml(xml, XSD, ['allowed-value-sets.xsd'])).toEqual([]);
    // The validator does reject: the same message with the release's title removed.
    expect(await validateXml(xml.replace(/<DisplayTitleText[^>]*>[^<]*<\/DisplayTitleText>/, ''), XSD, ['allowed-value-sets.xsd'])).not.toEqual([]);
    const back = readErn(xml);
    expect(back.releases[0]).toMatchObject({ title: 'Low Tide', icpn: '4006381333931', containsAi: 'Partly', label: 'Northwind Records' });
    expect(back.recordings.map((r) => [r.isrc, r.containsAi])).toEqual([
      ['GBNWR2600001', 'Partly'],
      ['GBNWR2600002', null],
    ]);
    expect(back.recordings[0]!.contributors).toContainEqual({ name: 'Sam Okafor', roles: ['Composer'], aiContribution: ['Vocals'] });
  });

  it('refuses to write without valid DDEX party ids', async () => {
    const caller = { orgId, actor: 'test' };
    const [release] = await catalog.listReleases(deps(), caller, { limit: 10, offset: 0 });
    await expect(exportDdex(deps(), caller, release!.id, { sender: { dpid: 'nope', name: 'x' }, recipient: { dpid: 'PADPIDA2009101501Y', name: 'y' } })).rejects.toThrow(/sender DPID "nope"/);
  });
});
