// Stream event batches arrive as the raw body: NDJSON (application/x-ndjson) or CSV (text/csv),
// buffered up to what 50,000 events of the allowed fields can take.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerlineError } from '../shared/index.ts';
import { HttpErrors } from './errors.ts';
import { refusedContentType, type RawBody } from './raw-body.ts';

export const STREAM_BODY: RawBody = { types: ['application/x-ndjson', 'text/csv'], what: 'a batch of stream events (one JSON object per line, or CSV with a header row)' };
/** 50,000 events of well under 1 kB each. */
export const MAX_STREAM_BYTES = 48 * 1024 * 1024;

export function installStreamBody(app: FastifyInstance): void {
  for (const type of ['application/x-ndjson', 'text/csv']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_STREAM_BYTES }, (_req, body, done) => done(null, body));
  }
}

export function streamBody(req: FastifyRequest): { text: string; format: 'ndjson' | 'csv' } {
  if (!Buffer.isBuffer(req.body)) {
    throw new LedgerlineError(HttpErrors.UNSUPPORTED_MEDIA_TYPE, refusedContentType(req.headers['content-type'], STREAM_BODY), { contentType: req.headers['content-type'] ?? null, accepted: STREAM_BODY.types });
  }
  const csv = (req.headers['content-type'] ?? '').startsWith('text/csv');
  return { text: req.body.toString('utf8'), format: csv ? 'csv' : 'ndjson' };
}
