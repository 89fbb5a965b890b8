// SPDX-License-Identifier: MIT
/** Guest images (Debian 12 stock; Windows bring-your-own) and the benchmark job interface. */
export { appResults, normalisedScores, type AppResult } from './app-result.js';
export {
  ensureDebianImage,
  withMountedRoot,
  type EnsureImageOptions,
  type ImageInfo,
  type ImageManifest,
} from './ensure-image.js';
export { crystalDiskMarkResults, parseFioPass, type CdmResult, type FioPass } from './fio-result.js';
export {
  clientHardwareSchema,
  completedJobFrames,
  parseBenchFrames,
  type AppFrame,
  type BenchFrame,
  type ClientHardware,
  type FioFrame,
  type RttFrame,
} from './guest-frames.js';
export {
  appTestNames,
  benchJobSchema,
  fioPresets,
  fioTestNames,
  jobFwCfgName,
  writeJobFile,
  type AppTestName,
  type BenchJob,
  type FioTestName,
} from './guest-job.js';
export { imageOverlay } from './overlay.js';
export { debianRecipe, debianVariants, parseDebianVariant, type DebianRecipe, type DebianVariant } from './recipe.js';
export { ensureWindowsImage, windowsSkipMessage, type WindowsImageOutcome } from './windows.js';
