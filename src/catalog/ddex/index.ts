export * from './types.ts';
export { DdexErrors } from './errors.ts';
export { parseXml, MAX_DDEX_BYTES, type XmlElement } from './xml.ts';
export { readErn } from './ern.ts';
export { readErnJob, readErnOffThread } from './read-job.ts';
export { importDdex, type DdexImportReport } from './import.ts';
export { writeErn43, AI_NAMESPACE, type MessageParty, type ErnWriteInput } from './write.ts';
export { exportDdex } from './export.ts';
