import { defineErrorCodes } from '../shared/index.ts';

export const PrivacyErrors = defineErrorCodes('PRIVACY', {
  BAD_LISTENER: { kind: 'bad_input', title: 'The listener identifier is missing or not valid' },
  BAD_PURPOSE: { kind: 'bad_input', title: 'No such purpose of listener data' },
  BUDGET_SPENT: { kind: 'conflict', title: "The recipient's privacy budget for the period is spent" },
  BAD_RELEASE: { kind: 'bad_input', title: 'The aggregate release asked for is not valid' },
});
