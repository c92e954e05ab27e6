export * from './errors.ts';
export * from './transactor.ts';
export * from './clock.ts';
export { canonicalJson } from './canonical-json.ts';
export { seededRandom } from './random.ts';
export { ordered } from './ordered.ts';
export { loadOrCreateSecret } from './secret-file.ts';
