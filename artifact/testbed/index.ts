// SPDX-License-Identifier: MIT
/** The QEMU testbed: start emulated PCs, talk to their serial consoles, wire them in namespaces. */
export { bootDurations, bootMarkerPatterns, extractBootMarkers, type BootMarkers } from './boot-markers.js';
export { ConsoleSilentError, failWaitsOnLastWords, hypervisorGaveUp, SerialConsole } from './console.js';
export { rootPrompt, runInShell, waitForShell } from './guest-shell.js';
export {
  accelerationFor,
  detectKvm,
  readHostKvm,
  resolveAcceleration,
  type Acceleration,
  type HostKvm,
} from './kvm.js';
export { startMachine, type ExitStatus, type Machine } from './machine.js';
export { createNetns, type Netns, type NetnsOptions } from './netns.js';
export { buildQemuArgs, qemuBinary } from './qemu-args.js';
export * from './spec.js';
export { findInTranscript, parseTimedLog, stripAnsi, type TimedMatch, type TranscriptChunk } from './transcript.js';
