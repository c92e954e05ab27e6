// What attribution needs from the database: outputs, their attributions by version (never
// rewritten), and per track the outputs that draw on it.

import type { AttributionResult } from './types.ts';

export interface OutputRecord {
  id: string;
  orgId: string;
  licenseeId: string | null;
  runId: string | null;
  title: string;
  externalId: string | null;
  contentHash: string;
  durationMs: number | null;
  status: 'queued' | 'done' | 'failed';
  error: string | null;
  createdBy: string;
  createdAt: string;
}

export interface StoredAttribution {
  outputId: string;
  version: number;
  engineVersion: string;
  result: AttributionResult;
  createdAt: string;
}

export interface TrackUse {
  outputId: string;
  title: string;
  version: number;
  layer: 'master' | 'composition';
  sharePpm: number;
  licensed: boolean;
  createdAt: string;
}

export interface AttributionStore {
  insertOutput(o: OutputRecord): Promise<void>;
  getOutput(orgId: string, id: string): Promise<OutputRecord | null>;
  /** The output of this audio under this run (or none), if one was submitted before. */
  findOutput(orgId: string, runId: string | null, contentHash: string): Promise<OutputRecord | null>;
  finishOutput(id: string, status: 'done' | 'failed', durationMs: number | null, error: string | null): Promise<void>;
  /** Adds the next version; returns it. Two writers racing for one version: one fails on the key. */
  insertAttribution(a: Omit<StoredAttribution, 'version'>, tracks: Array<{ trackId: string; layer: 'master' | 'composition'; sharePpm: number; licensed: boolean }>): Promise<number>;
  attributionsOf(outputId: string): Promise<StoredAttribution[]>;
  /** Latest versions of outputs that draw on the track, newest first. */
  usesOfTrack(orgId: string, trackId: string, limit: number): Promise<TrackUse[]>;
}
