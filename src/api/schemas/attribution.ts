// Outputs and their attributions: the same result `ledgerline attribute --json` prints per file.

import { Type } from '@sinclair/typebox';

const Segment = {
  outputStart: Type.Number({ description: 'seconds into the output' }),
  outputEnd: Type.Number(),
  refStart: Type.Number({ description: 'seconds into the catalog track' }),
  refEnd: Type.Number(),
  strength: Type.Number({ minimum: 0, maximum: 1, description: 'how far the evidence stands beyond chance (docs/attribution.md)' }),
};
const MasterEvidence = Type.Object({ ...Segment, speed: Type.Number(), pitchCents: Type.Number() });
const CompositionEvidence = Type.Object({ ...Segment, keyShift: Type.Integer({ description: 'semitones the output lies above the work' }), tempoRatio: Type.Number() });
const Ppm = Type.Integer({ minimum: 0, maximum: 1_000_000 });

export const AttributionResult = Type.Object({
  durationSeconds: Type.Number(),
  engineVersion: Type.String(),
  master: Type.Object({
    shares: Type.Array(Type.Object({ trackId: Type.String(), isrc: Type.Union([Type.String(), Type.Null()]), title: Type.String(), sharePpm: Ppm, evidence: Type.Array(MasterEvidence) })),
    unattributedPpm: Ppm,
  }),
  composition: Type.Object({
    shares: Type.Array(Type.Object({ trackId: Type.String(), iswc: Type.Union([Type.String(), Type.Null()]), title: Type.String(), sharePpm: Ppm, evidence: Type.Array(CompositionEvidence) })),
    unattributedPpm: Ppm,
  }),
  unlicensed: Type.Array(Type.Object({ trackId: Type.String(), layer: Type.Union([Type.Literal('master'), Type.Literal('composition')]), evidence: Type.Array(Type.Union([MasterEvidence, CompositionEvidence])) })),
});

export const Output = Type.Object({
  id: Type.String({ format: 'uuid' }),
  licenseeId: Type.Union([Type.String(), Type.Null()]),
  runId: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  externalId: Type.Union([Type.String(), Type.Null()]),
  contentHash: Type.String(),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  status: Type.Union([Type.Literal('queued'), Type.Literal('done'), Type.Literal('failed')]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

export const OutputWithAttribution = Type.Composite([
  Output,
  Type.Object({
    versions: Type.Integer({ description: 'stored attributions; each run adds one, none is rewritten' }),
    engineVersion: Type.Union([Type.String(), Type.Null()]),
    attribution: Type.Union([AttributionResult, Type.Null()]),
  }),
]);

export const OutputQuery = Type.Object(
  {
    run: Type.Optional(Type.String({ description: 'training run that made the output (required for a licensee)' })),
    title: Type.String({ minLength: 1, maxLength: 1000 }),
    externalId: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

export const AttributionsQuery = Type.Object(
  { track: Type.String({ description: 'catalog track id' }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) },
  { additionalProperties: false },
);

export const TrackUses = Type.Array(
  Type.Object({
    outputId: Type.String(),
    title: Type.String(),
    version: Type.Integer(),
    layer: Type.Union([Type.Literal('master'), Type.Literal('composition')]),
    sharePpm: Ppm,
    licensed: Type.Boolean({ description: 'false: an unlicensed finding (the run’s licence did not cover this track)' }),
    createdAt: Type.String(),
  }),
);
