// Request validation. Bodies are strict: no type coercion and no silently dropped fields, so
// `"durationMs": "123"` or an unknown field is an error the caller sees. Query strings and
// path parameters arrive as text and are coerced to the schema's types.

import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

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

export function installValidation(app: FastifyInstance) {
  const strictAjv = makeAjv(false);
  const coercingAjv = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv.compile(schema) : coercingAjv.compile(schema)));
}
