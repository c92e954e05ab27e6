// Schemas of the upload and review routes.

import { Type } from '@sinclair/typebox';
import { CONTAINS_AI } from '../../catalog/index.ts';
import { PERSONAL_USES } from '../../consent/index.ts';
import { DECISIONS, REVIEW_STATES, UPLOAD_STATUSES } from '../../screening/index.ts';

const strict = { additionalProperties: false };
const Json = Type.Record(Type.String(), Type.Unknown());

export const UploadQuery = Type.Object(
  {
    uploader: Type.String({ minLength: 1, maxLength: 200, description: "the sender's account id of who uploads" }),
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'required unless the ISRC was announced with POST /v1/uploads/ddex' })),
    artist: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'the artist profile the upload is delivered to' })),
    clientKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'your id for the upload: sending it again returns the same upload' })),
    containsAi: Type.Optional(Type.String({ enum: [...CONTAINS_AI] })),
    imitatesArtist: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    imitatesUse: Type.Optional(Type.String({ enum: [...PERSONAL_USES] })),
    isrc: Type.Optional(Type.String({ maxLength: 20 })),
    webhook: Type.Optional(Type.String({ maxLength: 2000, description: 'called with the decision' })),
  },
  strict,
);

const Signal = Type.Object({ name: Type.String(), severity: Type.String(), evidence: Json });
const Decision = Type.Object({
  round: Type.Integer(),
  source: Type.String(),
  decision: Type.String(),
  policyVersion: Type.String(),
  signals: Type.Array(Signal),
  applied: Type.Array(Type.Unknown()),
  facts: Json,
  actor: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.String(),
});
const Review = Type.Object({
  uploadId: Type.String(),
  state: Type.String(),
  reason: Type.String(),
  claimedBy: Type.Union([Type.String(), Type.Null()]),
  claimedAt: Type.Union([Type.String(), Type.Null()]),
  openedAt: Type.String(),
  closedAt: Type.Union([Type.String(), Type.Null()]),
});
const uploadFields = {
  id: Type.String(),
  orgId: Type.String(),
  uploader: Type.String(),
  clientKey: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  artist: Type.Union([Type.String(), Type.Null()]),
  metadata: Type.Object({
    containsAi: Type.Union([Type.String(), Type.Null()]),
    imitates: Type.Union([Type.Object({ artist: Type.String(), use: Type.String() }), Type.Null()]),
    isrc: Type.Union([Type.String(), Type.Null()]),
  }),
  contentHash: Type.String(),
  bytes: Type.Integer(),
  status: Type.String(),
  decision: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  webhookUrl: Type.Union([Type.String(), Type.Null()]),
  webhookState: Type.Union([Type.String(), Type.Null()]),
  webhookAttempts: Type.Integer(),
  receivedAt: Type.String(),
  decidedAt: Type.Union([Type.String(), Type.Null()]),
};
export const Upload = Type.Object(uploadFields, { title: 'Upload' });
export const ReceivedUpload = Type.Object(
  { ...uploadFields, webhookSecret: Type.Optional(Type.String({ description: 'the HMAC secret its webhook deliveries are signed with; shown once' })) },
  { title: 'ReceivedUpload' },
);
export const UploadView = Type.Object({ ...uploadFields, decisions: Type.Array(Decision), review: Type.Union([Review, Type.Null()]) }, { title: 'UploadWithDecisions' });
export const ReviewEntry = Type.Object({ ...Review.properties, upload: Upload });
export const ReviewQuery = Type.Object(
  { state: Type.Optional(Type.String({ enum: [...REVIEW_STATES] })), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }) },
  strict,
);
export const UploadsQuery = Type.Object(
  {
    uploader: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    status: Type.Optional(Type.String({ enum: [...UPLOAD_STATUSES] })),
    decision: Type.Optional(Type.String({ enum: [...DECISIONS] })),
    after: Type.Optional(Type.String({ maxLength: 100, description: 'continue after this upload (the last id of the previous page)' })),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  strict,
);
export const DecisionInput = Type.Object({ decision: Type.String({ enum: [...DECISIONS] }), reason: Type.String({ minLength: 1, maxLength: 2000 }) }, strict);
export const AppealInput = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) }, strict);
export const VerifyParams = Type.Object({ uploader: Type.String({ minLength: 1, maxLength: 200 }), artistId: Type.String({ maxLength: 100 }) }, strict);
export { Review };
