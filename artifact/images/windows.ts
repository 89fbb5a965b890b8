import { open } from 'node:fs/promises';

/** Printed for every Windows step when the user gave no ISO (Windows cannot be redistributed). */
export const windowsSkipMessage = "skipped: no Windows ISO given (pass --windows-iso PATH; see README 'Windows')";

export type WindowsImageOutcome = { status: 'skipped'; message: string };

/**
 * Windows guests are bring-your-own: without an ISO every Windows step is skipped with
 * windowsSkipMessage. With one, the ISO is checked, but the unattended installation is not
 * implemented yet, which is reported as an error rather than pretending to have an image.
 */
export async function ensureWindowsImage(options: { windowsIso?: string }): Promise<WindowsImageOutcome> {
  if (options.windowsIso === undefined || options.windowsIso === '') return { status: 'skipped', message: windowsSkipMessage };
  await checkIso(options.windowsIso);
  throw new Error(
    `Windows image from ${options.windowsIso}: the unattended (autounattend.xml) installation is not implemented yet; ` +
      'run without --windows-iso to skip the Windows steps',
  );
}

/** An ISO 9660 image carries "CD001" at byte 0x8001 (the primary volume descriptor). */
async function checkIso(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new Error(`--windows-iso ${file}: cannot open it (${(error as NodeJS.ErrnoException).code}); give the path of a Windows 7 or later ISO`);
  }
  try {
    const magic = Buffer.alloc(5);
    await handle.read(magic, 0, 5, 0x8001);
    if (magic.toString('latin1') !== 'CD001') throw new Error(`--windows-iso ${file} is not an ISO 9660 image (no CD001 signature at 0x8001)`);
  } finally {
    await handle.close();
  }
}
