export { accountPatterns, logBinomialTail } from './accounts.ts';
export { denseBlocks, logPoissonTail } from './fraudar.ts';
export { lockstepGroups } from './lockstep.ts';
export { lowAndSlowFarms } from './farms.ts';
export { byAccount, byTrack, type Finding, type Plays } from './plays.ts';
export { detectAll } from './all.ts';
