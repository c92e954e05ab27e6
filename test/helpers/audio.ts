// Audio made in code for tests: WAV bytes of chosen encoding, and a deterministic "music-like"
// signal (chords of decaying partials) that has the spectral peaks a fingerprint needs.

export function synthMusic(seconds: number, rate = 44100, seed = 1): Float32Array {
  let s = seed;
  const random = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const n = Math.round(seconds * rate);
  const out = new Float32Array(n);
  const noteLen = Math.round(0.25 * rate);
  for (let start = 0; start < n; start += noteLen) {
    const freqs = [0, 1, 2].map(() => 110 * 2 ** (Math.floor(random() * 36) / 12));
    for (const f of freqs) {
      for (let i = 0; i < noteLen && start + i < n; i++) {
        const env = Math.exp(-i / (0.12 * rate));
        out[start + i]! += 0.2 * env * (Math.sin((2 * Math.PI * f * i) / rate) + 0.5 * Math.sin((4 * Math.PI * f * i) / rate));
      }
    }
  }
  return out;
}

export type WavEncoding = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export function wavBytes(channels: Float32Array[], rate: number, enc: WavEncoding = 'pcm16', extensible = false): Uint8Array {
  const bits = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 }[enc];
  const float = enc.startsWith('float');
  const frames = channels[0]!.length;
  const block = (bits / 8) * channels.length;
  const fmtSize = extensible ? 40 : 16;
  const buf = new ArrayBuffer(12 + 8 + fmtSize + 8 + frames * block);
  const v = new DataView(buf);
  const str = (at: number, t: string) => [...t].forEach((c, i) => v.setUint8(at + i, c.charCodeAt(0)));
  str(0, 'RIFF');
  v.setUint32(4, buf.byteLength - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  v.setUint32(16, fmtSize, true);
  v.setUint16(20, extensible ? 0xfffe : float ? 3 : 1, true);
  v.setUint16(22, channels.length, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * block, true);
  v.setUint16(32, block, true);
  v.setUint16(34, bits, true);
  if (extensible) {
    v.setUint16(36, 22, true);
    v.setUint16(38, bits, true);
    v.setUint32(40, 0, true);
    v.setUint16(44, float ? 3 : 1, true);
  }
  const data = 20 + fmtSize;
  str(data, 'data');
  v.setUint32(data + 4, frames * block, true);
  let p = data + 8;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      const x = Math.max(-1, Math.min(1, ch[i]!));
      if (enc === 'float32') v.setFloat32(p, x, true);
      else if (enc === 'float64') v.setFloat64(p, x, true);
      else if (enc === 'pcm16') v.setInt16(p, Math.round(x * 32767), true);
      else if (enc === 'pcm32') v.setInt32(p, Math.round(x * 2147483647), true);
      else if (enc === 'pcm8') v.setUint8(p, Math.round(x * 127 + 128));
      else {
        const s = Math.round(x * 8388607);
        v.setUint8(p, s & 0xff);
        v.setUint8(p + 1, (s >> 8) & 0xff);
        v.setUint8(p + 2, (s >> 16) & 0xff);
      }
      p += bits / 8;
    }
  }
  return new Uint8Array(buf);
}
