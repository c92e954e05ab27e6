// RIFF/WAVE reader: PCM 8/16/24/32-bit integer and 32/64-bit float, plain or
// WAVE_FORMAT_EXTENSIBLE (Microsoft "Multimedia Programming Interface and Data Specifications
// 1.0", and the WAVEFORMATEXTENSIBLE note). Checks every size against the file before reading.

import { LedgerlineError } from '../shared/index.ts';
import { AudioErrors } from './errors.ts';
import { checkBudget, type DecodeLimits } from './limits.ts';
import type { DecodedAudio } from './types.ts';

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;

export function decodeWav(b: Uint8Array, limits: DecodeLimits): DecodedAudio {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let pos = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number; align: number } | null = null;
  let data: { start: number; size: number } | null = null;
  while (pos + 8 <= b.length) {
    const id = String.fromCharCode(b[pos]!, b[pos + 1]!, b[pos + 2]!, b[pos + 3]!);
    const size = view.getUint32(pos + 4, true);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > b.length) throw new LedgerlineError(AudioErrors.CORRUPT, 'WAV fmt chunk is truncated');
      let format = view.getUint16(body, true);
      if (format === EXTENSIBLE && size >= 40) format = view.getUint16(body + 24, true);
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        rate: view.getUint32(body + 4, true),
        align: view.getUint16(body + 12, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      data = { start: body, size };
      break;
    }
    pos = body + size + (size & 1);
  }
  if (!fmt) throw new LedgerlineError(AudioErrors.CORRUPT, 'WAV file has no fmt chunk');
  if (!data) throw new LedgerlineError(AudioErrors.CORRUPT, 'WAV file has no data chunk');
  const { format, channels, rate, bits } = fmt;
  const supported = (format === PCM && [8, 16, 24, 32].includes(bits)) || (format === FLOAT && (bits === 32 || bits === 64));
  if (!supported) throw new LedgerlineError(AudioErrors.UNSUPPORTED_FORMAT, `WAV encoding ${format} with ${bits} bits per sample is not supported`);
  checkShape(channels, rate, limits);
  const bytesPer = bits / 8;
  const frameBytes = bytesPer * channels;
  if (fmt.align !== frameBytes) throw new LedgerlineError(AudioErrors.CORRUPT, `WAV block align ${fmt.align} does not match ${channels} × ${bits} bits`);
  const available = b.length - data.start;
  // 0 or 0xFFFFFFFF as size is written by streaming encoders that never went back: read to the end.
  const declared = data.size === 0 || data.size === 0xffffffff ? available : data.size;
  if (declared > available + frameBytes) {
    throw new LedgerlineError(AudioErrors.CORRUPT, `WAV data is truncated: ${available} of ${declared} bytes present`);
  }
  const frames = Math.floor(Math.min(declared, available) / frameBytes);
  if (frames / rate > limits.maxDurationSeconds) {
    throw new LedgerlineError(AudioErrors.TOO_LONG, `audio is ${(frames / rate).toFixed(0)} s, over the ${limits.maxDurationSeconds} s limit`);
  }
  checkBudget(frames, channels, rate, limits);
  if (frames === 0) throw new LedgerlineError(AudioErrors.EMPTY, 'WAV file holds no samples');
  const out = Array.from({ length: channels }, () => new Float32Array(frames));
  let p = data.start;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      let v: number;
      if (format === FLOAT) v = bits === 32 ? view.getFloat32(p, true) : view.getFloat64(p, true);
      else if (bits === 16) v = view.getInt16(p, true) / 32768;
      else if (bits === 24) v = ((b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) << 8 >> 8) / 8388608;
      else if (bits === 32) v = view.getInt32(p, true) / 2147483648;
      else v = (b[p]! - 128) / 128;
      out[c]![i] = Number.isFinite(v) ? v : 0;
      p += bytesPer;
    }
  }
  return { format: 'wav', sampleRate: rate, channels: out, durationSeconds: frames / rate };
}

export function checkShape(channels: number, rate: number, limits: DecodeLimits): void {
  if (channels < 1 || channels > limits.maxChannels) {
    throw new LedgerlineError(AudioErrors.TOO_MANY_CHANNELS, `${channels} channels; between 1 and ${limits.maxChannels} are accepted`);
  }
  if (rate < limits.minSampleRate || rate > limits.maxSampleRate) {
    throw new LedgerlineError(AudioErrors.BAD_SAMPLE_RATE, `sample rate ${rate} Hz is outside ${limits.minSampleRate}-${limits.maxSampleRate} Hz`);
  }
}

/** 16-bit PCM WAV bytes of `channels` (equal lengths) at `rate`: what ledgerline itself writes. */
export function encodeWav16(channels: Float32Array[], rate: number): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const block = 2 * channels.length;
  const out = new Uint8Array(44 + frames * block);
  const v = new DataView(out.buffer);
  const tag = (at: number, t: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = t.charCodeAt(i);
  };
  tag(0, 'RIFF');
  v.setUint32(4, out.length - 8, true);
  tag(8, 'WAVE');
  tag(12, 'fmt ');
  v.setUint32(16, 16, true);
  v.setUint16(20, 1, true);
  v.setUint16(22, channels.length, true);
  v.setUint32(24, rate, true);
  v.setUint32(28, rate * block, true);
  v.setUint16(32, block, true);
  v.setUint16(34, 16, true);
  tag(36, 'data');
  v.setUint32(40, frames * block, true);
  let p = 44;
  for (let i = 0; i < frames; i++) {
    for (const ch of channels) {
      v.setInt16(p, Math.round(Math.max(-1, Math.min(1, ch[i]!)) * 32767), true);
      p += 2;
    }
  }
  return out;
}
