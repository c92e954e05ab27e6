// Audio uploads arrive as the raw body (audio/* or application/octet-stream), buffered up to the
// limit; one parser for every audio route.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { LedgerlineError } from '../shared/index.ts';
import { HttpErrors } from './errors.ts';
import { refusedContentType, type RawBody } from './raw-body.ts';

import { MAX_AUDIO_BYTES } from '../audio/index.ts';

export { MAX_AUDIO_BYTES };

export const AUDIO_BODY: RawBody = { types: ['audio/*', 'application/octet-stream'], what: 'the audio file (WAV, FLAC, MP3, Ogg Vorbis or Opus; other formats when ffmpeg is installed)' };

export function installAudioBody(app: FastifyInstance): void {
  for (const type of ['application/octet-stream', /^audio\/.+/]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_AUDIO_BYTES }, (_req, body, done) => done(null, body));
  }
}

/** The audio body of an audio route; any other content type is refused, naming the accepted ones. */
export function audioBody(req: FastifyRequest): Uint8Array {
  const b = req.body;
  if (!Buffer.isBuffer(b)) {
    throw new LedgerlineError(HttpErrors.UNSUPPORTED_MEDIA_TYPE, refusedContentType(req.headers['content-type'], AUDIO_BODY), { contentType: req.headers['content-type'] ?? null, accepted: AUDIO_BODY.types });
  }
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
