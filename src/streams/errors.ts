import { defineErrorCodes } from '../shared/index.ts';

export const StreamErrors = defineErrorCodes('STREAMS', {
  FORBIDDEN_FIELD: { kind: 'bad_input', title: 'A stream event carries a field ledgerline does not take' },
  BAD_BATCH: { kind: 'bad_input', title: 'The batch of stream events cannot be read' },
  TOO_MANY_EVENTS: { kind: 'too_large', title: 'The batch holds more stream events than one request may' },
  BAD_PERIOD: { kind: 'bad_input', title: 'The period to scan is not valid' },
  FINDING_NOT_FOUND: { kind: 'not_found', title: 'No such finding in the organisation' },
  FINDING_REVIEWED: { kind: 'conflict', title: 'The finding has been reviewed already' },
});
