// SPDX-License-Identifier: MIT
import { findInTranscript, stripAnsi, type TranscriptChunk } from './transcript.js';

/**
 * Host-side times (ms since QEMU start; QEMU start itself is 0) of the boot milestones the
 * boot-time experiment (paper 5.2) needs, read from the guest console (COM1) transcript.
 * A milestone that never appeared is undefined.
 */
export interface BootMarkers {
  /** GRUB drew its menu ("GNU GRUB  version ..." header). */
  grubMenu?: number;
  /**
   * GRUB left the menu: the paper's "OS chosen in GRUB" instant, the start of its stopwatch.
   * GRUB itself prints "Booting `<entry>'" when it leaves the menu (by timeout or key), before it
   * runs the entry; Debian's entry then echoes "Loading Linux <version> ..." (the fallback for a
   * GRUB that does not print the former). Reading the kernel and initrd through the BIOS comes
   * after, so it counts as OS boot, as it did in the paper.
   */
  grubLeft?: number;
  /** First line of the Linux kernel on the console ("Linux version ..."). */
  kernelStart?: number;
  /** The getty's login prompt on ttyS0: the end of the paper's stopwatch. */
  login?: number;
}

export const bootMarkerPatterns = {
  grubMenu: /GNU GRUB +version/,
  grubLeft: /Booting `|Loading Linux /,
  kernelStart: /Linux version \d/,
  login: /login: /,
} as const satisfies Record<keyof BootMarkers, RegExp>;

/**
 * Extracts BootMarkers from a transcript. Each milestone is searched after the previous one
 * found, so a second GRUB menu after a reboot does not move earlier markers. Pure.
 */
export function extractBootMarkers(chunks: readonly TranscriptChunk[]): BootMarkers {
  // Strip escape sequences per chunk, keeping each chunk's time, so GRUB's cursor moves
  // between letters do not break the patterns.
  const clean = chunks.map((c) => ({ t: c.t, text: stripAnsi(c.text) }));
  const text = clean.map((c) => c.text).join('');
  const markers: BootMarkers = {};
  let from = 0;
  for (const key of Object.keys(bootMarkerPatterns) as (keyof BootMarkers)[]) {
    const found = findInTranscript(clean, bootMarkerPatterns[key], from, text);
    if (found === undefined) continue;
    markers[key] = found.t;
    from = found.match.index + found.match[0].length;
  }
  return markers;
}

/** Durations the boot-time figure plots, in seconds; undefined when a milestone is missing. */
export function bootDurations(markers: BootMarkers): { toGrubMenu?: number; osBoot?: number; total?: number } {
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  return {
    toGrubMenu: seconds(markers.grubMenu),
    osBoot:
      markers.login !== undefined && markers.grubLeft !== undefined
        ? (markers.login - markers.grubLeft) / 1000
        : undefined,
    total: seconds(markers.login),
  };
}
