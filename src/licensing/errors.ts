import { defineErrorCodes } from '../shared/index.ts';

export const LicensingErrors = defineErrorCodes('LICENSING', {
  NOT_FOUND: { kind: 'not_found', title: 'No such licensee, license or manifest' },
  DUPLICATE_LICENSEE: { kind: 'conflict', title: 'A licensee with this slug exists' },
  BAD_LICENSE: { kind: 'bad_input', title: 'The license terms are not valid' },
  BAD_REQUEST: { kind: 'bad_input', title: 'The dataset request does not fit its license' },
  LICENSE_INACTIVE: { kind: 'conflict', title: 'The license is not in force at this instant' },
  BAD_RUN: { kind: 'bad_input', title: 'The training run is not valid' },
  BAD_DOCUMENT: { kind: 'bad_input', title: 'Not a manifest, proof or public key' },
  FOREIGN_LICENSEE: { kind: 'forbidden', title: 'A licensee key may act only on its own licenses and manifests' },
  SIGNING_KEY: { kind: 'internal', title: 'The manifest-signing key cannot be read or made' },
});
