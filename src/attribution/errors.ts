import { defineErrorCodes } from '../shared/index.ts';

export const AttributionErrors = defineErrorCodes('ATTRIBUTION', {
  RUN_NOT_FOUND: { kind: 'not_found', title: 'No such training run in the organisation' },
  RUN_OF_ANOTHER_LICENSEE: { kind: 'forbidden', title: 'The training run belongs to another licensee' },
  MANIFEST_REVOKED: { kind: 'conflict', title: "Every recording of the run's manifest has been withdrawn" },
});
