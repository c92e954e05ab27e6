// API key request and response bodies.

import { Type } from '@sinclair/typebox';
import { ROLES } from '../../auth/index.ts';
import { Uuid } from './common.ts';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));

export const ApiKey = Type.Object({
  id: Type.String(),
  orgId: Uuid,
  role: Role,
  name: Type.String(),
  subjectId: Type.Union([Uuid, Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ApiKeyCreate = Type.Object(
  { role: Role, name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), subjectId: Type.Optional(Type.Union([Uuid, Type.Null()])) },
  { additionalProperties: false },
);

export const CreatedApiKey = Type.Object({
  id: Type.String(),
  orgId: Uuid,
  role: Role,
  name: Type.String(),
  subjectId: Type.Union([Uuid, Type.Null()]),
  key: Type.String({ description: 'Shown once; store it now' }),
});
