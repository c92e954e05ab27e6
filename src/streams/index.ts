export { StreamErrors } from './errors.ts';
export { COUNTED_MS, EVENT_FIELDS, MAX_EVENTS_PER_BATCH, parseCsv, parseNdjson, readEvent, type LineError, type ParsedBatch, type StreamEvent } from './events.ts';
export { DEFAULT_RETENTION_DAYS, applyRetention, checkPeriod, ingestStreams, listFindings, reviewFinding, scanStreams, type FindingView, type IngestReport, type ReleaseOutcome, type ScanReport, type StreamRepos, type StreamsDeps } from './service.ts';
export type { DailyAggregate, FindingStatus, PeriodPlays, StoredEvent, StoredFinding, StreamStore } from './store.ts';
export { accountPatterns, denseBlocks, detectAll, lockstepGroups, lowAndSlowFarms, type Finding, type Plays } from './detect/index.ts';
