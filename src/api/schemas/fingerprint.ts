// Match response: the same object `ledgerline match --json` prints per file.

import { Type } from '@sinclair/typebox';

export const TrackMatch = Type.Object({
  trackId: Type.String({ format: 'uuid' }),
  title: Type.String(),
  artist: Type.Union([Type.String(), Type.Null()]),
  isrc: Type.Union([Type.String(), Type.Null()]),
  score: Type.Integer({ description: 'Distinct query positions agreeing on one edit of this track' }),
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
