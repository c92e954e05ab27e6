// An index of an MPEG-1/2/2.5 Layer III stream's frames, read from the frame headers alone
// (ISO/IEC 11172-3 §2.4.2.3 and ISO/IEC 13818-3: sync word, version, bit rate, sample rate and
// padding give each frame's length), so a part of the stream can be decoded without the rest.
//
// It also says where sample 0 of a whole decode lies in the stream. The first frame may be a
// Xing/Info frame carrying no audio; its LAME extension (the LAME tag, also written by ffmpeg)
// gives the encoder's delay and padding, which our decoder (mpg123, in gapless mode) cuts: the
// delay plus mpg123's own 529-sample decoder delay at the start, the same total at the end.
// Anything the index cannot place with certainty (free format, other layers, junk between
// frames, an unknown encoder's tag) gives null: such a stream is decoded whole.

/** Bit rates, kbit/s, by index: MPEG-1 Layer III, then MPEG-2/2.5 Layer III. */
const RATES_V1 = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
const RATES_V2 = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/** Sample rates by version bits (3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5) and index. */
const SAMPLE_RATES: Record<number, readonly number[]> = { 3: [44100, 48000, 32000], 2: [22050, 24000, 16000], 0: [11025, 12000, 8000] };
/** mpg123's decoder delay, added to the encoder's in gapless mode. */
const DECODER_DELAY = 529;
/** Encoders whose Info frame carries the LAME tag layout (LAME itself, ffmpeg's libavcodec/-format). */
const LAME_TAG_ENCODERS = ['LAME', 'Lavc', 'Lavf', 'GOGO'];

export interface Mp3Index {
  sampleRate: number;
  samplesPerFrame: number;
  /** Byte offset of each audio frame, and one past the last frame's end. */
  offsets: Uint32Array;
  /** Stream samples a whole decode leaves out at the start (sample 0 of the decode is this one). */
  startTrim: number;
  /** Samples a whole decode yields. */
  length: number;
}

interface Header {
  version: number;
  sampleRate: number;
  bytes: number;
  mono: boolean;
}

function header(b: Uint8Array, at: number): Header | null {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1]! & 0xe0) !== 0xe0) return null;
  const version = (b[at + 1]! >> 3) & 3;
  const layer = (b[at + 1]! >> 1) & 3;
  const rateIndex = b[at + 2]! >> 4;
  const srIndex = (b[at + 2]! >> 2) & 3;
  if (version === 1 || layer !== 1 || rateIndex === 0 || rateIndex === 15 || srIndex === 3) return null;
  const sampleRate = SAMPLE_RATES[version]![srIndex]!;
  const kbps = (version === 3 ? RATES_V1 : RATES_V2)[rateIndex]!;
  const padding = (b[at + 2]! >> 1) & 1;
  return { version, sampleRate, bytes: Math.floor(((version === 3 ? 144_000 : 72_000) * kbps) / sampleRate) + padding, mono: b[at + 3]! >> 6 === 3 };
}

/** Encoder delay and padding from a Xing/Info frame, null when it is not one; 'unknown' when its tag cannot be trusted. */
function infoFrame(b: Uint8Array, at: number, h: Header): { delay: number; padding: number } | 'unknown' | null {
  // The tag follows the side information, whose size depends on version and channels.
  const x = at + 4 + (h.version === 3 ? (h.mono ? 17 : 32) : h.mono ? 9 : 17);
  const id = String.fromCharCode(...b.subarray(x, x + 4));
  if (id !== 'Xing' && id !== 'Info') return null;
  const flags = b[x + 7]!;
  const lame = x + 8 + (flags & 1 ? 4 : 0) + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
  if (lame + 24 > at + h.bytes) return 'unknown';
  if (!LAME_TAG_ENCODERS.includes(String.fromCharCode(...b.subarray(lame, lame + 4)))) return 'unknown';
  return { delay: (b[lame + 21]! << 4) | (b[lame + 22]! >> 4), padding: ((b[lame + 22]! & 15) << 8) | b[lame + 23]! };
}

/** Where an ID3v2 tag at the start ends (0 without one). */
function id3End(b: Uint8Array): number {
  if (b.length < 10 || b[0] !== 0x49 || b[1] !== 0x44 || b[2] !== 0x33) return 0;
  const size = ((b[6]! & 0x7f) << 21) | ((b[7]! & 0x7f) << 14) | ((b[8]! & 0x7f) << 7) | (b[9]! & 0x7f);
  return 10 + size + (b[5]! & 0x10 ? 10 : 0);
}

/** Tags that may follow the last frame: ID3v1, APEv2, Lyrics3. */
function trailingTag(b: Uint8Array, at: number): boolean {
  const s = String.fromCharCode(...b.subarray(at, at + 8));
  return s.startsWith('TAG') || s === 'APETAGEX' || s.startsWith('LYRICS');
}

export function indexMp3(b: Uint8Array): Mp3Index | null {
  let at = id3End(b);
  const first = header(b, at);
  if (!first) return null;
  const offsets: number[] = [];
  const info = infoFrame(b, at, first);
  if (info === 'unknown') return null;
  if (info) at += first.bytes;
  while (at < b.length) {
    const h = header(b, at);
    if (!h || h.version !== first.version || h.sampleRate !== first.sampleRate) {
      if (trailingTag(b, at)) break;
      return null;
    }
    if (at + h.bytes > b.length) break; // a cut-off last frame yields nothing
    offsets.push(at);
    at += h.bytes;
  }
  if (offsets.length === 0) return null;
  offsets.push(at);
  const samplesPerFrame = first.version === 3 ? 1152 : 576;
  const length = (offsets.length - 1) * samplesPerFrame - (info ? info.delay + info.padding : 0);
  if (length <= 0) return null;
  const startTrim = info ? info.delay + DECODER_DELAY : 0;
  return { sampleRate: first.sampleRate, samplesPerFrame, offsets: Uint32Array.from(offsets), startTrim, length };
}
