// Request validation. Bodies are strict: no type coercion and no silently dropped fields, so
// `"durationMs": "123"` or an unknown field is an error the caller sees. Query strings and
// path parameters arrive as text and are coerced to the schema's types.

import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { LedgerlineError } from '../shared/index.ts';
import { HttpErrors } from './errors.ts';

function makeAjv(coerce: boolean) {
  const ajv = new Ajv.default({
    coerceTypes: coerce,
    useDefaults: true,
    removeAdditional: false,
    allErrors: false,
    strict: false,
  });
  addFormats.default(ajv);
  return ajv;
}

/** The path of the first string holding U+0000, which PostgreSQL text and jsonb cannot store. */
function nulAt(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  // Raw bodies (audio, XML) are bytes, not fields.
  if (depth > 64 || !value || typeof value !== 'object' || ArrayBuffer.isView(value)) return null;
  for (const [k, v] of Object.entries(value)) {
    const found = (k.includes('\u0000') ? `${path}/${k}` : null) ?? nulAt(v, `${path}/${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

export function installValidation(app: FastifyInstance) {
  const strictAjv = makeAjv(false);
  const coercingAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv.compile(schema) : coercingAjv.compile(schema)));
  // Refused for every route before validation: no text field anywhere may carry a NUL character.
  app.addHook('preValidation', async (req) => {
    const at = nulAt(req.body, 'body') ?? nulAt(req.query, 'query') ?? nulAt(req.params, 'params');
    if (at) throw new LedgerlineError(HttpErrors.BAD_REQUEST, `${at} contains a NUL character (U+0000), which cannot be stored`, { field: at });
  });
}
