import { defineErrorCodes } from '../shared/index.ts';

export const ScreeningErrors = defineErrorCodes('SCREENING', {
  BAD_POLICY: { kind: 'bad_input', title: 'The screening policy is not valid' },
});
