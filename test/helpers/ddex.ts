// ERN messages made by code for the edge cases the real samples do not cover: ERN 4.3.2 AI
// disclosure (no public sample exists), a realistic ERN 3.8 release, and hostile XML.

export interface FixtureTrack {
  isrc: string;
  title: string;
  seconds: number;
  containsAi?: 'All' | 'Partly' | 'None';
  aiContribution?: string[];
}

export function ern432(opts: { messageId?: string; icpn?: string; label?: string; artist?: string; containsAi?: string; tracks: FixtureTrack[] }): string {
  const artist = opts.artist ?? 'Nova Reyes';
  const label = opts.label ?? 'Northwind Records';
  const recs = opts.tracks
    .map(
      (t, i) => `
    <SoundRecording>
      <ResourceReference>A${i + 1}</ResourceReference>
      <Type>MusicalWorkSoundRecording</Type>
      <SoundRecordingEdition><ResourceId><ISRC>${t.isrc}</ISRC></ResourceId><PLine><Year>2026</Year><PLineText>(P) 2026 ${label}</PLineText></PLine></SoundRecordingEdition>
      <DisplayTitleText>${t.title}</DisplayTitleText>
      <DisplayTitle IsDefault="true"><TitleText>${t.title}</TitleText></DisplayTitle>
      <DisplayArtistName IsDefault="true">${artist}</DisplayArtistName>
      <DisplayArtist SequenceNumber="1"><ArtistPartyReference>PArtist</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist>
      <Contributor SequenceNumber="1"><ContributorPartyReference>PProducer</ContributorPartyReference><Role>Composer</Role>${(t.aiContribution ?? []).map((a) => `<AIContribution>${a}</AIContribution>`).join('')}</Contributor>
      <Duration>PT${Math.floor(t.seconds / 60)}M${t.seconds % 60}S</Duration>
      <ParentalWarningType>NotExplicit</ParentalWarningType>
      ${t.containsAi ? `<ContainsAI>${t.containsAi}</ContainsAI>` : ''}
    </SoundRecording>`,
    )
    .join('');
  const items = opts.tracks.map((_, i) => `<ResourceGroupContentItem><SequenceNumber>${i + 1}</SequenceNumber><ReleaseResourceReference>A${i + 1}</ReleaseResourceReference></ResourceGroupContentItem>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/432" ReleaseProfileVersionId="Audio" LanguageAndScriptCode="en">
  <MessageHeader>
    <MessageId>${opts.messageId ?? 'LL-TEST-1'}</MessageId>
    <MessageSender><PartyId>PADPIDA2014120301X</PartyId><PartyName><FullName>${label}</FullName></PartyName></MessageSender>
    <MessageRecipient><PartyId>PADPIDA2009101501Y</PartyId></MessageRecipient>
    <MessageCreatedDateTime>2026-11-01T10:00:00Z</MessageCreatedDateTime>
  </MessageHeader>
  <PartyList>
    <Party><PartyReference>PArtist</PartyReference><PartyName><FullName>${artist}</FullName></PartyName></Party>
    <Party><PartyReference>PProducer</PartyReference><PartyName><FullName>Sam Okafor</FullName></PartyName></Party>
    <Party><PartyReference>PLabel</PartyReference><PartyName><FullName>${label}</FullName></PartyName></Party>
  </PartyList>
  <ResourceList>${recs}
  </ResourceList>
  <ReleaseList>
    <Release>
      <ReleaseReference>R0</ReleaseReference>
      <ReleaseType>Album</ReleaseType>
      <ReleaseId><ICPN>${opts.icpn ?? '4006381333931'}</ICPN></ReleaseId>
      <DisplayTitleText>Low Tide</DisplayTitleText>
      <DisplayTitle IsDefault="true"><TitleText>Low Tide</TitleText></DisplayTitle>
      <DisplayArtistName IsDefault="true">${artist}</DisplayArtistName>
      <DisplayArtist SequenceNumber="1"><ArtistPartyReference>PArtist</ArtistPartyReference><DisplayArtistRole>MainArtist</DisplayArtistRole></DisplayArtist>
      <ReleaseLabelReference>PLabel</ReleaseLabelReference>
      <Genre><GenreText>Electronic</GenreText></Genre>
      <ReleaseDate>2026-10-30</ReleaseDate>
      <ParentalWarningType>NotExplicit</ParentalWarningType>
      <ResourceGroup>${items}</ResourceGroup>
      ${opts.containsAi ? `<ContainsAI>${opts.containsAi}</ContainsAI>` : ''}
    </Release>
  </ReleaseList>
  <DealList>
    <ReleaseDeal>
      <DealReleaseReference>R0</DealReleaseReference>
      <Deal><DealTerms><ExcludedTerritoryCode>KP</ExcludedTerritoryCode><ValidityPeriod><StartDate>2026-10-30</StartDate></ValidityPeriod><CommercialModelType>SubscriptionModel</CommercialModelType><UseType>Stream</UseType></DealTerms></Deal>
    </ReleaseDeal>
  </DealList>
</ern:NewReleaseMessage>
`;
}

export function ern38(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/382" MessageSchemaVersionId="ern/382">
  <MessageHeader>
    <MessageId>LL38-1</MessageId>
    <MessageSender><PartyId>PADPIDA2014120301X</PartyId><PartyName><FullName>Harbour Sounds</FullName></PartyName></MessageSender>
    <MessageRecipient><PartyId>PADPIDA2009101501Y</PartyId></MessageRecipient>
    <MessageCreatedDateTime>2026-11-01T10:00:00Z</MessageCreatedDateTime>
  </MessageHeader>
  <ResourceList>
    <SoundRecording>
      <SoundRecordingType>MusicalWorkSoundRecording</SoundRecordingType>
      <SoundRecordingId><ISRC>GB-HRB-26-00001</ISRC></SoundRecordingId>
      <ResourceReference>A1</ResourceReference>
      <ReferenceTitle><TitleText>Salt Road</TitleText></ReferenceTitle>
      <Duration>PT3M15S</Duration>
      <SoundRecordingDetailsByTerritory>
        <TerritoryCode>Worldwide</TerritoryCode>
        <DisplayArtist><PartyName><FullName>Iona Marsh</FullName></PartyName><ArtistRole>MainArtist</ArtistRole></DisplayArtist>
        <ResourceContributor><PartyName><FullName>Kit Lowe</FullName></PartyName><ResourceContributorRole>Producer</ResourceContributorRole></ResourceContributor>
        <PLine><Year>2026</Year><PLineText>(P) 2026 Harbour Sounds</PLineText></PLine>
        <Genre><GenreText>Folk</GenreText></Genre>
      </SoundRecordingDetailsByTerritory>
    </SoundRecording>
  </ResourceList>
  <ReleaseList>
    <Release IsMainRelease="true">
      <ReleaseId><ICPN>5012345678900</ICPN></ReleaseId>
      <ReleaseReference>R0</ReleaseReference>
      <ReferenceTitle><TitleText>Salt Road</TitleText></ReferenceTitle>
      <ReleaseResourceReferenceList><ReleaseResourceReference>A1</ReleaseResourceReference></ReleaseResourceReferenceList>
      <ReleaseType>Single</ReleaseType>
      <ReleaseDetailsByTerritory>
        <TerritoryCode>Worldwide</TerritoryCode>
        <DisplayArtistName>Iona Marsh</DisplayArtistName>
        <LabelName>Harbour Sounds</LabelName>
        <Title TitleType="DisplayTitle"><TitleText>Salt Road</TitleText></Title>
        <Genre><GenreText>Folk</GenreText></Genre>
        <OriginalReleaseDate>2026-09-01</OriginalReleaseDate>
      </ReleaseDetailsByTerritory>
    </Release>
  </ReleaseList>
  <DealList>
    <ReleaseDeal>
      <DealReleaseReference>R0</DealReleaseReference>
      <Deal><DealTerms><CommercialModelType>PayAsYouGoModel</CommercialModelType><Usage><UseType>PermanentDownload</UseType></Usage><TerritoryCode>GB</TerritoryCode><TerritoryCode>IE</TerritoryCode><ValidityPeriod><StartDate>2026-09-01</StartDate></ValidityPeriod></DealTerms></Deal>
    </ReleaseDeal>
  </DealList>
</ern:NewReleaseMessage>
`;
}

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"><MessageHeader><MessageId>&lol9;</MessageId></MessageHeader></ern:NewReleaseMessage>`;

export const XXE = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"><MessageHeader><MessageId>&xxe;</MessageId></MessageHeader></ern:NewReleaseMessage>`;
