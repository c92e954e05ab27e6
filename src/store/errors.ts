import { defineErrorCodes } from '../shared/index.ts';

export const StoreErrors = defineErrorCodes('STORE', {
  BAD_URL: { kind: 'bad_input', title: 'The database URL is not valid' },
  UNREACHABLE: { kind: 'unavailable', title: 'The database does not answer' },
  DATA_DIR_LOCKED: { kind: 'conflict', title: 'The data directory is in use by another process' },
  DATA_DIR_OPEN: { kind: 'bad_input', title: 'The data directory cannot be made private to the service user' },
  MIGRATION_FAILED: { kind: 'internal', title: 'A migration failed' },
  MIGRATION_EDITED: { kind: 'internal', title: 'An applied migration was changed' },
});
