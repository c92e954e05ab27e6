import { defineErrorCodes, LedgerlineError } from '../shared/index.ts';

export const ScreeningErrors = defineErrorCodes('SCREENING', {
  BAD_POLICY: { kind: 'bad_input', title: 'The screening policy is not valid' },
  BAD_UPLOAD: { kind: 'bad_input', title: 'The upload or its metadata is not valid' },
  BAD_WEBHOOK: { kind: 'bad_input', title: 'The webhook URL is not one deliveries may go to' },
  NOT_FOUND: { kind: 'not_found', title: 'No such upload, or it is not in the review queue' },
  REVIEW_CONFLICT: { kind: 'conflict', title: 'The review item is claimed by someone else or already decided' },
});

/** An upload, its metadata or a reviewer's input that is not valid. */
export const badUpload = (message: string, details: Record<string, unknown> = {}) => new LedgerlineError(ScreeningErrors.BAD_UPLOAD, message, details);
