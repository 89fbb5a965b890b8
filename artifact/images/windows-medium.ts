// SPDX-License-Identifier: MIT
import { $ } from 'zx';

/**
 * Checks that an ISO is a Windows installation medium a BIOS PC can boot: an El Torito boot image
 * for the BIOS platform, and Setup's image (/sources/install.wim, or install.esd on later media).
 * Without this a wrong ISO would leave the install PC at "No bootable device" until the timeout.
 */
export async function checkWindowsMedium(iso: string): Promise<void> {
  const report =
    await $`xorriso -indev ${iso} -report_el_torito plain -find / -maxdepth 2 -wholename ${'/sources/install.*'}`
      .quiet()
      .nothrow();
  const output = `${report.stdout}\n${report.stderr}`;
  if (report.exitCode !== 0)
    throw new Error(`--windows-iso ${iso}: xorriso cannot read it (${report.stderr.trim().split('\n').at(-1)})`);
  if (!/El Torito boot img\s*:\s*\d+\s+BIOS\s/.test(output)) {
    throw new Error(
      `--windows-iso ${iso} has no El Torito boot image for a BIOS PC: give a Windows 7 or later installation ISO`,
    );
  }
  if (!/'\/sources\/install\.(wim|esd)'/.test(output)) {
    throw new Error(
      `--windows-iso ${iso} has no /sources/install.wim or install.esd: it is not a Windows installation medium`,
    );
  }
}
