export * from './types.ts';
export type { CatalogStore, Page } from './store.ts';
export { CatalogErrors } from './errors.ts';
export { normaliseIsrc, normaliseIswc, normaliseIcpn, normaliseGrid } from './identifiers.ts';
export { checkSplit, percentToPpm, ppmToPercent, type ShareInput } from './splits.ts';
export * from './service.ts';
export { importCatalog, checkCatalogDocument, type ImportReport } from './import.ts';
