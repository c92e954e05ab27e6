// The audio and XML tools tests make fixtures with, all arriving with `npm ci`: ffmpeg and ffprobe
// as binaries inside npm packages (@ffmpeg-installer, @ffprobe-installer), and libxml2's schema
// validation compiled to WASM (xmllint-wasm). A machine without sox, ffmpeg or xmllint runs every
// test the same as one with them, because the system's copies are never used.
//
// `edit` stands in for the sox command lines the tests used: trim, speed, pitch, tempo, rate and
// a steep low-pass, with libsoxr doing the resampling as in sox itself.

import { execFileSync } from 'node:child_process';
import { accessSync, chmodSync, constants, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function executable(path: string): string {
  try {
    accessSync(path, constants.X_OK);
  } catch {
    // npm may skip the packages' own `chmod u+x` install scripts; the bit is all they do.
    chmodSync(path, 0o755);
  }
  return path;
}

export const FFMPEG = executable((require('@ffmpeg-installer/ffmpeg') as { path: string }).path);
export const FFPROBE = executable((require('@ffprobe-installer/ffprobe') as { path: string }).path);

export const ffmpeg = (...args: string[]) => execFileSync(FFMPEG, ['-v', 'error', '-nostdin', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });

export interface Edit {
  /** Seconds cut from the start, then how many are kept. */
  start?: number;
  seconds?: number;
  /** Speed change: pitch and tempo together, as a tape played fast (sox `speed`). */
  speed?: number;
  /** Pitch shift keeping tempo (sox `pitch`). */
  pitchCents?: number;
  /** Tempo change keeping pitch (sox `tempo`). */
  tempo?: number;
  /** Output sample rate through libsoxr's high-quality resampler (sox `rate`). */
  rate?: number;
  /** Output rate through linear interpolation: a low-quality resampler's periodic trace (sox `rate -q`). */
  quickRate?: number;
  /** A steep low-pass at this frequency (sox `sinc -F`): down to twice it and back through libsoxr. */
  lowpassHz?: number;
  mono?: boolean;
}

/** Writes `src` with the edits applied to `dst`, whose extension picks the container and codec. */
export function edit(src: string, dst: string, e: Edit = {}): void {
  const rate = Number(execFileSync(FFPROBE, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=sample_rate', '-of', 'default=nw=1:nk=1', src], { encoding: 'utf8' }).trim());
  const filters: string[] = [];
  if (e.start !== undefined || e.seconds !== undefined) {
    const start = e.start ?? 0;
    filters.push(`atrim=start=${start}${e.seconds !== undefined ? `:duration=${e.seconds}` : ''}`, 'asetpts=PTS-STARTPTS');
  }
  if (e.speed !== undefined) filters.push(`asetrate=${rate * e.speed}`, `aresample=${rate}:resampler=soxr:precision=28`);
  if (e.pitchCents !== undefined) {
    const ratio = 2 ** (e.pitchCents / 1200);
    filters.push(`asetrate=${rate * ratio}`, `aresample=${rate}:resampler=soxr:precision=28`, `atempo=${1 / ratio}`);
  }
  if (e.tempo !== undefined) filters.push(`atempo=${e.tempo}`);
  if (e.lowpassHz !== undefined) filters.push(`aresample=${2 * e.lowpassHz}:resampler=soxr:precision=28`, `aresample=${rate}:resampler=soxr:precision=28`);
  if (e.rate !== undefined) filters.push(`aresample=${e.rate}:resampler=soxr:precision=28`);
  if (e.quickRate !== undefined) filters.push(`aresample=${e.quickRate}:filter_size=1:linear_interp=1:phase_shift=0`);
  const args = ['-i', src];
  if (filters.length) args.push('-af', filters.join(','));
  if (e.mono) args.push('-ac', '1');
  if (dst.endsWith('.wav')) args.push('-c:a', 'pcm_s16le');
  ffmpeg(...args, '-map_metadata', '-1', dst);
}

/** A sine at `hz` of `seconds`, 16-bit mono WAV at `rate` (sox `-n synth`). */
export function sine(dst: string, hz: number, seconds: number, rate: number): void {
  ffmpeg('-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=${rate}:duration=${seconds}`, '-ac', '1', '-c:a', 'pcm_s16le', dst);
}

interface XmllintResult {
  valid: boolean;
  errors: { rawMessage: string }[];
}

/** Validates `xml` against the schema at `xsdPath` and the schemas beside it that it imports. */
export async function validateXml(xml: string, xsdPath: string, imports: string[] = []): Promise<string[]> {
  const { validateXML } = (await import('xmllint-wasm')) as unknown as { validateXML: (o: unknown) => Promise<XmllintResult> };
  const file = (p: string) => ({ fileName: p.split('/').pop()!, contents: readFileSync(p, 'utf8') });
  const r = await validateXML({
    xml: [{ fileName: 'message.xml', contents: xml }],
    schema: [file(xsdPath)],
    preload: imports.map((name) => file(join(dirname(xsdPath), name))),
  });
  return r.valid ? [] : r.errors.map((err) => err.rawMessage);
}
