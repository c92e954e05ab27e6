import { defineErrorCodes } from '../../shared/index.ts';

export const DdexErrors = defineErrorCodes('DDEX', {
  TOO_LARGE: { kind: 'too_large', title: 'The XML message is larger than the limit' },
  DTD: { kind: 'bad_input', title: 'XML with a DTD or entity declarations is refused before parsing' },
  MALFORMED: { kind: 'bad_input', title: 'Not well-formed XML' },
  INVALID: { kind: 'bad_input', title: 'Well-formed XML but not a valid ERN NewReleaseMessage' },
  UNSUPPORTED: { kind: 'bad_input', title: 'Not an ERN 3.4-3.8 or 4.x NewReleaseMessage' },
});
