// DDEX messages arrive as the raw XML body (application/xml, text/xml or application/*+xml),
// buffered up to the DDEX size limit; the reader refuses DTDs before anything is parsed.

import type { FastifyInstance } from 'fastify';
import { MAX_DDEX_BYTES } from '../catalog/ddex/index.ts';

export function installXmlBody(app: FastifyInstance): void {
  for (const type of ['application/xml', 'text/xml', /^application\/[a-z.+-]+\+xml$/]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_DDEX_BYTES }, (_req, body, done) => done(null, body));
  }
}
