// An ERN NewReleaseMessage as ledgerline reads it, the same shape for ERN 3.4-3.8 and 4.x; `version` is the one the message gives.

import type { ContainsAi, Contributor } from '../types.ts';

export interface ErnWarning {
  line: number;
  element: string;
  message: string;
}

export interface ErnRecording {
  reference: string;
  isrc: string | null;
  title: string;
  displayArtist: string | null;
  contributors: Contributor[];
  durationMs: number | null;
  pLine: string | null;
  genre: string | null;
  containsAi: ContainsAi | null;
  line: number;
}

export interface ErnDeal {
  territories: string[];
  excludedTerritories: string[];
  validFrom: string | null;
  validUntil: string | null;
  useTypes: string[];
  commercialModels: string[];
}

export interface ErnRelease {
  reference: string;
  title: string;
  displayArtist: string | null;
  icpn: string | null;
  grid: string | null;
  releaseType: string | null;
  label: string | null;
  pLine: string | null;
  genre: string | null;
  releaseDate: string | null;
  containsAi: ContainsAi | null;
  /** References of the sound recordings on the release, in order. */
  recordings: string[];
  deals: ErnDeal[];
  line: number;
}

export interface ErnMessage {
  /** As the message gives it: "4.3", "4.2", "4.1.1", "3.8.2", "3.7"... */
  version: string;
  /** The exact namespace, e.g. http://ddex.net/xml/ern/432 for 4.3.2. */
  namespace: string;
  messageId: string;
  sender: string | null;
  releases: ErnRelease[];
  recordings: ErnRecording[];
  warnings: ErnWarning[];
}

export interface ReleaseDeal extends ErnDeal {
  releaseId: string;
}
