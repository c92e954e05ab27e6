export * from './errors.ts';
export * from './transactor.ts';
export * from './clock.ts';
export { canonicalJson } from './canonical-json.ts';
export { seededRandom } from './random.ts';
export { ordered } from './ordered.ts';
export { keepPrivate, loadOrCreateSecret, writePrivateFile } from './secret-file.ts';
export { logBinomialPmf, logPoissonPmf } from './log-gamma.ts';
