import { defineErrorCodes } from '../shared/index.ts';

export const FingerprintErrors = defineErrorCodes('FINGERPRINT', {
  INDEX_CORRUPT: { kind: 'internal', title: 'A fingerprint index file is damaged' },
  INDEX_VERSION: { kind: 'internal', title: 'The fingerprint index was built by another fingerprint version' },
  BAD_OPTIONS: { kind: 'bad_input', title: 'The options do not fit the files given' },
  NO_AUDIO_FILES: { kind: 'bad_input', title: 'No audio files were found' },
  TRACK_NOT_FOUND: { kind: 'not_found', title: 'No such track in the organisation' },
  HAS_AUDIO: { kind: 'conflict', title: 'The track has its audio already, or this audio belongs to another track' },
});
