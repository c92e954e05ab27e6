import { decodeFile } from './src/audio/index.ts';
import { fingerprintPcm } from './src/fingerprint/extract.ts';
const a = await decodeFile('../shared/corpus/cluecards__game-30s.mp3');
let fp; const t = performance.now(); for (let i = 0; i < 3; i++) fp = fingerprintPcm(a.channels, a.sampleRate);
console.log('x realtime', (3 * a.durationSeconds / ((performance.now() - t) / 1000)).toFixed(0), 'peaks/s', (fp!.peaks.count / a.durationSeconds).toFixed(1), 'hashes/s', (fp!.hashes.count / a.durationSeconds).toFixed(1));
const keys = new Set(fp!.hashes.keys); console.log('distinct keys', keys.size, 'of', fp!.hashes.count);
