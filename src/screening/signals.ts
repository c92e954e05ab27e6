// From what is known about one upload to its signals, each with evidence a reviewer can read.
// Pure: the audio facts, catalog matches, detector verdict, known artists, the uploader's recent
// activity and any consent answer come in already measured.

import type { ContainsAi } from '../catalog/index.ts';
import type { Verdict } from '../detect/index.ts';
import type { TrackMatch } from '../fingerprint/index.ts';
import type { AudioFacts } from './audio-facts.ts';
import { findImitation, plainName, type KnownArtist } from './names.ts';
import { checkTitle } from './titles.ts';
import type { SameAudio } from './store.ts';
import type { Severity, Signal, UploadMetadata } from './types.ts';

export const SCREENING_SETTINGS = {
  /** A catalog match covering this share of the upload is a re-upload; less, from `excerptSeconds`, an excerpt. */
  fullCopyShare: 0.8,
  excerptSeconds: 20,
  /**
   * A match screening acts on: at most one chance match this strong expected in a million
   * uploads against the whole index, with agreeing positions in at least half of the matched
   * span's tenths (spread along it, not one clump). Weaker matches are `similar_audio`: shown,
   * never acted on.
   */
  strongExpected: 1e-6,
  strongSpread: 0.5,
  /** Detector scores from here are called certain. */
  aiCertainScore: 0.9,
  /** Uploads per uploader in the window that count as a mass upload (medium, high). */
  massUpload: { windowSeconds: 3600, medium: 30, high: 150 },
  /**
   * Lengths that just clear the 30-second royalty threshold. Game cues and interludes are that
   * long too (a 34.7-s synth piece in the corpus), so one such track says nothing: it counts only
   * from an uploader sending several in the window.
   */
  shortFromSeconds: 30,
  shortBelowSeconds: 36,
  shortAmongUploads: 5,
  /** Silence: share of silent 100-ms frames. */
  silentShare: 0.9,
  /** Noise: spectral flatness (white noise is about 0.56), or a steady broadband level. */
  noiseFlatness: 0.3,
  steadyFlatness: 0.05,
  steadySpreadDb: 1.5,
  /** A loop: the track differs from itself one period later by less than this, on average. */
  loopDifferenceDb: 1,
} as const;

/** A catalog track the upload matched (fingerprint), and whether its artist is verified. */
export interface CatalogMatch extends TrackMatch {
  artistVerified: boolean;
}

export interface ScreeningInput {
  title: string;
  /** The artist profile the upload is delivered to. */
  artist: string | null;
  uploader: { id: string; verifiedArtists: readonly string[] };
  disclosure: ContainsAi | null;
  /** Declared by the uploader: the upload imitates this artist's voice or style. */
  imitates?: UploadMetadata['imitates'];
  /** The consent answer for that imitation, when declared. */
  imitationConsent?: { allowed: boolean; reason: string } | null;
  audio: AudioFacts;
  /**
   * Seconds between the upload's first and last fingerprint hash: the most of it a match can
   * cover (a match's span runs between hashes, so a whole copy covers this, not the duration).
   */
  fingerprintSpan?: number;
  matches: readonly CatalogMatch[];
  /** Only `ai` acts: `uncertain` is treated as no verdict, never as an accusation. */
  detection: { verdict: Verdict; score: number | null; reason: string; evidence?: unknown } | null;
  knownArtists: readonly KnownArtist[];
  recent: { count: number; windowSeconds: number; sameAudio: readonly SameAudio[] };
}

const r2 = (x: number) => Math.round(x * 100) / 100;

function describeMatch(m: CatalogMatch): string {
  const edits: string[] = [];
  if (Math.abs(m.speed - 1) > 0.005) edits.push(`speed ×${r2(m.speed)}`);
  if (Math.abs(m.pitchCents) > 20) edits.push(`pitch ${m.pitchCents > 0 ? '+' : ''}${Math.round(m.pitchCents)} cents`);
  if (Math.abs(m.tempo - 1) > 0.005 && Math.abs(m.tempo - m.speed) > 0.005) edits.push(`tempo ×${r2(m.tempo)}`);
  return `"${m.title}"${m.artist ? ` by ${m.artist}` : ''}${m.isrc ? ` (${m.isrc})` : ''}: upload ${r2(m.queryStart)}-${r2(m.queryEnd)} s = catalog ${r2(m.refStart)}-${r2(m.refEnd)} s${edits.length ? `, ${edits.join(', ')}` : ''}`;
}

/** The chance estimate in words: how many unrelated uploads would show an agreement this strong. */
function chanceText(m: CatalogMatch): string {
  const e = m.expected;
  const amount = e < 1e-99 ? 'under 1e-99' : e < 0.001 ? `about ${e.toExponential(1)}` : `about ${e.toPrecision(2)}`;
  return `${m.score} agreeing positions, ${amount} chance matches this strong expected per upload`;
}

export function screeningSignals(input: ScreeningInput, settings = SCREENING_SETTINGS): Signal[] {
  const out: Signal[] = [];
  const add = (name: Signal['name'], severity: Severity, text: string, data: Record<string, unknown> = {}) => out.push({ name, severity, evidence: { text, ...data } });
  const seconds = input.audio.seconds;
  const own = input.artist ? plainName(input.artist) : null;

  // Copies of the catalog, and whose audio it is: only from matches a person would accept.
  const strong = input.matches.filter((m) => m.expected <= settings.strongExpected && m.spread >= settings.strongSpread);
  const weak = input.matches.filter((m) => !strong.includes(m));
  if (weak.length > 0 && strong.length === 0) {
    const w = weak[0]!;
    add('similar_audio', 'info', `similar audio: ${describeMatch(w)}; ${chanceText(w)}, too weak to act on`, {
      trackId: w.trackId,
      score: w.score,
      expected: w.expected,
      spread: w.spread,
      plausible: w.plausible,
    });
  }
  const best = [...strong].sort((a, b) => b.queryEnd - b.queryStart - (a.queryEnd - a.queryStart))[0];
  if (best) {
    const covered = best.queryEnd - best.queryStart;
    const span = input.fingerprintSpan && input.fingerprintSpan > 0 ? Math.min(input.fingerprintSpan, seconds) : seconds;
    const share = span > 0 ? Math.min(1, covered / span) : 0;
    const severity: Severity | null = share >= settings.fullCopyShare ? 'high' : covered >= settings.excerptSeconds ? 'medium' : null;
    if (severity) {
      add('duplicate', severity, `${severity === 'high' ? 're-upload' : 'excerpt'} of ${describeMatch(best)} (${chanceText(best)})`, {
        trackId: best.trackId,
        isrc: best.isrc,
        share: r2(share),
        offsets: { upload: [r2(best.queryStart), r2(best.queryEnd)], catalog: [r2(best.refStart), r2(best.refEnd)] },
        speed: r2(best.speed),
        pitchCents: Math.round(best.pitchCents),
        tempo: r2(best.tempo),
        score: best.score,
        expected: best.expected,
        spread: best.spread,
      });
    }
    const foreign = strong.find((m) => m.artist && own !== null && plainName(m.artist) !== own && m.queryEnd - m.queryStart >= settings.excerptSeconds);
    if (foreign) {
      add('other_artist_audio', foreign.artistVerified ? 'high' : 'medium', `delivered as ${input.artist} but the audio is ${describeMatch(foreign)}`, {
        trackId: foreign.trackId,
        catalogArtist: foreign.artist,
        expected: foreign.expected,
      });
    }
  }

  // The profile: a verified artist's name from someone not verified for it, or an imitation of one.
  if (own) {
    const same = input.knownArtists.find((a) => a.verified && plainName(a.name) === own);
    if (same && !input.uploader.verifiedArtists.includes(same.id)) {
      add('unverified_to_verified', 'high', `uploader ${input.uploader.id} is not verified for ${same.name}, a verified artist`, { artistId: same.id });
    }
    const imitation = findImitation(input.artist!, input.knownArtists);
    if (imitation) {
      add('name_imitation', imitation.artist.verified ? 'high' : 'medium', `"${input.artist}" imitates ${imitation.artist.verified ? 'verified ' : ''}artist "${imitation.artist.name}" (${imitation.how})`, {
        artistId: imitation.artist.id,
        how: imitation.how,
        distance: imitation.distance,
      });
    }
  }

  // AI generation against what the release says.
  const d = input.detection;
  if (d && d.verdict === 'ai') {
    const severity: Severity = (d.score ?? 0) >= settings.aiCertainScore ? 'high' : 'medium';
    if (input.disclosure === 'All' || input.disclosure === 'Partly') {
      add('ai_disclosed', 'info', `the detector finds AI generation (${d.reason}) and the release discloses it (ContainsAI=${input.disclosure})`, { score: d.score, detection: d.evidence ?? null });
    } else {
      add('ai_undisclosed', severity, `the detector finds AI generation (${d.reason}) but the release ${input.disclosure === 'None' ? 'says ContainsAI=None' : 'discloses nothing'}`, {
        score: d.score,
        disclosure: input.disclosure,
        detection: d.evidence ?? null,
      });
    }
  }

  // Consent for a declared imitation.
  if (input.imitates && input.imitationConsent && !input.imitationConsent.allowed) {
    add('imitation_without_consent', 'high', `declared ${input.imitates.use.replace('_', ' ')} of ${input.imitates.artist}, who has not allowed it: ${input.imitationConsent.reason}`, { ...input.imitates });
  }

  // Spam.
  const m = settings.massUpload;
  if (input.recent.count >= m.medium) {
    add('mass_upload', input.recent.count >= m.high ? 'high' : 'medium', `${input.recent.count} uploads from ${input.uploader.id} in ${Math.round(input.recent.windowSeconds / 60)} minutes`, { count: input.recent.count });
  }
  const others = input.recent.sameAudio.filter((u) => plainName(u.title) !== plainName(input.title));
  if (others.length) {
    const byUploader = new Map<string, string[]>();
    for (const u of others.slice(0, 5)) byUploader.set(u.uploader, [...(byUploader.get(u.uploader) ?? []), `"${u.title}"`]);
    const text = [...byUploader].map(([who, titles]) => `by ${who === input.uploader.id ? who : `another uploader, ${who},`} as ${titles.join(', ')}`).join('; ');
    add('same_audio_other_titles', others.length >= 3 ? 'high' : 'medium', `the same audio was uploaded ${text}`, {
      uploads: others.map((u) => u.uploadId),
      uploaders: [...new Set(others.map((u) => u.uploader))],
    });
  }
  const t = checkTitle(input.title, input.artist, input.knownArtists);
  if (t.keywordStuffed) {
    const k = t.keywordStuffed;
    add('keyword_stuffed_title', 'medium', `title stuffed with search terms: ${k.baitWords.length} bait words (${k.baitWords.join(', ')}), ${k.separators} separators, ${k.hashtags} hashtags${k.repeated.length ? `, repeated ${k.repeated.join(', ')}` : ''}`, { ...k });
  }
  if (t.artistStuffed) {
    add('artist_stuffed_title', 'medium', `title names other artists: ${t.artistStuffed.artists.join(', ')}${t.artistStuffed.typeBeat ? ' ("type beat" / "in the style of")' : ''}`, { ...t.artistStuffed });
  }
  if (seconds >= settings.shortFromSeconds && seconds < settings.shortBelowSeconds && input.recent.count >= settings.shortAmongUploads) {
    add('artificially_short', 'medium', `${r2(seconds)} s: just over the 30-second threshold at which a stream pays, one of ${input.recent.count} uploads from ${input.uploader.id} in ${Math.round(input.recent.windowSeconds / 60)} minutes`, {
      seconds: r2(seconds),
      uploads: input.recent.count,
    });
  }
  const a = input.audio;
  if (a.silentShare >= settings.silentShare) add('silence', 'high', `${Math.round(a.silentShare * 100)}% of the audio is below -60 dBFS`, { silentShare: r2(a.silentShare) });
  else if (a.flatness >= settings.noiseFlatness || (a.flatness >= settings.steadyFlatness && a.levelSpreadDb < settings.steadySpreadDb)) {
    add('noise', 'medium', `noise rather than music: spectral flatness ${r2(a.flatness)}, level varying ${r2(a.levelSpreadDb)} dB`, { flatness: r2(a.flatness), levelSpreadDb: r2(a.levelSpreadDb) });
  }
  if (a.loop && a.loop.differenceDb < settings.loopDifferenceDb) {
    add('short_loop', 'medium', `a ${a.loop.periodSeconds}-s loop repeated ${Math.floor(seconds / a.loop.periodSeconds)} times (repeats differ by ${a.loop.differenceDb} dB on average)`, { ...a.loop });
  }
  return out;
}
