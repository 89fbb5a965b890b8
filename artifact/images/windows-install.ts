// SPDX-License-Identifier: MIT
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startMachine } from '../testbed/machine.js';
import { runLogged } from './command-log.js';
import type { Progress } from './image-chroot.js';
import { autounattendXml, setupDoneMarker, type AutounattendOptions } from './windows-autounattend.js';

/** Windows 7 needs 16 GiB; the raw file is sparse, so only what Setup writes takes space. */
export const windowsDiskBytes = 32 * 2 ** 30;
/** Windows Setup under TCG is slow (several reboots, hours); past this it is taken to be stuck. */
export const windowsInstallTimeoutMs = 8 * 60 * 60_000;

/**
 * The answer CD: autounattend.xml at its root, where Windows Setup looks for it on every
 * removable and optical drive when it starts.
 */
export async function writeAnswerIso(options: AutounattendOptions, workDir: string, logFile: string): Promise<string> {
  const root = path.join(workDir, 'answer');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  await writeFile(path.join(root, 'autounattend.xml'), autounattendXml(options));
  const iso = path.join(workDir, 'answer.iso');
  await runLogged(logFile, ['xorriso', '-as', 'mkisofs', '-quiet', '-J', '-R', '-V', 'ANSWERS', '-o', iso, root]);
  return iso;
}

/**
 * Installs Windows from `windowsIso` onto the raw image `imageFile` (created here) in a QEMU PC:
 * IDE disk 0, the Windows medium on the secondary channel's master, the answer CD on its slave,
 * no NIC (nothing is downloaded), 2 GiB. The first boot is from the medium (`-boot once=d`), the
 * reboots Setup makes are from the disk. Done when the first logon prints setupDoneMarker on COM1
 * and powers off; the whole serial console is kept in `logDir`.
 */
export async function installWindows(
  windowsIso: string,
  answers: AutounattendOptions,
  imageFile: string,
  logDir: string,
  logFile: string,
  progress: Progress,
  timeoutMs = windowsInstallTimeoutMs,
): Promise<void> {
  await mkdir(logDir, { recursive: true });
  const answerIso = await writeAnswerIso(answers, logDir, logFile);
  await runLogged(logFile, ['truncate', '-s', String(windowsDiskBytes), imageFile]);
  progress('Windows Setup: starting it in QEMU from the ISO, answered by autounattend.xml');
  const machine = await startMachine({
    name: 'windows-setup',
    logDir,
    memoryMiB: 2048,
    disks: [{ kind: 'image', path: imageFile, format: 'raw' }],
    cdrom: windowsIso,
    extraArgs: [
      '-drive',
      `file=${answerIso.replaceAll(',', ',,')},format=raw,if=ide,index=3,media=cdrom,readonly=on`,
      '-boot',
      'once=d',
    ],
    niceness: 10,
  });
  try {
    const started = performance.now();
    const ticker = setInterval(
      () => progress(`Windows Setup: running (${Math.round((performance.now() - started) / 60_000)} min)`),
      60_000,
    );
    // Rejects when COM1 closes (the PC stopped) or time runs out: either way Setup did not get through.
    const failure = await machine.consoles.com1
      .waitFor(new RegExp(setupDoneMarker), timeoutMs)
      .then(
        () => undefined,
        (error: Error) => error.message.replace(/; last output:[\s\S]*/, '').split('\n')[0],
      )
      .finally(() => clearInterval(ticker));
    if (failure !== undefined) {
      throw new Error(
        `Windows Setup's first logon did not report "${setupDoneMarker}" on COM1 (${failure}). ` +
          `Its answer file and QEMU log are in ${logDir}; rerun the PC with a VNC display to see the screen it stopped at`,
      );
    }
    await machine.exited;
  } finally {
    await machine.kill();
  }
}
