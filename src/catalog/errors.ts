import { defineErrorCodes } from '../shared/index.ts';

export const CatalogErrors = defineErrorCodes('CATALOG', {
  NOT_FOUND: { kind: 'not_found', title: 'No such catalog entry' },
  ORG_NOT_FOUND: { kind: 'not_found', title: 'No such organisation' },
  DUPLICATE_ORG: { kind: 'conflict', title: 'An organisation with this slug exists' },
  DUPLICATE_ISRC: { kind: 'conflict', title: 'A track with this ISRC exists in the organisation' },
  IN_USE: { kind: 'conflict', title: 'The entry is still referenced' },
  BAD_ISRC: { kind: 'bad_input', title: 'Not a valid ISRC (ISO 3901)' },
  BAD_ISWC: { kind: 'bad_input', title: 'Not a valid ISWC (ISO 15707)' },
  BAD_ICPN: { kind: 'bad_input', title: 'Not a valid ICPN (UPC/EAN)' },
  BAD_GRID: { kind: 'bad_input', title: 'Not a valid GRid' },
  BAD_SLUG: { kind: 'bad_input', title: 'Not a valid organisation slug' },
  BAD_CONTENT_HASH: { kind: 'bad_input', title: 'Not a SHA-256 hex digest' },
  BAD_REFERENCE: { kind: 'bad_input', title: 'A referenced entry does not exist in this organisation' },
  BAD_SHARE: { kind: 'bad_input', title: 'Not a valid split share' },
  SPLITS_SUM: { kind: 'bad_input', title: 'Split shares must sum to exactly 100%' },
  SPLITS_DUPLICATE: { kind: 'bad_input', title: 'A rights holder appears twice in one split' },
});
