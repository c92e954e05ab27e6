// The distortion ladder: an excerpt of a track at a seeded offset (cut by ffmpeg), then one edit made with sox,
// ffmpeg or (for noise) in code, decoded back to PCM.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, type DecodedAudio } from '../src/audio/index.ts';

export interface Condition {
  name: string;
  /** Excerpt length in the original's timeline, seconds. */
  seconds: number;
  /** Edit applied to the excerpt file `src`, writing `dst` (WAV). */
  edit?: (src: string, dst: string) => void;
  snrDb?: number;
}

const sox = (...args: string[]) => execFileSync('sox', args, { stdio: 'ignore' });
const ffmpeg = (...args: string[]) => execFileSync('ffmpeg', ['-v', 'error', '-y', ...args], { stdio: 'ignore' });

function encodeDecode(codec: string, ext: string) {
  return (src: string, dst: string) => {
    const mid = `${dst}.${ext}`;
    ffmpeg('-i', src, '-c:a', codec, '-b:a', '64k', mid);
    ffmpeg('-i', mid, dst);
  };
}

export function conditions(): Condition[] {
  const out: Condition[] = [
    { name: 'clean', seconds: 10 },
    { name: 'mp3_64k', seconds: 10, edit: encodeDecode('libmp3lame', 'mp3') },
    { name: 'opus_64k', seconds: 10, edit: encodeDecode('libopus', 'opus') },
    { name: 'snr_10db', seconds: 10, snrDb: 10 },
    { name: 'snr_0db', seconds: 10, snrDb: 0 },
    { name: 'eq_gain', seconds: 10, edit: (s, d) => sox(s, d, 'bass', '+8', 'treble', '-6', 'gain', '-8') },
    { name: 'excerpt_5s', seconds: 5 },
  ];
  for (let pct = 90; pct <= 110; pct++) {
    if (pct === 100) continue;
    const f = (pct / 100).toFixed(2);
    out.push({ name: `speed_${f}`, seconds: 10, edit: (s, d) => sox(s, d, 'speed', f, 'rate', '44100') });
  }
  for (const c of [-200, -100, 100, 200]) out.push({ name: `pitch_${c > 0 ? '+' : ''}${c}c`, seconds: 10, edit: (s, d) => sox(s, d, 'pitch', String(c)) });
  for (const t of ['0.90', '0.95', '1.05', '1.10']) out.push({ name: `tempo_${t}`, seconds: 10, edit: (s, d) => sox(s, d, 'tempo', t) });
  return out;
}

export class Workdir {
  readonly dir = mkdtempSync(join(tmpdir(), 'll-bench-'));
  private n = 0;
  file(ext: string) {
    return join(this.dir, `f${this.n++}.${ext}`);
  }
  dispose() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Makes the excerpt (as WAV), applies the condition, returns decoded PCM. */
export async function makeQuery(w: Workdir, track: string, offset: number, c: Condition, random: () => number): Promise<DecodedAudio> {
  const excerpt = w.file('wav');
  // ffmpeg cuts the excerpt: it reads every codec in the corpus (Debian's sox reads no Opus).
  ffmpeg('-ss', offset.toFixed(3), '-t', String(c.seconds), '-i', track, '-c:a', 'pcm_s16le', excerpt);
  let path = excerpt;
  if (c.edit) {
    path = w.file('wav');
    c.edit(excerpt, path);
  }
  const audio = await decodeAudio(new Uint8Array(readFileSync(path)));
  if (c.snrDb !== undefined) addNoise(audio, c.snrDb, random);
  return audio;
}

/** Adds white Gaussian noise at `snrDb` below the excerpt's own power. */
function addNoise(a: DecodedAudio, snrDb: number, random: () => number) {
  let power = 0;
  let n = 0;
  for (const ch of a.channels) for (let i = 0; i < ch.length; i++, n++) power += ch[i]! * ch[i]!;
  const sigma = Math.sqrt(power / n / 10 ** (snrDb / 10));
  for (const ch of a.channels) {
    for (let i = 0; i < ch.length; i++) {
      // Box-Muller
      const u = Math.max(random(), 1e-12);
      const v = random();
      ch[i]! += sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
  }
}
