// Catalog request and response bodies.

import { Type } from '@sinclair/typebox';
import { CONTAINS_AI, RIGHTS_HOLDER_KINDS } from '../../catalog/index.ts';
import { PageQuery, Uuid } from './common.ts';

const Name = Type.String({ minLength: 1, maxLength: 500 });
const Title = Type.String({ minLength: 1, maxLength: 1000 });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const strict = { additionalProperties: false } as const;

export const Organisation = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String(), createdAt: Timestamp }, { title: 'Organisation' });
export const OrganisationPatch = Type.Object({ name: Name }, strict);

export const Artist = Type.Object(
  { id: Uuid, orgId: Uuid, name: Type.String(), verified: Type.Boolean(), createdAt: Timestamp, updatedAt: Timestamp },
  { title: 'Artist' },
);
export const ArtistCreate = Type.Object({ name: Name, verified: Type.Optional(Type.Boolean()) }, strict);
export const ArtistPatch = Type.Partial(ArtistCreate, strict);

const RightsHolderKind = Type.Union(RIGHTS_HOLDER_KINDS.map((k) => Type.Literal(k)));
export const RightsHolder = Type.Object(
  {
    id: Uuid,
    orgId: Uuid,
    name: Type.String(),
    kind: RightsHolderKind,
    ipi: Type.Union([Type.String(), Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'RightsHolder' },
);
export const RightsHolderCreate = Type.Object(
  { name: Name, kind: RightsHolderKind, ipi: Type.Optional(Nullable(Type.String({ pattern: '^\\s*\\d[\\d\\s]{8,12}$', description: 'IPI name number' }))) },
  strict,
);
export const RightsHolderPatch = Type.Partial(RightsHolderCreate, strict);

const ContainsAi = Type.String({ enum: [...CONTAINS_AI] });
const Contributor = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 500 }),
    roles: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
    aiContribution: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50, description: 'what AI contributed (ERN 4.3.2)' })),
  },
  { additionalProperties: false },
);

export const Release = Type.Object(
  {
    id: Uuid,
    orgId: Uuid,
    title: Type.String(),
    artistId: Type.Union([Uuid, Type.Null()]),
    icpn: Type.Union([Type.String(), Type.Null()]),
    grid: Type.Union([Type.String(), Type.Null()]),
    releaseDate: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    genre: Type.Union([Type.String(), Type.Null()]),
    label: Type.Union([Type.String(), Type.Null()]),
    pLine: Type.Union([Type.String(), Type.Null()]),
    containsAi: Type.Union([ContainsAi, Type.Null()]),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Release' },
);
export const ReleaseCreate = Type.Object(
  {
    title: Title,
    artistId: Type.Optional(Nullable(Uuid)),
    icpn: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    grid: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    releaseDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
    genre: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    label: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
    pLine: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
    containsAi: Type.Optional(Nullable(ContainsAi)),
  },
  strict,
);
export const ReleasePatch = Type.Partial(ReleaseCreate, strict);

export const Track = Type.Object(
  {
    id: Uuid,
    orgId: Uuid,
    title: Type.String(),
    artistId: Type.Union([Uuid, Type.Null()]),
    releaseId: Type.Union([Uuid, Type.Null()]),
    isrc: Type.Union([Type.String(), Type.Null()]),
    iswc: Type.Union([Type.String(), Type.Null()]),
    durationMs: Type.Union([Type.Integer(), Type.Null()]),
    contentHash: Type.Union([Type.String(), Type.Null()]),
    genre: Type.Union([Type.String(), Type.Null()]),
    pLine: Type.Union([Type.String(), Type.Null()]),
    containsAi: Type.Union([ContainsAi, Type.Null()], { description: 'ERN 4.3.2 AI disclosure' }),
    contributors: Type.Array(Contributor),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'Track' },
);
export const TrackCreate = Type.Object(
  {
    title: Title,
    artistId: Type.Optional(Nullable(Uuid)),
    releaseId: Type.Optional(Nullable(Uuid)),
    isrc: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    iswc: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    durationMs: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 86_400_000 }), Type.Null()])),
    contentHash: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
    genre: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
    pLine: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 500 }))),
    containsAi: Type.Optional(Nullable(ContainsAi)),
    contributors: Type.Optional(Type.Array(Contributor, { maxItems: 200 })),
  },
  strict,
);
export const TrackPatch = Type.Partial(TrackCreate, strict);
export const TrackQuery = Type.Composite([PageQuery, Type.Object({ isrc: Type.Optional(Type.String({ maxLength: 20 })) })], strict);

const Share = Type.Object({
  rightsHolderId: Uuid,
  role: Type.Union([Type.String(), Type.Null()]),
  percent: Type.String({ description: 'Exact decimal percent, up to 4 decimals' }),
});
export const Splits = Type.Object({ trackId: Uuid, master: Type.Array(Share), publishing: Type.Array(Share) }, { title: 'Splits' });
export const SplitInput = Type.Object(
  {
    shares: Type.Array(
      Type.Object(
        {
          rightsHolderId: Uuid,
          percent: Type.Union([Type.String({ maxLength: 12 }), Type.Number({ minimum: 0, maximum: 100 })]),
          role: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
        },
        strict,
      ),
      { maxItems: 200 },
    ),
  },
  strict,
);
export const SplitParams = Type.Object({ id: Type.String({ maxLength: 100 }), kind: Type.Union([Type.Literal('master'), Type.Literal('publishing')]) }, strict);

export const Deal = Type.Object(
  {
    territories: Type.Array(Type.String()),
    excludedTerritories: Type.Array(Type.String()),
    validFrom: Type.Union([Type.String(), Type.Null()]),
    validUntil: Type.Union([Type.String(), Type.Null()]),
    useTypes: Type.Array(Type.String()),
    commercialModels: Type.Array(Type.String()),
  },
  { title: 'ReleaseDeal' },
);
