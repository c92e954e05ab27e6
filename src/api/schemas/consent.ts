// Schemas of the consent, licensing and DDEX routes.

import { Type } from '@sinclair/typebox';
import { LEVELS, PURPOSES, STATES, USES } from '../../consent/index.ts';

const strict = { additionalProperties: false };
const Enum = (values: readonly string[], description?: string) => Type.String({ enum: [...values], ...(description ? { description } : {}) });
const Isrc = Type.String({ minLength: 1, maxLength: 20, description: 'ISRC' });
const Instant = Type.String({ maxLength: 40, description: 'ISO 8601 instant with a time zone' });
const Use = Enum(USES);
const Json = Type.Record(Type.String(), Type.Unknown());

export const Term = Type.Object(
  {
    licensees: Type.Optional(Type.Array(Type.String({ maxLength: 63 }), { minItems: 1, maxItems: 1000 })),
    territories: Type.Optional(Type.Array(Type.String({ maxLength: 9 }), { minItems: 1, maxItems: 300 })),
    validFrom: Type.Optional(Instant),
    validUntil: Type.Optional(Instant),
    purpose: Type.Optional(Enum(PURPOSES)),
    compensationRequired: Type.Optional(Type.Boolean()),
  },
  strict,
);

export const SetConsent = Type.Object(
  {
    level: Enum(LEVELS),
    id: Type.Optional(Type.String({ maxLength: 100, description: 'id of the track, release, artist or rights holder' })),
    isrc: Type.Optional(Type.String({ maxLength: 20, description: 'for the track level, instead of id' })),
    use: Use,
    state: Enum([...STATES, 'inherit'], '"inherit" withdraws this level\'s rule'),
    terms: Type.Optional(Type.Array(Term, { maxItems: 100 })),
    effectiveAt: Type.Optional(Instant),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  strict,
);

export const Rule = Type.Object(
  {
    version: Type.Integer(),
    level: Type.String(),
    scopeId: Type.String(),
    use: Type.String(),
    state: Type.Union([Type.String(), Type.Null()]),
    terms: Type.Array(Term),
    effectiveAt: Type.String(),
    recordedAt: Type.String(),
    author: Type.String(),
    authorRole: Type.String(),
    authorSubject: Type.Union([Type.String(), Type.Null()]),
    authorKeyIssuedBy: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'who issued the key that set this version (an operator key, or cli:<user>): a rights holder key minted by an operator shows as such' })),
    note: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'ConsentRule' },
);

const CheckFields = {
  use: Use,
  licensee: Type.Optional(Type.String({ maxLength: 63 })),
  territory: Type.Optional(Type.String({ maxLength: 9 })),
  purpose: Type.Optional(Enum(PURPOSES)),
  at: Type.Optional(Instant),
};

export const CheckQuery = Type.Object({ isrc: Isrc, ...CheckFields }, strict);
export const BatchCheck = Type.Object({ isrcs: Type.Array(Type.String({ maxLength: 20 }), { minItems: 1, maxItems: 10_000 }), ...CheckFields }, strict);

export const Decision = Type.Object(
  {
    isrc: Type.String(),
    use: Type.String(),
    at: Type.String(),
    allowed: Type.Boolean(),
    decidedBy: Json,
    rules: Type.Array(Type.Integer()),
    reason: Type.String(),
    compensationRequired: Type.Boolean(),
  },
  { title: 'ConsentDecision' },
);
export const BatchResult = Type.Object({
  results: Type.Array(Type.Union([Decision, Type.Object({ isrc: Type.String(), error: Type.Object({ code: Type.String(), message: Type.String() }) })])),
});

export const IsrcQuery = Type.Object({ isrc: Isrc }, strict);
export const History = Type.Object({ track: Json, rules: Type.Array(Rule) });
export const Cawg = Type.Object({ isrc: Type.String(), at: Type.String(), label: Type.String(), data: Json }, { title: 'CawgTrainingMiningAssertion' });

export const SignalImport = Type.Object(
  {
    format: Enum(['tdmrep', 'ai.txt']),
    source: Type.String({ minLength: 1, maxLength: 200, description: 'the partner or URL the file came from' }),
    content: Type.String({ maxLength: 4 * 1024 * 1024, description: 'the tdmrep.json or ai.txt text' }),
  },
  strict,
);
export const SignalReport = Type.Object({
  format: Type.String(),
  source: Type.String(),
  rules: Type.Integer(),
  signals: Type.Integer(),
  tracks: Type.Integer(),
  unmatched: Type.Array(Type.String()),
});

export const PolicyParams = Type.Object({ org: Type.String({ maxLength: 63 }), file: Type.String({ maxLength: 40 }) }, strict);

// ---- licensing ----

export const LicenseeCreate = Type.Object({ slug: Type.String({ minLength: 2, maxLength: 63 }), name: Type.String({ minLength: 1, maxLength: 500 }) }, strict);
export const Licensee = Type.Object({ id: Type.String(), orgId: Type.String(), slug: Type.String(), name: Type.String(), createdAt: Type.String() }, { title: 'Licensee' });
const Fee = Type.Object({ currency: Type.String({ pattern: '^[A-Z]{3}$' }), amountMinor: Type.Integer({ minimum: 0 }), per: Type.Union([Type.Literal('track'), Type.Literal('dataset')]) }, strict);
export const LicenseCreate = Type.Object(
  {
    licensee: Type.String({ maxLength: 63, description: 'licensee slug or id' }),
    uses: Type.Array(Use, { minItems: 1, maxItems: 6 }),
    territories: Type.Array(Type.String({ maxLength: 9 }), { minItems: 1, maxItems: 300 }),
    purpose: Type.Optional(Type.Union([Enum(PURPOSES), Type.Null()])),
    validFrom: Type.Optional(Instant),
    validUntil: Type.Optional(Type.Union([Instant, Type.Null()])),
    fee: Type.Optional(Type.Union([Fee, Type.Null()])),
  },
  strict,
);
export const License = Type.Object(
  {
    id: Type.String(),
    orgId: Type.String(),
    licenseeId: Type.String(),
    uses: Type.Array(Type.String()),
    territories: Type.Array(Type.String()),
    purpose: Type.Union([Type.String(), Type.Null()]),
    validFrom: Type.String(),
    validUntil: Type.Union([Type.String(), Type.Null()]),
    fee: Type.Union([Fee, Type.Null()]),
    createdAt: Type.String(),
  },
  { title: 'License' },
);
export const DatasetRequest = Type.Object(
  {
    use: Use,
    territory: Type.String({ maxLength: 9 }),
    filters: Type.Optional(
      Type.Object(
        {
          genre: Type.Optional(Type.String({ maxLength: 200 })),
          minDurationMs: Type.Optional(Type.Integer({ minimum: 0 })),
          maxDurationMs: Type.Optional(Type.Integer({ minimum: 0 })),
          releasedAfter: Type.Optional(Type.String({ maxLength: 40 })),
          releasedBefore: Type.Optional(Type.String({ maxLength: 40 })),
          excludeAi: Type.Optional(Type.Boolean()),
        },
        strict,
      ),
    ),
  },
  strict,
);
const ManifestEntry = Type.Object({ isrc: Type.String(), contentHash: Type.String(), durationMs: Type.Union([Type.Integer(), Type.Null()]), consentVersion: Type.Integer() });
export const Manifest = Type.Object(
  { header: Type.Unsafe<object>(Json), signature: Type.String({ description: 'base64 Ed25519 over the canonical JSON of the header' }), entries: Type.Array(ManifestEntry) },
  { title: 'Manifest' },
);
export const DatasetAnswer = Type.Object({ manifest: Manifest, excluded: Type.Object(
    {
      notAllowed: Type.Integer({ description: 'consent does not allow this use for this licensee, territory and purpose' }),
      compensationUnpaid: Type.Integer({ description: 'consent requires compensation and the license has no fee' }),
      noIsrc: Type.Integer({ description: 'the track has no ISRC, which a manifest entry is keyed by' }),
      noAudio: Type.Integer({ description: 'the track has no audio (content hash) to commit to' }),
    },
    { description: 'every selected track left out, under its reason' },
  ),
});
export const Proof = Type.Object(
  {
    kind: Type.String(),
    isrc: Type.String(),
    header: Type.Unsafe<object>(Json),
    signature: Type.String(),
    leaves: Type.Array(Type.Object({ index: Type.Integer(), entry: ManifestEntry, path: Type.Array(Type.String()) })),
  },
  { title: 'ManifestProof' },
);
export const RunCreate = Type.Object(
  {
    modelName: Type.String({ minLength: 1, maxLength: 200 }),
    modelVersion: Type.String({ minLength: 1, maxLength: 100 }),
    startedAt: Instant,
    endedAt: Type.Optional(Type.Union([Instant, Type.Null()])),
  },
  strict,
);
export const Run = Type.Object(
  {
    id: Type.String(),
    orgId: Type.String(),
    manifestId: Type.String(),
    modelName: Type.String(),
    modelVersion: Type.String(),
    startedAt: Type.String(),
    endedAt: Type.Union([Type.String(), Type.Null()]),
    registeredAt: Type.String(),
  },
  { title: 'TrainingRun' },
);
export const Notice = Type.Object(
  {
    id: Type.Integer(),
    licensee: Type.String(),
    manifestId: Type.String(),
    isrc: Type.String(),
    use: Type.String(),
    effectiveAt: Type.String(),
    reason: Type.String(),
    createdAt: Type.String(),
    runs: Type.Array(Json),
  },
  { title: 'RevocationNotice' },
);
export const NoticeQuery = Type.Object(
  { after: Type.Integer({ minimum: 0, default: 0 }), limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) },
  strict,
);
export const PublicKey = Type.Object({ id: Type.String(), publicKeyPem: Type.String(), createdAt: Type.String() });

// ---- DDEX ----

export const DdexReport = Type.Object(
  {
    messageId: Type.String(),
    version: Type.String(),
    sender: Type.Union([Type.String(), Type.Null()]),
    releases: Type.Array(Json),
    tracks: Type.Array(Json),
    artistsCreated: Type.Integer(),
    rightsHoldersCreated: Type.Integer(),
    warnings: Type.Array(Json),
  },
  { title: 'DdexImportReport' },
);
const Dpid = Type.String({ pattern: '^PADPIDA[a-zA-Z0-9]+$', maxLength: 40 });
export const DdexExportQuery = Type.Object(
  {
    senderDpid: Dpid,
    senderName: Type.String({ minLength: 1, maxLength: 200 }),
    recipientDpid: Dpid,
    recipientName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  strict,
);
