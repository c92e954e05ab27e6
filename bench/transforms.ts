// Transformations a track meets between a generator and a distributor, applied with ffmpeg and
// sox to a WAV excerpt. Each writes a file and returns its path.

import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ff = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: 'ignore' });
const sx = (...args: string[]) => execFileSync('sox', args, { stdio: 'ignore' });

export type Transform = (src: string, dir: string, name: string) => string;

export const TRANSFORMS: Record<string, Transform> = {
  clean: (src) => src,
  mp3_128k: (src, dir, name) => out(dir, name, 'mp3', (o) => ff('-i', src, '-c:a', 'libmp3lame', '-b:a', '128k', o)),
  opus_96k: (src, dir, name) => out(dir, name, 'opus', (o) => ff('-i', src, '-c:a', 'libopus', '-b:a', '96k', o)),
  eq: (src, dir, name) =>
    out(dir, name, 'wav', (o) => ff('-i', src, '-af', 'equalizer=f=120:t=q:w=1:g=5,equalizer=f=2500:t=q:w=1:g=-4,equalizer=f=9000:t=q:w=1:g=4', '-c:a', 'pcm_s16le', o)),
  noise_30db: (src, dir, name) => out(dir, name, 'wav', (o) => addNoise(src, o, 30)),
  lowpass_11k: (src, dir, name) => out(dir, name, 'wav', (o) => sx(src, '-b', '16', o, 'sinc', '-11000')),
  speed_up_2pct: (src, dir, name) => out(dir, name, 'wav', (o) => sx(src, '-b', '16', o, 'speed', '1.02')),
  speed_down_2pct: (src, dir, name) => out(dir, name, 'wav', (o) => sx(src, '-b', '16', o, 'speed', '0.98')),
  pitch_up_1st: (src, dir, name) => out(dir, name, 'wav', (o) => sx(src, '-b', '16', o, 'pitch', '100')),
  pitch_down_1st: (src, dir, name) => out(dir, name, 'wav', (o) => sx(src, '-b', '16', o, 'pitch', '-100')),
  crop_10s: (src, dir, name) => out(dir, name, 'wav', (o) => ff('-ss', '5', '-t', '10', '-i', src, '-c:a', 'pcm_s16le', o)),
};

function out(dir: string, name: string, ext: string, make: (o: string) => void): string {
  const o = join(dir, `${name}.${ext}`);
  make(o);
  return o;
}

/**
 * White noise at `snrDb` below the excerpt's own RMS (sox measures the RMS), independent in each
 * channel, at the excerpt's own rate and channel count: only noise is added, nothing is resampled
 * or mixed down.
 */
function addNoise(src: string, o: string, snrDb: number): void {
  const stat = spawnSync('sox', [src, '-n', 'stat'], { encoding: 'utf8' }).stderr;
  const rms = Number(/RMS\s+amplitude:\s+([\d.e-]+)/.exec(stat)?.[1] ?? 0.1);
  const noiseRms = rms * 10 ** (-snrDb / 20);
  // ffmpeg's white anoisesrc is uniform, with RMS about 0.577 of its amplitude; scale it to noiseRms.
  const gain = noiseRms / 0.577;
  const rate = spawnSync('soxi', ['-r', src], { encoding: 'utf8' }).stdout.trim();
  const channels = Number(spawnSync('soxi', ['-c', src], { encoding: 'utf8' }).stdout.trim());
  const sources = Array.from({ length: channels }, (_, i) => `anoisesrc=color=white:amplitude=${gain.toFixed(6)}:seed=${7 + i}:sample_rate=${rate}[n${i}]`);
  const joined = channels > 1 ? `${sources.map((_, i) => `[n${i}]`).join('')}amerge=inputs=${channels}[n]` : '[n0]anull[n]';
  const graph = `${sources.join(';')};${joined};[0:a][n]amix=inputs=2:duration=first:normalize=0`;
  ff('-i', src, '-filter_complex', graph, '-ar', rate, '-ac', String(channels), '-c:a', 'pcm_s16le', o);
}

/** First `seconds` of any file as 16-bit WAV at its own rate and channels (the bench's "clean"). */
export function excerpt(src: string, dir: string, name: string, seconds: number): string {
  const o = join(dir, `${name}.wav`);
  ff('-t', String(seconds), '-i', src, '-c:a', 'pcm_s16le', o);
  return o;
}

/** `src` mixed to mono and resampled to `rate` Hz, as 32-bit float WAV (a model's working rate). */
export function monoAt(src: string, dir: string, name: string, rate: number): string {
  return out(dir, name, 'wav', (o) => ff('-i', src, '-ac', '1', '-ar', String(rate), '-c:a', 'pcm_f32le', o));
}
