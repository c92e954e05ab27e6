// Detection request and response: the same object `ledgerline detect --json` prints per file.

import { Type } from '@sinclair/typebox';

export const DetectQuery = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 300, description: 'file name to echo back as `file`' })),
    plot: Type.Optional(Type.Boolean({ description: 'include the evidence plot (SVG) as `plot`' })),
    threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'score at or above which the verdict is "ai"' })),
  },
  { additionalProperties: false },
);

export const DetectReport = Type.Object({
  file: Type.String(),
  verdict: Type.Union([Type.Literal('ai'), Type.Literal('uncertain'), Type.Literal('human'), Type.Literal('not_assessable')], {
    description:
      '"ai": a generator’s trace a person would accept; "uncertain": a trace too faint to accuse on, or one something else explains (a held note, a codec’s block), treated as no verdict; "human": no generator’s trace found; "not_assessable": the reason says why',
  }),
  score: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()]),
  reason: Type.String(),
  evidence: Type.Record(Type.String(), Type.Unknown(), {
    description: 'durationSeconds, sampleRate, threshold, contentHash, and each detector’s evidence by name (comb spacing, how it was found and read, harmonics, segments, the period of the fine detail’s level, ceiling, and for stereo the frame length the channels agree best at, with their level difference at every frame length; `comb.note` says whether the comb could be a held note; `readings` gives each reading’s logit before calibration and what explains it when a generator need not; `doubt` names the trace that made a verdict `uncertain`)',
  }),
  plot: Type.Optional(Type.String({ description: 'SVG of the averaged spectrum with the comb marked, of the fine detail’s level with its period marked, and of the channels’ level difference against the frame length' })),
});
