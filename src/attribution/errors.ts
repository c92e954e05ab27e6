import { defineErrorCodes } from '../shared/index.ts';

export const AttributionErrors = defineErrorCodes('ATTRIBUTION', {
  RUN_NOT_FOUND: { kind: 'not_found', title: 'No such training run in the organisation' },
  RUN_OF_ANOTHER_LICENSEE: { kind: 'forbidden', title: 'The training run belongs to another licensee' },
  BAD_OUTPUT: { kind: 'bad_input', title: 'The output or its metadata cannot be taken' },
  OUTPUT_NOT_FOUND: { kind: 'not_found', title: 'No such output in the organisation' },
  MANIFEST_REVOKED: { kind: 'conflict', title: "Every recording of the run's manifest has been withdrawn" },
});
