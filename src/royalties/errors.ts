import { defineErrorCodes } from '../shared/index.ts';

export const RoyaltyErrors = defineErrorCodes('ROYALTIES', {
  UNKNOWN_CURRENCY: { kind: 'bad_input', title: 'Not an ISO 4217 currency ledgerline keeps accounts in' },
  BAD_AMOUNT: { kind: 'bad_input', title: 'The amount is not a whole, non-negative number of minor units' },
  BAD_PERIOD: { kind: 'bad_input', title: 'The period is not a month (YYYY-MM)' },
  PERIOD_CLOSED: { kind: 'conflict', title: 'The period is closed; change it through a correction in a later period' },
  UNBALANCED: { kind: 'internal', title: 'A journal entry does not balance' },
  BAD_REVENUE: { kind: 'bad_input', title: 'The revenue report is not valid' },
  WOULD_GO_NEGATIVE: { kind: 'conflict', title: 'The correction would leave a rights holder owing money after what was paid out' },
  SOURCE_NOT_FOUND: { kind: 'not_found', title: 'The licence, output or holder the revenue names does not exist in the organisation' },
});
