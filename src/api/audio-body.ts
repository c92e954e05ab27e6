// Audio uploads arrive as the raw body (audio/* or application/octet-stream), buffered up to the
// limit; one parser for every audio route.

import type { FastifyInstance } from 'fastify';

/** Largest accepted upload: a 30-minute WAV at 48 kHz stereo 24-bit is about 520 MB; most uploads are compressed. */
export const MAX_AUDIO_BYTES = 600 * 1024 * 1024;

export function installAudioBody(app: FastifyInstance): void {
  for (const type of ['application/octet-stream', /^audio\/.+/]) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_AUDIO_BYTES }, (_req, body, done) => done(null, body));
  }
}

export function audioBody(body: unknown): Uint8Array {
  const b = body as Buffer;
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
