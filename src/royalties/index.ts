export { RoyaltyErrors } from './errors.ts';
export { CURRENCIES, checkCurrency, formatMinor, parseMajor } from './currency.ts';
export { allocate, allocateInOrder, type Weighted } from './allocate.ts';
export { accounts, checkEntry, periodBounds, type JournalEntry, type Posting } from './ledger.ts';
export { outputRevenue, splitTrack, streamsProRata, streamsUserCentric, takeCommission, trainingFee, type TrackPart } from './sources.ts';
export { addRevenue, addRevenues, MAX_REVENUE_BATCH, allocatePeriod, closePeriod, correctRevenue, invoiceFor, type Invoice, payoutRun, releaseWithheld, type CorrectionReport, verifyLedger, type AllocationReport, type LedgerCheck, type PayoutReport, type ReleaseReport, type RevenueInput, type RoyaltyDeps, type RoyaltyRepos } from './service.ts';
export { artistStatementFor, statementCsv, statementDsr, statementFor, statementsFor, type ArtistStatement, type Statement } from './statement.ts';
export type { Revenue, RevenueSource, RoyaltyStore } from './store.ts';
export { parseRevenueReports } from './reports.ts';
