// An attribution as `ledgerline attribute --json` prints it and the API serves it.

export interface MasterEvidence {
  outputStart: number;
  outputEnd: number;
  refStart: number;
  refEnd: number;
  strength: number;
  speed: number;
  pitchCents: number;
}

export interface CompositionEvidence {
  outputStart: number;
  outputEnd: number;
  refStart: number;
  refEnd: number;
  strength: number;
  keyShift: number;
  tempoRatio: number;
}

export interface MasterShare {
  trackId: string;
  isrc: string | null;
  title: string;
  sharePpm: number;
  evidence: MasterEvidence[];
}

export interface CompositionShare {
  trackId: string;
  iswc: string | null;
  title: string;
  sharePpm: number;
  evidence: CompositionEvidence[];
}

export interface UnlicensedFinding {
  trackId: string;
  layer: 'master' | 'composition';
  evidence: Array<MasterEvidence | CompositionEvidence>;
}

export interface AttributionResult {
  durationSeconds: number;
  engineVersion: string;
  master: { shares: MasterShare[]; unattributedPpm: number };
  composition: { shares: CompositionShare[]; unattributedPpm: number };
  unlicensed: UnlicensedFinding[];
}
