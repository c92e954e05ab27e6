import { defineErrorCodes } from '../shared/index.ts';

export const AudioErrors = defineErrorCodes('AUDIO', {
  UNSUPPORTED_FORMAT: { kind: 'bad_input', title: 'The audio format cannot be decoded here' },
  CORRUPT: { kind: 'bad_input', title: 'The audio file is corrupt or truncated' },
  EMPTY: { kind: 'bad_input', title: 'The audio file holds no samples' },
  TOO_LONG: { kind: 'too_large', title: 'The audio is longer than allowed' },
  TOO_LARGE: { kind: 'too_large', title: 'The audio decodes to more samples than the memory budget' },
  TOO_MANY_CHANNELS: { kind: 'bad_input', title: 'The audio has more channels than allowed' },
  BAD_SAMPLE_RATE: { kind: 'bad_input', title: 'The sample rate is outside the supported range' },
  UNREADABLE: { kind: 'bad_input', title: 'The audio file cannot be read' },
});
