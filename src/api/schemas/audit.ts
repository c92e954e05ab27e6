// Audit log response bodies.

import { Type } from '@sinclair/typebox';

export const AuditEntry = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  orgId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  action: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});

export const AuditQuery = Type.Object(
  {
    afterSeq: Type.Integer({ minimum: 0, default: 0 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  },
  { additionalProperties: false },
);

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  headSeq: Type.Integer(),
  headHash: Type.String(),
  firstBroken: Type.Union([
    Type.Object({ seq: Type.Integer(), reason: Type.String(), message: Type.String() }),
    Type.Null(),
  ]),
});
