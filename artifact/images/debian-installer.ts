// SPDX-License-Identifier: MIT
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startMachine } from '../testbed/machine.js';
import { CleanupStack } from './cleanup-stack.js';
import { runLogged } from './command-log.js';
import { cpioNewc } from './cpio-newc.js';
import { installerQuestion, installerStep, plainConsoleText } from './debian-installer-console.js';
import { checkMirrorServesUdebs } from './debian-installer-mirror.js';
import { debianInstallerPreseed } from './debian-installer-preseed.js';
import { finishRootfs, prepareChroot, type Progress, type RootfsFacts } from './image-chroot.js';
import { attachLoopDisk, mountOn } from './loop-disk.js';
import { debianInstallerFiles } from './paths.js';
import type { DebianRecipe } from './recipe.js';
import { writeRootfsConfig } from './rootfs-config.js';

/** Past this the install is taken to be stuck (a question is caught sooner, by installerQuestion). */
const installTimeoutMs = 90 * 60_000;

/**
 * Installs Debian into the raw image `imageFile` (created here) the way the paper made its
 * images: Debian's own installer runs inside a QEMU PC with the image as its IDE disk, answered
 * by a preseed file in its initrd, and downloads from the mirror through QEMU's user-mode NAT.
 * Afterwards the image gets the same configuration files as the debootstrap path
 * (rootfs-config.ts), applied from the host, and its initramfs and grub.cfg are regenerated.
 * The installer's serial console is kept in `<log>.installer/` and its own syslog beside it.
 */
export async function installWithDebianInstaller(
  recipe: DebianRecipe,
  imageFile: string,
  logFile: string,
  progress: Progress,
): Promise<RootfsFacts> {
  const kernel = path.join(debianInstallerFiles.dir, 'linux');
  const initrd = path.join(debianInstallerFiles.dir, 'initrd.gz');
  if (!existsSync(kernel) || !existsSync(initrd)) {
    throw new Error(
      `the Debian installer's netboot files are missing (${debianInstallerFiles.dir}): apt-get install ${debianInstallerFiles.package} (artifact/bootstrap.sh installs it)`,
    );
  }
  await checkMirrorServesUdebs(recipe);
  const logDir = `${logFile.replace(/\.build\.log$/, '')}.installer`;
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });
  const preseed = debianInstallerPreseed(recipe);
  await writeFile(path.join(logDir, 'preseed.cfg'), preseed);
  // The preseed rides in a second gzip'd cpio appended to the installer's initrd: the kernel
  // unpacks both into one initramfs, and the installer reads /preseed.cfg from it by itself.
  const preseededInitrd = path.join(logDir, 'initrd-preseeded.gz');
  const extra = gzipSync(cpioNewc([{ name: 'preseed.cfg', data: Buffer.from(preseed), mode: 0o644 }]));
  await writeFile(preseededInitrd, Buffer.concat([await readFile(initrd), extra]));

  await runLogged(logFile, ['truncate', '-s', String(recipe.sizeBytes), imageFile]);
  progress('Debian installer: starting it in QEMU (user-mode network to the mirror)');
  const machine = await startMachine({
    name: 'debian-installer',
    logDir,
    kernel,
    initrd: preseededInitrd,
    // Before "---": for the installer only. auto + priority=critical: ask nothing that is preseeded.
    append: 'auto=true priority=critical DEBIAN_FRONTEND=text console=ttyS0,115200n8 ---',
    disks: [{ kind: 'image', path: imageFile, format: 'raw' }],
    nics: [{ kind: 'user', mac: '52:54:00:12:34:56', romfile: '' }],
    noReboot: true,
    niceness: 10,
  });
  try {
    const started = performance.now();
    const elapsedMs = () => performance.now() - started;
    const minutes = () => Math.round(elapsedMs() / 60_000);
    // Every 15 s: report the newest step, and end at once if the installer shows a question.
    const watch = new Promise<string>((resolve) => {
      const ticker = setInterval(() => {
        const screen = plainConsoleText(machine.consoles.com1.text.slice(-20_000));
        const question = installerQuestion(screen);
        if (question !== undefined)
          resolve(`the Debian installer stopped to ask (after ${minutes()} min):\n${question}`);
        else if (elapsedMs() > installTimeoutMs)
          resolve(
            `the Debian installer did not finish within ${installTimeoutMs / 60_000} min (last step: "${installerStep(screen)}")`,
          );
        else progress(`Debian installer: ${installerStep(screen) ?? 'booting'} (${minutes()} min)`);
      }, 15_000);
      void machine.exited.finally(() => clearInterval(ticker));
    });
    const stuck = await Promise.race([machine.exited.then(() => undefined), watch]);
    if (stuck !== undefined)
      throw new Error(
        `${stuck}\nThe preseed lacks an answer, or the install failed: see ${logDir}/debian-installer.com1.log`,
      );
  } finally {
    await machine.kill();
    // 40 MB, and rebuilt from the package and the preseed (kept beside it) by every install.
    await rm(preseededInitrd, { force: true });
  }
  progress('Debian installer: done; configuring the installed system like the debootstrap path');
  return configureInstalledSystem(recipe, imageFile, logDir, logFile);
}

/** Applies rootfs-config.ts to what the installer left, rebuilds the initramfs and grub.cfg, and reads the facts. */
async function configureInstalledSystem(
  recipe: DebianRecipe,
  imageFile: string,
  logDir: string,
  logFile: string,
): Promise<RootfsFacts> {
  const cleanup = new CleanupStack();
  try {
    const disk = await attachLoopDisk(imageFile, cleanup);
    const rootUuid = (await runLogged(logFile, ['blkid', '-s', 'UUID', '-o', 'value', disk.partition])).trim();
    const root = await mkdtemp(path.join(os.tmpdir(), 'image-root-'));
    cleanup.push(`remove ${root}`, () => rmdir(root));
    await mountOn(disk.partition, root, cleanup);
    // The installer copies its logs into the system it installed when it finishes; without them it did not finish.
    const installerSyslog = path.join(root, 'var/log/installer/syslog');
    if (!existsSync(installerSyslog)) {
      throw new Error(
        `the Debian installer powered off without finishing (no /var/log/installer in the image): see ${logDir}/debian-installer.com1.log`,
      );
    }
    await writeFile(path.join(logDir, 'installer-syslog.log'), await readFile(installerSyslog));
    await writeRootfsConfig(root, recipe, rootUuid);
    const inChroot = await prepareChroot(root, disk, rootUuid, logFile, cleanup);
    await inChroot(['update-initramfs', '-u', '-k', 'all']);
    return await finishRootfs(root, rootUuid, inChroot, logFile);
  } finally {
    await cleanup.runAll();
  }
}
