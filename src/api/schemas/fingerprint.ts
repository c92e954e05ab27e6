// Match response: the same object `ledgerline match --json` prints per file.

import { Type } from '@sinclair/typebox';

export const TrackMatch = Type.Object({
  trackId: Type.String({ format: 'uuid' }),
  title: Type.String(),
  artist: Type.Union([Type.String(), Type.Null()]),
  isrc: Type.Union([Type.String(), Type.Null()]),
  score: Type.Integer({ description: 'Distinct query positions agreeing on one edit of this track' }),
  expected: Type.Number({
    minimum: 0,
    description:
      'Chance estimate: the number of matches at least this strong expected between unrelated recordings in this query\'s search of the whole index (an e-value; smaller is stronger). Matches above 0.01 are not reported; screening acts only from 1e-6 down.',
  }),
  spread: Type.Number({ minimum: 0, maximum: 1, description: "share of the matched span's tenths that hold agreeing positions" }),
  plausible: Type.Boolean({ description: 'the edit is one a single tool makes (speed, pitch shift or tempo change alone, or none)' }),
  edit: Type.Union([Type.Literal('none'), Type.Literal('speed'), Type.Literal('pitch'), Type.Literal('tempo'), Type.Literal('speed+tempo')]),
  queryStart: Type.Number({ description: 'seconds into the query' }),
  queryEnd: Type.Number(),
  refStart: Type.Number({ description: 'seconds into the catalog track' }),
  refEnd: Type.Number(),
  speed: Type.Number({ description: 'resampling factor (tempo and pitch together); 1 = none' }),
  pitchCents: Type.Number({ description: 'pitch shift at constant tempo, cents' }),
  tempo: Type.Number({ description: 'tempo factor at constant pitch; 1 = none' }),
});

export const MatchReport = Type.Object({
  file: Type.String(),
  durationSeconds: Type.Number(),
  matches: Type.Array(TrackMatch),
});

export const MatchQuery = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 300, description: 'file name to echo back as `file`' })) },
  { additionalProperties: false },
);

export const AttachedAudio = Type.Object({
  trackId: Type.String({ format: 'uuid' }),
  contentHash: Type.String({ description: 'SHA-256 of the decoded audio' }),
  durationSeconds: Type.Number(),
  hashes: Type.Integer({ description: 'fingerprint hashes indexed' }),
});
