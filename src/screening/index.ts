export * from './types.ts';
export { ScreeningErrors } from './errors.ts';
export { findImitation, skeleton, plainName, editDistance, type KnownArtist, type NameImitation } from './names.ts';
export { checkTitle, type TitleCheck } from './titles.ts';
export { audioFacts, type AudioFacts } from './audio-facts.ts';
export { screeningSignals, SCREENING_SETTINGS, type ScreeningInput, type CatalogMatch } from './signals.ts';
export { checkPolicy, applyPolicy, DEFAULT_POLICY, type Policy, type PolicyRule, type PolicyOutcome } from './policy.ts';
