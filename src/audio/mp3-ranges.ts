// Decodes only some sample ranges of an MP3, for analyses that read a part of a long file: the
// decoder's time is most of a detection's, and a three-minute song read in 48 spectral frames
// needs well under half its frames decoded.
//
// A Layer III frame cannot be decoded alone: its main data may begin up to 511 bytes back, in
// earlier frames (the bit reservoir), its first samples overlap-add with the previous granule's,
// and the synthesis filter bank carries the previous 16 subband samples over. An MPEG-2 frame
// holds one granule, so the range's first frame depends on the two frames before it. So each
// range starts decoding a few frames early, far enough back that those two have their
// reservoir, and the early frames' output is dropped. The decoder is never shown the Info frame,
// so it cuts nothing itself: every frame fed yields its samples, placed through the index's
// start trim exactly where a whole decode puts them (equal to within float rounding, as
// test/audio/mp3-ranges.test.ts checks on the corpus).

import { MPEGDecoder } from 'mpg123-decoder';
import { LedgerlineError } from '../shared/index.ts';
import { AudioErrors } from './errors.ts';
import type { Mp3Index } from './mp3-index.ts';
import type { DecodedAudio, SampleRange } from './types.ts';

/** Bytes fed before the second frame preceding a range: twice the deepest reservoir. */
const LEAD_BYTES = 1024;

/**
 * The ranges (sorted, within the index's length) decoded into whole-length channels that are
 * zero elsewhere. Throws LL_AUDIO_CORRUPT when a range does not decode to the samples the index
 * promises.
 */
export async function decodeMp3Ranges(bytes: Uint8Array, index: Mp3Index, ranges: SampleRange[]): Promise<DecodedAudio> {
  const { samplesPerFrame: spf, offsets, startTrim, length, sampleRate } = index;
  const frames = offsets.length - 1;
  const decoder = new MPEGDecoder();
  await decoder.ready;
  let channels: Float32Array[] = [];
  try {
    for (const [start, end] of ranges) {
      const first = Math.floor((start + startTrim) / spf);
      const last = Math.min(frames - 1, Math.floor((end - 1 + startTrim) / spf));
      const needed = Math.max(0, first - 2);
      let from = needed;
      while (from > 0 && offsets[needed]! - offsets[from]! < LEAD_BYTES) from--;
      let out: ReturnType<typeof decoder.decode>;
      try {
        out = decoder.decode(bytes.subarray(offsets[from]!, offsets[last + 1]!));
      } catch (err) {
        throw new LedgerlineError(AudioErrors.CORRUPT, `mp3 stream is corrupt: ${(err as Error).message}`, undefined, { cause: err });
      }
      if (out.samplesDecoded !== (last + 1 - from) * spf) {
        throw new LedgerlineError(AudioErrors.CORRUPT, `mp3 frames ${from}-${last} decoded to ${out.samplesDecoded} samples, not ${(last + 1 - from) * spf}`);
      }
      if (channels.length === 0) channels = out.channelData.map(() => new Float32Array(length));
      // Stream sample `from * spf` is output sample 0 here, and whole-decode sample `from * spf - startTrim`.
      const shift = from * spf - startTrim;
      for (const [c, data] of out.channelData.entries()) channels[c]!.set(data.subarray(start - shift, end - shift), start);
    }
  } finally {
    // After a trap inside the WASM decoder, freeing may trap too; the instance is discarded either way.
    try {
      decoder.free();
    } catch {
      /* discarded */
    }
  }
  return { format: 'mp3', sampleRate, channels, durationSeconds: length / sampleRate, decoded: ranges };
}
