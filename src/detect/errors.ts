import { defineErrorCodes } from '../shared/index.ts';

export const DetectErrors = defineErrorCodes('DETECT', {
  BAD_THRESHOLD: { kind: 'bad_input', title: 'The threshold must be a number between 0 and 1' },
});
