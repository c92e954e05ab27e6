// npm run bench:hostile — what hostile input costs the service, each case in a fresh process so
// its peak memory is its own. Prints one JSON line: per case the outcome (the error code it was
// refused with, or "accepted"), wall time in ms and the process's peak RSS in MB.
// - xml_deep: 100,000 nested elements (700 KB); xml_flat: 20 MB of empty elements;
// - flac_bomb: 8 channels of silence at 192 kHz for 10 minutes (about 250 KB of FLAC);
//   flac_bomb_no_total: the same with the header's total-samples field zeroed ("unknown").
// The FLAC is made with the ffmpeg that arrives with npm ci.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const CASES = ['xml_deep', 'xml_flat', 'flac_bomb', 'flac_bomb_no_total'] as const;
type Case = (typeof CASES)[number];

async function runCase(name: Case, dir: string): Promise<{ outcome: string; ms: number; peakRssMb: number }> {
  const t0 = performance.now();
  let outcome = 'accepted';
  try {
    if (name.startsWith('xml')) {
      const { parseXml } = await import('../src/catalog/ddex/index.ts');
      const xml = name === 'xml_deep' ? `<r>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</r>` : `<r>${'<a/>'.repeat(5_000_000)}</r>`.slice(0, 20 * 1024 * 1024 - 10) + '</r>';
      parseXml(xml);
    } else {
      const { decodeAudio } = await import('../src/audio/index.ts');
      await decodeAudio(new Uint8Array(readFileSync(join(dir, `${name}.flac`))));
    }
  } catch (err) {
    outcome = (err as { code?: string }).code ?? String(err);
  }
  return { outcome, ms: Math.round(performance.now() - t0), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

const i = process.argv.indexOf('--case');
if (i >= 0) {
  console.log(JSON.stringify(await runCase(process.argv[i + 1] as Case, process.argv[i + 2]!)));
} else {
  const dir = mkdtempSync(join(tmpdir(), 'll-bench-hostile-'));
  const ffmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anullsrc=r=192000:cl=7.1', '-t', '600', '-c:a', 'flac', join(dir, 'flac_bomb.flac')]);
  const bomb = readFileSync(join(dir, 'flac_bomb.flac'));
  bomb[8 + 13]! &= 0xf0;
  bomb.fill(0, 8 + 14, 8 + 18);
  writeFileSync(join(dir, 'flac_bomb_no_total.flac'), bomb);
  const out: Record<string, unknown> = { flacBytes: bomb.length };
  for (const c of CASES) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--case', c, dir], { encoding: 'utf8' });
    out[c] = JSON.parse(r.stdout.trim().split('\n').pop()!);
    process.stderr.write(`${c}: ${JSON.stringify(out[c])}\n`);
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify(out));
}
