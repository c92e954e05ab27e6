export type { DecodedAudio, AudioFormat, SampleRange, RangePlan } from './types.ts';
export { DEFAULT_LIMITS, type DecodeLimits } from './limits.ts';
export { AudioErrors } from './errors.ts';
export { decodeAudio, decodeFile, readAudioFile, loadAudio, hasFfmpeg, type AudioSource } from './decode.ts';
export { sniff } from './sniff.ts';
export { toMono } from './mono.ts';
export { halve, mixAndDecimate } from './decimate.ts';
export { RealFft } from './fft.ts';
export { hann } from './window.ts';
