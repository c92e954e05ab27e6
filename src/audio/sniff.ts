// Recognises a container from its first bytes, so a file's content decides how it is decoded,
// never its name.

export type Sniffed =
  | { kind: 'wav' }
  | { kind: 'flac' }
  | { kind: 'mp3' }
  | { kind: 'ogg'; codec: 'vorbis' | 'opus' | 'flac' | 'unknown' }
  | { kind: 'other'; name: string };

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

function mpegSync(b: Uint8Array, at: number): boolean {
  // 11 sync bits, a layer that is not "reserved", and a bitrate index that is not "bad".
  return b[at] === 0xff && (b[at + 1]! & 0xe0) === 0xe0 && (b[at + 1]! & 0x06) !== 0 && (b[at + 2]! & 0xf0) !== 0xf0;
}

export function sniff(b: Uint8Array): Sniffed {
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WAVE') return { kind: 'wav' };
  if (b.length >= 12 && ascii(b, 0, 4) === 'RF64' && ascii(b, 8, 4) === 'WAVE') return { kind: 'other', name: 'RF64 WAV' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'fLaC') return { kind: 'flac' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'OggS') {
    // The first page carries the codec's identification header.
    const segs = b[26] ?? 0;
    const body = 27 + segs;
    if (ascii(b, body, 7) === '\x01vorbis') return { kind: 'ogg', codec: 'vorbis' };
    if (ascii(b, body, 8) === 'OpusHead') return { kind: 'ogg', codec: 'opus' };
    if (ascii(b, body, 5) === '\x7fFLAC') return { kind: 'ogg', codec: 'flac' };
    return { kind: 'ogg', codec: 'unknown' };
  }
  if (b.length >= 3 && ascii(b, 0, 3) === 'ID3') return { kind: 'mp3' };
  if (b.length >= 3 && mpegSync(b, 0)) return { kind: 'mp3' };
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return { kind: 'other', name: `MP4/M4A (${ascii(b, 8, 4).trim()})` };
  if (b.length >= 12 && ascii(b, 0, 4) === 'FORM' && (ascii(b, 8, 4) === 'AIFF' || ascii(b, 8, 4) === 'AIFC')) return { kind: 'other', name: 'AIFF' };
  if (b.length >= 4 && b[0] === 0x30 && b[1] === 0x26 && b[2] === 0xb2 && b[3] === 0x75) return { kind: 'other', name: 'WMA/ASF' };
  if (b.length >= 2 && b[0] === 0xff && (b[1]! & 0xf6) === 0xf0) return { kind: 'other', name: 'AAC (ADTS)' };
  if (b.length >= 4 && ascii(b, 0, 4) === '.snd') return { kind: 'other', name: 'Sun AU' };
  if (b.length >= 4 && ascii(b, 0, 4) === 'caff') return { kind: 'other', name: 'CAF' };
  if (b.length >= 4 && b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return { kind: 'other', name: 'Matroska/WebM' };
  // MP3 without ID3 may start after junk; look for two consecutive frame syncs early on.
  for (let i = 0; i < Math.min(b.length - 4, 4096); i++) if (mpegSync(b, i)) return { kind: 'mp3' };
  return { kind: 'other', name: 'unknown' };
}
