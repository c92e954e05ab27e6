export { KeyedPseudonyms, type Pseudonymizer, type PseudonymKind } from './pseudonyms.ts';
export { PrivacyErrors } from './errors.ts';
export { PURPOSES, eraseListener, exportListener, setListenerConsent, type ErasureReport, type ListenerExport, type PrivacyDeps, type Purpose } from './subject.ts';
export { DEFAULT_MONTHLY_BUDGET, SUPPRESS_BELOW, releaseAudience, type AudienceRelease, type AudienceRequest } from './aggregates.ts';
export { bernoulliExp, discreteLaplace } from './discrete-laplace.ts';
