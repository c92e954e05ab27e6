// DDEX messages arrive as the raw XML body (application/xml, text/xml or application/*+xml),
// buffered up to the DDEX size limit; the reader refuses DTDs before anything is parsed.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerlineError } from '../shared/index.ts';
import { HttpErrors } from './errors.ts';
import { MAX_DDEX_BYTES } from '../catalog/ddex/index.ts';
import { refusedContentType, type RawBody } from './raw-body.ts';

export const XML_BODY: RawBody = { types: ['application/xml', 'text/xml', 'application/*+xml'], what: 'the ERN message' };

export function installXmlBody(app: FastifyInstance): void {
  for (const type of ['application/xml', 'text/xml', /^application\/[a-z.+-]+\+xml$/]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_DDEX_BYTES }, (_req, body, done) => done(null, body));
  }
}

/** The XML body of a DDEX route; any other content type is refused. */
export function xmlBody(req: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(req.body)) {
    throw new LedgerlineError(HttpErrors.UNSUPPORTED_MEDIA_TYPE, refusedContentType(req.headers['content-type'], XML_BODY), { contentType: req.headers['content-type'] ?? null, accepted: XML_BODY.types });
  }
  return req.body;
}
