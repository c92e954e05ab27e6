// Revenue, allocation, payouts, statements and the ledger check.

import { Type } from '@sinclair/typebox';

const Ppm = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const Period = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
const Minor = Type.Integer({ description: 'integer minor units (cents)' });

export const RevenueBody = Type.Object({
  source: Type.Union([Type.Literal('streams'), Type.Literal('licence'), Type.Literal('output')]),
  period: Period,
  currency: Type.String({ minLength: 3, maxLength: 3 }),
  amountMinor: Minor,
  key: Type.Optional(Type.String({ maxLength: 200 })),
  service: Type.Optional(Type.String({ maxLength: 64 })),
  territory: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
  method: Type.Optional(Type.Union([Type.Literal('pro_rata'), Type.Literal('user_centric')])),
  licenceId: Type.Optional(Type.String()),
  outputId: Type.Optional(Type.String()),
  publishingPpm: Type.Optional(Ppm),
  masterPpm: Type.Optional(Ppm),
  commissionPpm: Type.Optional(Ppm),
  commissionFixed: Type.Optional(Minor),
  by: Type.Optional(Type.Union([Type.Literal('equal'), Type.Literal('duration')])),
});
export const Revenue = Type.Object({ id: Type.String(), key: Type.String(), source: Type.String(), period: Type.String(), currency: Type.String(), amountMinor: Minor, payer: Type.String(), details: Type.Record(Type.String(), Type.Unknown()), createdAt: Type.String() });
/** The API takes batches of up to 10,000 reports (the CLI's files up to 50,000): parsing a body holds the event loop. */
export const MAX_API_REVENUE_BATCH = 10_000;
export const RevenueBatchBody = Type.Object({ reports: Type.Array(RevenueBody, { minItems: 1, maxItems: MAX_API_REVENUE_BATCH }) });
export const RevenueBatch = Type.Object({
  recorded: Type.Integer({ description: 'reports recorded now' }),
  alreadyRecorded: Type.Integer({ description: 'reports whose key was recorded before (nothing booked again)' }),
  ids: Type.Array(Type.String(), { description: "each report's revenue id, in the order given" }),
});
export const PeriodBody = Type.Object({ period: Period });
export const PeriodParams = Type.Object({ period: Period });
const Totals = Type.Object({ amount: Minor, commission: Minor, payable: Minor, withheld: Minor, suspense: Minor });
export const AllocationReport = Type.Object({ period: Type.String(), revenues: Type.Integer(), allocated: Type.Integer(), totals: Type.Record(Type.String(), Totals) });
export const Closed = Type.Object({ period: Type.String(), closedAt: Type.String() });
export const PayoutBody = Type.Object({ period: Period, reference: Type.String({ minLength: 1, maxLength: 100 }), minimumMinor: Type.Optional(Type.Integer({ minimum: 0 })) });
export const PayoutReport = Type.Object({ period: Type.String(), reference: Type.String(), paid: Type.Array(Type.Object({ holderId: Type.String(), currency: Type.String(), amount: Minor })), belowMinimum: Type.Integer() });
export const StatementQuery = Type.Object({ holder: Type.String(), period: Period });
export const Statement = Type.Object({
  holderId: Type.String(),
  holderName: Type.String(),
  period: Type.String(),
  currencies: Type.Array(
    Type.Object({
      currency: Type.String(),
      opening: Minor,
      earned: Minor,
      adjustments: Minor,
      payouts: Minor,
      closing: Minor,
      lines: Type.Array(Type.Object({ source: Type.String(), ref: Type.String(), trackId: Type.Union([Type.String(), Type.Null()]), right: Type.String(), amount: Minor })),
    }),
  ),
});
export const Balances = Type.Array(Type.Object({ account: Type.String(), currency: Type.String(), balance: Minor }));
export const LedgerCheck = Type.Object({ ok: Type.Boolean(), entries: Type.Integer(), postings: Type.Integer(), unbalanced: Type.Array(Type.String()), orphanPostings: Type.Integer({ description: 'postings whose entry does not exist' }), mismatched: Type.Array(Type.Object({ account: Type.String(), currency: Type.String(), kept: Minor, posted: Minor })) });
export const ReleaseReport = Type.Object({ period: Type.String(), postedIn: Type.String(), released: Type.Array(Type.Object({ revenueId: Type.String(), currency: Type.String(), amount: Minor })) });
export const CorrectionBody = Type.Object({ period: Period, amountMinor: Type.Integer({ minimum: 0 }) });
export const CorrectionReport = Type.Object({ reversed: Type.String(), revenue: Revenue, holders: Type.Array(Type.Object({ holderId: Type.String(), currency: Type.String(), change: Minor })) });
export const InvoiceQuery = Type.Object({ licensee: Type.Optional(Type.String({ description: 'operators name the licensee; a licensee key reads its own' })) });
export const Invoice = Type.Object({
  licenseeId: Type.String(),
  owed: Type.Array(Type.Object({ currency: Type.String(), amount: Minor })),
  lines: Type.Array(Type.Object({ revenueId: Type.String(), period: Type.String(), source: Type.String(), ref: Type.Union([Type.String(), Type.Null()]), currency: Type.String(), amount: Minor, createdAt: Type.String() })),
});
export const ArtistStatementQuery = Type.Object({ period: Period, artist: Type.Optional(Type.String({ description: 'operators name the artist; an artist key reads its own' })) });
export const ArtistStatement = Type.Object({
  artistId: Type.String(),
  period: Type.String(),
  totals: Type.Array(Type.Object({ currency: Type.String(), amount: Minor })),
  lines: Type.Array(Type.Object({ trackId: Type.String(), title: Type.String(), holderId: Type.String(), holderName: Type.String(), right: Type.String(), source: Type.String(), currency: Type.String(), amount: Minor })),
});
