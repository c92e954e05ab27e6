// Schemas shared by every route: ids, paging, and the problem+json error body.

import { Type, type TSchema } from '@sinclair/typebox';

export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

export const PageQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  },
  { additionalProperties: false },
);

/** RFC 9457 problem details, with ledgerline's stable `code`. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:ledgerline:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String() }))),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'Problem', title: 'Problem' },
);

const ProblemRef = Type.Ref('Problem');

/** Response map for a route: its success bodies plus problem+json for every error status. */
export function responses<T extends Record<number, TSchema>>(ok: T) {
  return { ...ok, '4xx': ProblemRef, '5xx': ProblemRef };
}

export const NoContent = Type.Null({ description: 'No content' });
