// The detectors every caller runs. To add one (say an ONNX classifier through onnxruntime-node),
// implement `Detector` in its own file and list it here: the CLI, the API, the job and screening
// all go through `detectAudio`, which runs whatever this list holds and combines the findings.

import { artifactDetector } from './artifacts.ts';
import type { Detector } from './types.ts';

export const DETECTORS: readonly Detector[] = [artifactDetector];
