import { defineErrorCodes } from '../shared/index.ts';

export const ConsentErrors = defineErrorCodes('CONSENT', {
  UNKNOWN_ISRC: { kind: 'not_found', title: 'No track with this ISRC in the organisation' },
  UNKNOWN_SCOPE: { kind: 'not_found', title: 'No artist, release, track or rights holder with this id' },
  BAD_USE: { kind: 'bad_input', title: 'Not a consent use' },
  BAD_STATE: { kind: 'bad_input', title: 'Not a consent state' },
  BAD_LEVEL: { kind: 'bad_input', title: 'Not a consent level (track, release, artist, rights_holder)' },
  BAD_TERMS: { kind: 'bad_input', title: 'The constrained terms are not valid' },
  OVERLAPPING_TERMS: { kind: 'bad_input', title: 'Two constrained terms cover the same licensee, territory, purpose and time' },
  BAD_TERRITORY: { kind: 'bad_input', title: 'Not an ISO 3166-1 alpha-2 territory code (or Worldwide)' },
  BAD_TIME: { kind: 'bad_input', title: 'Not an ISO 8601 instant, or an effective time in the past' },
  FORBIDDEN: { kind: 'forbidden', title: 'Only a rights holder of the track (or its artist, for voice and style) may change its consent' },
  BATCH_TOO_LARGE: { kind: 'too_large', title: 'Too many ISRCs in one batch check' },
  BAD_SIGNAL: { kind: 'bad_input', title: 'The TDMRep or ai.txt file cannot be read' },
});
