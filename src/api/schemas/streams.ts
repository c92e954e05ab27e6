// Stream ingest reports, artificial-streaming findings, listeners' rights and private aggregates.

import { Type } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const IngestReport = Type.Object({
  received: Type.Integer(),
  accepted: Type.Integer({ description: 'new events stored' }),
  duplicates: Type.Integer({ description: 'events whose event id was already held (or repeated in the batch): ignored' }),
  unknownIsrcs: Type.Object({ count: Type.Integer(), sample: Type.Array(Type.String()) }, { description: 'kept, and reported: the catalog holds no track of these ISRCs' }),
  errors: Type.Array(Type.Object({ line: Type.Integer(), error: Type.String() }), { description: 'lines not taken; the rest of the batch was' }),
});

export const Finding = Type.Object({
  id: Type.String(),
  kind: Type.String({ description: 'dense_block, lockstep, low_and_slow, continuous_play or just_over_30s' }),
  status: Type.String({ description: 'open, cleared (its streams count again) or confirmed' }),
  periodFrom: Type.String(),
  periodTo: Type.String(),
  accounts: Type.Array(Type.String(), { description: 'listener pseudonyms' }),
  tracks: Type.Array(Type.String(), { description: 'ISRCs' }),
  streams: Type.Integer(),
  evidence: Type.Record(Type.String(), Type.Unknown()),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

export const Findings = Type.Array(Finding);
export const Reviewed = Type.Composite([
  Finding,
  Type.Object({
    released: Type.Optional(
      Type.Array(
        Type.Union([
          Type.Object({ period: Type.String(), postedIn: Type.String({ description: 'the month the release was posted in (the next open one when the period is closed)' }), currency: Type.String(), amount: Type.Integer({ description: 'minor units' }) }),
          Type.Object({ period: Type.String(), failed: Type.String({ description: 'why the month could not be released now; `royalties release` can do it later' }) }),
        ]),
        { description: "a cleared finding: what its streams had withheld, released to the holders, month by month" },
      ),
    ),
  }),
]);
export const ScanBody = Type.Object({ from: Type.String({ description: 'start of the period (date or ISO 8601), inclusive' }), to: Type.String({ description: 'end of the period, exclusive' }) });
export const ScanReport = Type.Object({ findings: Type.Array(Finding), flaggedEventIds: Type.Array(Type.String()) });
export const FindingsQuery = Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('cleared'), Type.Literal('confirmed')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) });
export const ReviewBody = Type.Object({ decision: Type.Union([Type.Literal('clear'), Type.Literal('confirm')]), note: Type.Optional(Type.String({ maxLength: 2000 })) });

export const ListenerBody = Type.Object({ listener: Type.String({ minLength: 1, maxLength: 256, description: 'the identifier the service knows the listener by; hashed at once, never stored' }) });
export const ListenerExport = Type.Object({
  pseudonyms: Type.Array(Type.String()),
  events: Type.Array(Type.Object({ eventId: Type.String(), isrc: Type.String(), startedAt: Type.String(), msPlayed: Type.Integer(), country: Nullable(Type.String()), service: Type.String(), context: Nullable(Type.String()) })),
  consents: Type.Array(Type.Object({ purpose: Type.String(), state: Type.String(), updatedAt: Type.String() })),
  findings: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), status: Type.String(), periodFrom: Type.String(), periodTo: Type.String() })),
  defaults: Type.Record(Type.String(), Type.String()),
});
export const ErasureReport = Type.Object({ found: Type.Boolean(), eventsErased: Type.Integer(), findingsUnlinked: Type.Integer() });
export const ConsentBody = Type.Object({ listener: Type.String({ minLength: 1, maxLength: 256 }), purpose: Type.String(), allowed: Type.Boolean() });
export const ConsentAnswer = Type.Object({ purpose: Type.String(), state: Type.String() });

export const AudienceBody = Type.Object({
  recipient: Type.String({ minLength: 1, maxLength: 200, description: 'who receives the release; its ε budget is per calendar month' }),
  isrcs: Type.Array(Type.String(), { minItems: 1, maxItems: 1000 }),
  countries: Type.Array(Type.String(), { minItems: 1, maxItems: 250 }),
  from: Type.String(),
  to: Type.String(),
  epsilon: Type.Number({ exclusiveMinimum: 0, maximum: 10 }),
});
export const AudienceRelease = Type.Object({
  epsilon: Type.Number(),
  sensitivity: Type.Integer(),
  noiseScale: Type.Number({ description: 'scale of the discrete Laplace noise in every count' }),
  suppressedBelow: Type.Integer(),
  cells: Type.Array(Type.Object({ isrc: Type.String(), country: Type.String(), listeners: Type.Union([Type.Integer(), Type.Null()]) })),
  budget: Type.Object({ recipient: Type.String(), month: Type.String(), spent: Type.Number(), limit: Type.Number() }),
});
