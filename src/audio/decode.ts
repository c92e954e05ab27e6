// Decodes any supported file to planar float PCM at its own sample rate: WAV in TypeScript;
// FLAC, MP3, Ogg Vorbis and Ogg Opus through WASM decoders bundled in their npm packages; any
// other format through ffmpeg when it is installed. Input is fed in chunks so a file that
// decodes to more than the duration limit is stopped early instead of filling memory.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerlineError } from '../shared/index.ts';
import { AudioErrors } from './errors.ts';
import { checkBudget, DEFAULT_LIMITS, type DecodeLimits } from './limits.ts';
import { indexMp3 } from './mp3-index.ts';
import { decodeMp3Ranges } from './mp3-ranges.ts';
import { sniff } from './sniff.ts';
import type { AudioFormat, DecodedAudio, RangePlan } from './types.ts';
import { checkShape, decodeWav } from './wav.ts';

const CHUNK = 256 * 1024;
const EMPTY = new Float32Array(0);
/**
 * FLAC is fed in small pieces: a frame of digital silence is a few bytes per channel for up to
 * 65,535 samples, so one 256-KB piece could decode to gigabytes before the budget is looked at.
 */
const FLAC_CHUNK = 8 * 1024;

/**
 * What a FLAC's STREAMINFO declares (rate, channels, total samples; 0 when unknown), read
 * before decoding so a file whose header already exceeds a limit costs nothing.
 */
function flacStreamInfo(b: Uint8Array): { rate: number; channels: number; frames: number } | null {
  // "fLaC", then the first metadata block, which must be STREAMINFO (type 0, 34 bytes).
  if (b.length < 42 || (b[4]! & 0x7f) !== 0) return null;
  const s = 8;
  const rate = (b[s + 10]! << 12) | (b[s + 11]! << 4) | (b[s + 12]! >> 4);
  const channels = ((b[s + 12]! >> 1) & 0x07) + 1;
  const frames = (b[s + 13]! & 0x0f) * 2 ** 32 + ((b[s + 14]! << 24) >>> 0) + (b[s + 15]! << 16) + (b[s + 16]! << 8) + b[s + 17]!;
  return { rate, channels, frames };
}

function checkFlacHeader(bytes: Uint8Array, limits: DecodeLimits): void {
  const info = flacStreamInfo(bytes);
  if (!info || !info.rate) return;
  checkShape(info.channels, info.rate, limits);
  if (info.frames / info.rate > limits.maxDurationSeconds) throw new LedgerlineError(AudioErrors.TOO_LONG, `the FLAC header declares ${(info.frames / info.rate).toFixed(0)} s, over the ${limits.maxDurationSeconds} s limit`);
  checkBudget(info.frames, info.channels, info.rate, limits);
}

interface WasmResult {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: Array<{ message: string }>;
}

interface WasmDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): WasmResult | Promise<WasmResult>;
  flush?: () => WasmResult | Promise<WasmResult>;
  free(): void;
}

async function makeDecoder(format: 'flac' | 'mp3' | 'vorbis' | 'opus'): Promise<WasmDecoder> {
  switch (format) {
    case 'mp3':
      return new (await import('mpg123-decoder')).MPEGDecoder() as unknown as WasmDecoder;
    case 'flac':
      return new (await import('@wasm-audio-decoders/flac')).FLACDecoder() as unknown as WasmDecoder;
    case 'vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder() as unknown as WasmDecoder;
    case 'opus':
      return new (await import('ogg-opus-decoder')).OggOpusDecoder() as unknown as WasmDecoder;
  }
}

async function decodeWasm(format: 'flac' | 'mp3' | 'vorbis' | 'opus', bytes: Uint8Array, limits: DecodeLimits): Promise<DecodedAudio> {
  const dec = await makeDecoder(format);
  await dec.ready;
  const parts: Float32Array[][] = [];
  let rate = 0;
  let frames = 0;
  let errors = 0;
  let firstError = '';
  const take = (r: WasmResult) => {
    if (r.errors.length) {
      errors += r.errors.length;
      firstError ||= r.errors[0]!.message;
    }
    if (r.samplesDecoded === 0) return;
    if (!rate) {
      rate = r.sampleRate;
      checkShape(r.channelData.length, rate, limits);
    }
    // The decoders hand back fresh arrays (copied out of WASM memory): a view is enough until they are joined.
    parts.push(r.channelData.map((c) => c.subarray(0, r.samplesDecoded)));
    frames += r.samplesDecoded;
    if (frames / rate > limits.maxDurationSeconds) {
      throw new LedgerlineError(AudioErrors.TOO_LONG, `audio runs over the ${limits.maxDurationSeconds} s limit`);
    }
    checkBudget(frames, r.channelData.length, rate, limits);
  };
  const chunk = format === 'flac' ? FLAC_CHUNK : CHUNK;
  try {
    for (let at = 0; at < bytes.length; at += chunk) take(await dec.decode(bytes.subarray(at, at + chunk)));
    if (dec.flush) take(await dec.flush());
  } catch (err) {
    if (err instanceof LedgerlineError) throw err;
    throw new LedgerlineError(AudioErrors.CORRUPT, `${format} stream is corrupt: ${(err as Error).message}`, undefined, { cause: err });
  } finally {
    // After a trap inside the WASM decoder, freeing may trap too; the instance is discarded either way.
    try {
      dec.free();
    } catch {
      /* discarded */
    }
  }
  if (frames === 0) {
    throw new LedgerlineError(AudioErrors.CORRUPT, `no audio could be decoded from this ${format} file${firstError ? `: ${firstError}` : ''}`);
  }
  // A few damaged frames in a long file are tolerated; a file that is mostly damage is not.
  const seconds = frames / rate;
  if (errors > Math.max(3, seconds * 0.5)) {
    throw new LedgerlineError(AudioErrors.CORRUPT, `${format} stream is corrupt: ${errors} frames failed to decode (${firstError})`);
  }
  // Joined one channel at a time, each part's copy of it let go once copied: the peak is the
  // output and one channel's parts, not twice the audio.
  const channels = parts[0]!.length;
  const out: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const ch = new Float32Array(frames);
    let at = 0;
    for (const p of parts) {
      const src = p[c] ?? p[0]!;
      ch.set(src, at);
      at += src.length;
      if (p.length === channels) p[c] = EMPTY;
    }
    out.push(ch);
  }
  return { format: format as AudioFormat, sampleRate: rate, channels: out, durationSeconds: seconds };
}

// Which ffmpeg to use; LEDGERLINE_FFMPEG / LEDGERLINE_FFPROBE point elsewhere (or at nothing, to run without).
const FFMPEG = process.env.LEDGERLINE_FFMPEG ?? 'ffmpeg';
const FFPROBE = process.env.LEDGERLINE_FFPROBE ?? 'ffprobe';

let ffmpegPresent: boolean | undefined;
export function hasFfmpeg(): boolean {
  ffmpegPresent ??= spawnSync(FFMPEG, ['-version'], { stdio: 'ignore' }).status === 0 && spawnSync(FFPROBE, ['-version'], { stdio: 'ignore' }).status === 0;
  return ffmpegPresent;
}

/** Decodes through ffmpeg to 32-bit float at the stream's own rate and channel count. */
async function decodeFfmpeg(bytes: Uint8Array, name: string, limits: DecodeLimits): Promise<DecodedAudio> {
  const dir = await mkdtemp(join(tmpdir(), 'll-ffmpeg-'));
  try {
    const file = join(dir, 'input');
    await writeFile(file, bytes);
    const probe = spawnSync(FFPROBE, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate,channels', '-of', 'json', file], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const stream = (JSON.parse(probe.stdout || '{}') as { streams?: Array<{ sample_rate?: string; channels?: number }> }).streams?.[0];
    if (!stream?.sample_rate || !stream.channels) throw new LedgerlineError(AudioErrors.CORRUPT, `ffmpeg finds no audio stream in this ${name} file`);
    const rate = Number(stream.sample_rate);
    const channels = stream.channels;
    checkShape(channels, rate, limits);
    // Whichever comes first: the duration limit, or the decode budget (the output is Float32).
    const maxBytes = Math.min(Math.ceil((limits.maxDurationSeconds + 1) * rate) * channels, limits.maxSamples + channels) * 4;
    const pcm = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn(FFMPEG, ['-v', 'error', '-nostdin', '-i', file, '-t', String(limits.maxDurationSeconds + 1), '-f', 'f32le', '-acodec', 'pcm_f32le', '-'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let stderr = '';
      let overflow = false;
      child.stdout.on('data', (d: Buffer) => {
        size += d.length;
        if (size <= maxBytes) chunks.push(d);
        else if (!overflow) {
          // Past every limit: nothing more is wanted, so ffmpeg need not go on.
          overflow = true;
          child.kill('SIGKILL');
        }
      });
      // Only the tail is reported; keep it bounded however much ffmpeg writes.
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 || overflow ? resolve(Buffer.concat(chunks)) : reject(new LedgerlineError(AudioErrors.CORRUPT, `ffmpeg could not decode this ${name} file: ${stderr.trim().split('\n').pop()}`)),
      );
    });
    const frames = Math.floor(pcm.length / 4 / channels);
    if (frames / rate > limits.maxDurationSeconds) throw new LedgerlineError(AudioErrors.TOO_LONG, `audio runs over the ${limits.maxDurationSeconds} s limit`);
    checkBudget(frames, channels, rate, limits);
    if (frames === 0) throw new LedgerlineError(AudioErrors.EMPTY, `this ${name} file holds no samples`);
    const f32 = new Float32Array(pcm.buffer, pcm.byteOffset, frames * channels);
    const out = Array.from({ length: channels }, () => new Float32Array(frames));
    for (let i = 0, p = 0; i < frames; i++) for (let c = 0; c < channels; c++) out[c]![i] = f32[p++]!;
    return { format: 'ffmpeg', sampleRate: rate, channels: out, durationSeconds: frames / rate };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Planned ranges are decoded alone only when they leave out at least this share of the stream. */
const PART_WORTH_DECODING = 0.25;

/**
 * An MP3 decoded in the ranges `plan` asks for, or null when it must be decoded whole: the plan
 * wants (nearly) everything, or the stream's frames cannot be placed with certainty.
 */
async function decodeMp3Part(bytes: Uint8Array, plan: RangePlan, limits: DecodeLimits): Promise<DecodedAudio | null> {
  const index = indexMp3(bytes);
  if (!index) return null;
  const ranges = plan(index.length, index.sampleRate);
  if (!ranges) return null;
  const wanted = ranges.reduce((n, [a, b]) => n + b - a, 0);
  const streamEnd = (index.offsets.length - 1) * index.samplesPerFrame - index.startTrim;
  if (wanted > (1 - PART_WORTH_DECODING) * index.length || ranges.some(([a, b], i) => a < (ranges[i - 1]?.[1] ?? 0) || b <= a || b > Math.min(index.length, streamEnd))) return null;
  if (index.length / index.sampleRate > limits.maxDurationSeconds) throw new LedgerlineError(AudioErrors.TOO_LONG, `audio runs over the ${limits.maxDurationSeconds} s limit`);
  checkShape(2, index.sampleRate, limits); // the MP3 decoder always gives two channels
  return decodeMp3Ranges(bytes, index, ranges);
}

/**
 * Decodes audio bytes. Throws LL_AUDIO_* with a message naming the format and the problem. With
 * a `plan`, a format that can be decoded in part (MP3) may decode only the planned ranges.
 */
export async function decodeAudio(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS, plan?: RangePlan): Promise<DecodedAudio> {
  if (bytes.length === 0) throw new LedgerlineError(AudioErrors.EMPTY, 'the file is empty');
  const s = sniff(bytes);
  switch (s.kind) {
    case 'wav':
      return decodeWav(bytes, limits);
    case 'flac':
      checkFlacHeader(bytes, limits);
      return decodeWasm('flac', bytes, limits);
    case 'mp3':
      return (plan && (await decodeMp3Part(bytes, plan, limits))) || decodeWasm('mp3', bytes, limits);
    case 'ogg':
      if (s.codec === 'vorbis' || s.codec === 'opus') return decodeWasm(s.codec, bytes, limits);
      if (hasFfmpeg()) return decodeFfmpeg(bytes, `Ogg ${s.codec}`, limits);
      throw new LedgerlineError(AudioErrors.UNSUPPORTED_FORMAT, `Ogg with ${s.codec} audio needs ffmpeg, which is not installed`, { format: `ogg/${s.codec}` });
    case 'other':
      if (hasFfmpeg() && s.name !== 'unknown') return decodeFfmpeg(bytes, s.name, limits);
      throw new LedgerlineError(
        AudioErrors.UNSUPPORTED_FORMAT,
        s.name === 'unknown'
          ? 'not a recognised audio format (WAV, FLAC, MP3, Ogg Vorbis and Opus are decoded; others need ffmpeg)'
          : `${s.name} needs ffmpeg, which is not installed (WAV, FLAC, MP3, Ogg Vorbis and Opus are decoded without it)`,
        { format: s.name },
      );
  }
}

/** Reads an audio file, refusing before reading one whose size alone is implausible. */
export async function readAudioFile(path: string, limits: DecodeLimits = DEFAULT_LIMITS): Promise<Uint8Array> {
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) throw new LedgerlineError(AudioErrors.UNREADABLE, `${path}: no such file`);
  // 8 channels of 192 kHz 64-bit float is the most any accepted stream can need per second.
  const ceiling = limits.maxDurationSeconds * limits.maxSampleRate * limits.maxChannels * 8 + 1024 * 1024;
  if (info.size > ceiling) throw new LedgerlineError(AudioErrors.TOO_LONG, `${path}: ${info.size} bytes cannot be under the duration limit`);
  return new Uint8Array(await readFile(path));
}

export async function decodeFile(path: string, limits: DecodeLimits = DEFAULT_LIMITS): Promise<DecodedAudio> {
  return decodeAudio(await readAudioFile(path, limits), limits);
}

export interface AudioSource {
  path?: string;
  bytes?: Uint8Array;
  limits?: DecodeLimits;
  /** The ranges the caller will read; see `decodeAudio`. */
  plan?: RangePlan;
}

/**
 * Reads (when given a path) and decodes a file or buffer, with the SHA-256 of its bytes: the
 * content hash every analysis reports so a result can be tied to the exact upload.
 */
export async function loadAudio(src: AudioSource): Promise<{ audio: DecodedAudio; contentHash: string }> {
  const limits = src.limits ?? DEFAULT_LIMITS;
  const bytes = src.bytes ?? (await readAudioFile(src.path!, limits));
  const audio = await decodeAudio(bytes, limits, src.plan);
  return { audio, contentHash: createHash('sha256').update(bytes).digest('hex') };
}
