// Screening signals, measured on real music from the shared corpus and on audio made from it:
// impostor names, stuffed titles, silence, noise, loops (also after MP3 re-encoding), short
// tracks, and the policy that turns signals into a decision. The corpus's own artists and
// titles must raise nothing.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFile, toMono } from '../../src/audio/index.ts';
import { applyPolicy, audioFacts, checkPolicy, readPolicy, checkTitle, DEFAULT_POLICY, findImitation, screeningSignals, type KnownArtist, type ScreeningInput } from '../../src/screening/index.ts';
import { analysisSignal } from '../../src/fingerprint/index.ts';
import { isLedgerlineError, seededRandom } from '../../src/shared/index.ts';
import { CORPUS, corpusFile } from '../helpers/corpus.ts';
import { ffmpeg } from '../helpers/tools.ts';
import { wavBytes } from '../helpers/audio.ts';

const manifest = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const KNOWN: KnownArtist[] = [
  { id: 'a1', name: 'Taylor Swift', verified: true },
  { id: 'a2', name: 'Drake', verified: true },
  { id: 'a3', name: 'Nova Lane', verified: false },
  { id: 'a4', name: 'Travis Scott', verified: true },
];

describe('names and titles', () => {
  it('finds look-alike characters, small edits and added words', () => {
    expect(findImitation('Taylor Swlft', KNOWN)).toMatchObject({ artist: { name: 'Taylor Swift' }, how: 'look-alike characters' });
    expect(findImitation('Тaylor Swіft', KNOWN)).toMatchObject({ artist: { name: 'Taylor Swift' }, how: 'look-alike characters' });
    expect(findImitation('T4yl0r $wift', KNOWN)).toMatchObject({ artist: { name: 'Taylor Swift' }, how: 'look-alike characters' });
    expect(findImitation('Drakke', KNOWN)).toMatchObject({ artist: { name: 'Drake' }, how: 'small edit' });
    expect(findImitation('Drake Official', KNOWN)).toMatchObject({ artist: { name: 'Drake' }, how: 'added words' });
    expect(findImitation('The Real Drake', KNOWN)).toMatchObject({ artist: { name: 'Drake' }, how: 'added words' });
    expect(findImitation('Travis Scot', KNOWN)).toMatchObject({ artist: { name: 'Travis Scott' }, how: 'small edit' });
  });

  it('leaves the artist itself and different names alone, across every artist of the corpus', () => {
    expect(findImitation('Drake', KNOWN)).toBeNull();
    expect(findImitation('drake', KNOWN)).toBeNull();
    expect(findImitation('Drake Bell Orchestra', KNOWN)).toBeNull();
    expect(findImitation('Blake', KNOWN)).toBeNull();
    const artists = [...new Set(manifest.map((r) => r[4]!))].map((name, i) => ({ id: `c${i}`, name, verified: true }));
    for (const a of artists) expect(findImitation(a.name, artists), a.name).toBeNull();
  });

  it('flags titles stuffed with search terms or other artists, and none of the corpus titles', () => {
    expect(checkTitle('Relaxing Sleep Music | Deep Sleep | Study Music | Rain Sounds | 10 Hours', null, KNOWN).keywordStuffed).not.toBeNull();
    expect(checkTitle('chill #lofi #study #sleep', null, KNOWN).keywordStuffed).not.toBeNull();
    expect(checkTitle('Drake x Travis Scott Type Beat', 'Beatmaker', KNOWN).artistStuffed).toMatchObject({ artists: ['Drake', 'Travis Scott'], typeBeat: true });
    expect(checkTitle('Hotline (feat. Drake)', 'Nova Lane', KNOWN).artistStuffed).toBeNull();
    for (const r of manifest) {
      const t = checkTitle(r[8]!, r[4]!, KNOWN);
      expect(t.keywordStuffed, r[8]).toBeNull();
      expect(t.artistStuffed, r[8]).toBeNull();
    }
  });
});

/** The facts as screening computes them: on the fingerprint's analysis signal. */
function factsOf(channels: Float32Array[], rate: number) {
  const signal = analysisSignal(channels, rate);
  return audioFacts(signal.samples, signal.rate);
}

describe('audio facts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'll-screen-'));
  const rate = 44100;

  it('raises nothing on real music of every kind in the corpus', async () => {
    for (const r of manifest.filter((_, i) => i % 4 === 0)) {
      const audio = await decodeFile(corpusFile(r[0]!));
      const facts = factsOf(audio.channels, audio.sampleRate);
      const signals = screeningSignals(input({ audio: facts }));
      expect(signals.map((s) => s.name), r[0]).toEqual([]);
    }
  });

  it('finds a 5-second loop filling a minute, also after MP3 re-encoding, with its period', async () => {
    const audio = await decodeFile(corpusFile('digabi__maddirtmonkey_electronic_happy_song.mp3'));
    const mono = toMono(audio.channels);
    const seg = mono.subarray(40 * rate, 45 * rate);
    const looped = new Float32Array(60 * rate).map((_, i) => seg[i % seg.length]!);
    const wav = join(dir, 'loop.wav');
    writeFileSync(wav, wavBytes([looped], rate));
    ffmpeg('-i', wav, '-b:a', '128k', join(dir, 'loop.mp3'));
    for (const f of [wav, join(dir, 'loop.mp3')]) {
      const a = await decodeFile(f);
      const facts = factsOf(a.channels, a.sampleRate);
      expect(facts.loop!.periodSeconds, f).toBeCloseTo(5, 0);
      const s = screeningSignals(input({ audio: facts }));
      expect(s.find((x) => x.name === 'short_loop')?.evidence.text, f).toMatch(/a 5-s loop repeated 12 times/);
    }
  });

  it('calls silence, white and steady pink noise, and 31-second tracks among many what they are', () => {
    const rand = seededRandom(5);
    const white = new Float32Array(60 * rate).map(() => (rand() * 2 - 1) * 0.3);
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    const pink = new Float32Array(60 * rate).map(() => {
      // Paul Kellet's economy pink filter coefficients, a standard 3-pole approximation.
      const w = rand() * 2 - 1;
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      return (b0 + b1 + b2 + w * 0.1848) * 0.05;
    });
    const silence = new Float32Array(60 * rate).map(() => (rand() - 0.5) * 1e-5);
    expect(screeningSignals(input({ audio: factsOf([white], rate) })).map((s) => s.name)).toContain('noise');
    expect(screeningSignals(input({ audio: factsOf([pink], rate) })).map((s) => s.name)).toContain('noise');
    expect(screeningSignals(input({ audio: factsOf([silence], rate) })).find((s) => s.name === 'silence')).toMatchObject({ severity: 'high' });
    // A 31-second track alone is a cue or an interlude; among an uploader's many, royalty bait.
    const audio = { seconds: 31.2, silentShare: 0, flatness: 0.001, levelSpreadDb: 6, loop: null };
    expect(screeningSignals(input({ audio })).map((s) => s.name)).not.toContain('artificially_short');
    const short = screeningSignals(input({ audio, recent: { count: 8, windowSeconds: 3600, sameAudio: [] } }));
    expect(short.find((s) => s.name === 'artificially_short')!.evidence.text).toMatch(/31.2 s: just over the 30-second threshold at which a stream pays, one of 8 uploads from u1 in 60 minutes/);
  });
});

function input(over: Partial<ScreeningInput> = {}): ScreeningInput {
  return {
    title: 'Low Tide',
    artist: 'Nova Lane',
    uploader: { id: 'u1', verifiedArtists: ['a3'] },
    disclosure: null,
    audio: { seconds: 200, silentShare: 0, flatness: 0.001, levelSpreadDb: 6, loop: null },
    matches: [],
    detection: null,
    knownArtists: KNOWN,
    recent: { count: 1, windowSeconds: 3600, sameAudio: [] },
    ...over,
  };
}

describe('signals and policy', () => {
  const match = { trackId: 't1', title: 'Hotline', isrc: 'GBAAA2600001', artist: 'Drake', artistVerified: true, score: 120, expected: 1e-80, spread: 1, plausible: true, edit: 'speed' as const, queryStart: 0, queryEnd: 190, refStart: 10, refEnd: 209, speed: 1.02, pitchCents: 34, tempo: 1.02 };

  it('names the catalog track, offsets and factors of a re-upload, and whose audio it is', () => {
    const s = screeningSignals(input({ matches: [match] }));
    const dup = s.find((x) => x.name === 'duplicate')!;
    expect(dup.severity).toBe('high');
    expect(dup.evidence.text).toBe(
      're-upload of "Hotline" by Drake (GBAAA2600001): upload 0-190 s = catalog 10-209 s, speed ×1.02, pitch +34 cents (120 agreeing positions, about 1.0e-80 chance matches this strong expected per upload)',
    );
    expect(dup.evidence).toMatchObject({ expected: 1e-80, spread: 1 });
    expect(s.find((x) => x.name === 'other_artist_audio')).toMatchObject({ severity: 'high' });
    expect(applyPolicy(DEFAULT_POLICY, s)).toMatchObject({ decision: 'reject', policyVersion: 'ledgerline-default-1' });
    const excerpt = screeningSignals(input({ matches: [{ ...match, queryStart: 30, queryEnd: 60 }] })).find((x) => x.name === 'duplicate')!;
    expect(excerpt.severity).toBe('medium');
  });

  it('shows a match too weak to act on as similar audio, and accepts the upload', () => {
    // The shape of a chance agreement: a dozen positions over most of a track, as likely as not
    // between unrelated recordings of this index's size.
    const chance = { ...match, score: 12, expected: 0.004, spread: 0.6 };
    const s = screeningSignals(input({ matches: [chance] }));
    expect(s.map((x) => x.name)).toEqual(['similar_audio']);
    expect(s[0]).toMatchObject({ severity: 'info', evidence: { trackId: 't1', expected: 0.004 } });
    expect(s[0]!.evidence.text).toMatch(/^similar audio: "Hotline".*about 0\.0040 chance matches this strong expected per upload, too weak to act on$/);
    expect(applyPolicy(DEFAULT_POLICY, s).decision).toBe('accept');
    // Strong by chance estimate but clumped in a tenth of its span: not acted on either.
    const clumped = screeningSignals(input({ matches: [{ ...match, spread: 0.1 }] }));
    expect(clumped.map((x) => x.name)).toEqual(['similar_audio']);
    // A strong match beside a weak one: the strong one acts, the weak one is not shown.
    expect(screeningSignals(input({ matches: [chance, match] })).map((x) => x.name)).toEqual(['duplicate', 'other_artist_audio']);
  });

  it('refuses a policy that would reject or hold on a match too weak to act on', () => {
    for (const decision of ['reject', 'hold_for_review']) {
      expect(() => checkPolicy({ version: 'x', default: 'accept', rules: [{ signal: 'similar_audio', decision }] })).toThrow(/similar_audio only informs/);
    }
    expect(checkPolicy({ version: 'x', default: 'accept', rules: [{ signal: 'similar_audio', decision: 'label' }] }).rules).toHaveLength(1);
  });

  it('holds an impostor profile and an unverified delivery to a verified artist', () => {
    const impostor = screeningSignals(input({ artist: 'Taylor Swlft' }));
    expect(impostor.find((x) => x.name === 'name_imitation')!.evidence.text).toBe('"Taylor Swlft" imitates verified artist "Taylor Swift" (look-alike characters)');
    expect(applyPolicy(DEFAULT_POLICY, impostor).decision).toBe('hold_for_review');
    const unverified = screeningSignals(input({ artist: 'Drake' }));
    expect(unverified.map((x) => x.name)).toEqual(['unverified_to_verified']);
    expect(screeningSignals(input({ artist: 'Drake', uploader: { id: 'label', verifiedArtists: ['a2'] } }))).toEqual([]);
  });

  it('labels disclosed AI, holds undisclosed AI, and rejects an imitation the artist refused', () => {
    const detection = { verdict: 'ai' as const, score: 0.97, reason: 'peaks every 172.27 Hz = 44100/256' };
    expect(applyPolicy(DEFAULT_POLICY, screeningSignals(input({ detection, disclosure: 'All' }))).decision).toBe('label');
    const hidden = screeningSignals(input({ detection, disclosure: 'None' }));
    expect(hidden[0]).toMatchObject({ name: 'ai_undisclosed', severity: 'high' });
    expect(applyPolicy(DEFAULT_POLICY, hidden).decision).toBe('hold_for_review');
    const refused = screeningSignals(input({ imitates: { artist: 'Drake', use: 'voice_clone' }, imitationConsent: { allowed: false, reason: 'no rights holder has given consent' } }));
    expect(applyPolicy(DEFAULT_POLICY, refused).decision).toBe('reject');
  });

  it('treats an uncertain detection as no verdict: no signal, never an accusation', () => {
    const detection = { verdict: 'uncertain' as const, score: 0.31, reason: 'evenly spaced lines stand out (the phase-locked reading) (strength 1), but the lines could be a held note: ...' };
    for (const disclosure of ['None', null] as const) {
      const signals = screeningSignals(input({ detection, disclosure }));
      expect(signals.filter((x) => x.name.startsWith('ai_'))).toEqual([]);
      expect(applyPolicy(DEFAULT_POLICY, signals).decision).toBe('accept');
    }
  });

  it('keeps spam out of recommendations: bursts, the same audio under other titles', () => {
    const burst = screeningSignals(input({ recent: { count: 45, windowSeconds: 3600, sameAudio: [{ uploadId: 'x1', uploader: 'u1', title: 'Ocean Sleep' }, { uploadId: 'x2', uploader: 'u1', title: 'low tide' }, { uploadId: 'x3', uploader: 'u9', title: 'Sea Sleep' }] } }));
    expect(burst.map((x) => x.name)).toEqual(['mass_upload', 'same_audio_other_titles']);
    expect(burst[1]!.evidence.text).toBe('the same audio was uploaded by u1 as "Ocean Sleep"; by another uploader, u9, as "Sea Sleep"');
    expect(applyPolicy(DEFAULT_POLICY, burst).decision).toBe('hold_for_review');
  });

  it('checks a policy document and names what is wrong', () => {
    const err = (doc: unknown) => {
      try {
        checkPolicy(doc);
        return 'ok';
      } catch (e) {
        return isLedgerlineError(e) ? e.message : String(e);
      }
    };
    expect(err({ version: 'v2', default: 'accept', rules: [{ signal: 'duplicate', decision: 'reject' }] })).toBe('ok');
    expect(err({ version: 'v2', default: 'accept', rules: [{ signal: 'dupe', decision: 'reject' }] })).toBe('rule 0: unknown signal "dupe"');
    expect(err({ version: 'v2', default: 'delete', rules: [] })).toMatch(/default must be one of/);
    expect(err({ version: 'v2', default: 'accept', rules: [{ signal: 'noise', decision: 'reject', minSeverity: 'huge' }] })).toMatch(/rule 0: minSeverity/);
    expect(err([])).toMatch(/JSON object/);
    expect(() => readPolicy('{ nope', 'policy.json')).toThrow(/policy.json: not JSON/);
    expect(readPolicy(JSON.stringify({ version: 'strict-2', default: 'accept', rules: [{ signal: 'noise', decision: 'reject' }] }), 'p.json').version).toBe('strict-2');
  });

  it('reads a YAML policy as plain data, and refuses a YAML bomb and a policy YAML gets wrong', () => {
    const yaml = ['version: strict-3', 'default: accept', 'rules:', '  - signal: noise', '    decision: reject', '  - signal: duplicate', '    minSeverity: high', '    decision: hold_for_review', ''].join('\n');
    expect(readPolicy(yaml, 'policy.yaml')).toEqual({
      version: 'strict-3',
      default: 'accept',
      rules: [
        { signal: 'noise', decision: 'reject' },
        { signal: 'duplicate', minSeverity: 'high', decision: 'hold_for_review' },
      ],
    });
    // Each level doubles the last: 2^20 copies if aliases were expanded without bound.
    const bomb = ['a: &a [x, x]', ...Array.from({ length: 20 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(() => readPolicy(bomb, 'bomb.yml')).toThrow(/bomb.yml: not YAML/);
    expect(() => readPolicy('version: [unclosed', 'p.yaml')).toThrow(/p.yaml: not YAML/);
    expect(() => readPolicy('version: v1\nversion: v2\ndefault: accept\nrules: []', 'p.yaml')).toThrow(/p.yaml: not YAML/);
    // Unquoted "no" is a string in YAML 1.2, so a decision spelled wrong is still named.
    expect(() => readPolicy('version: v1\ndefault: no\nrules: []', 'p.yaml')).toThrow(/default must be one of/);
  });
});
