// SPDX-License-Identifier: MIT
import { mkdir, readdir, readFile, stat, symlink, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { CleanupStack } from './cleanup-stack.js';
import { runLogged } from './command-log.js';
import type { LoopDisk } from './loop-disk.js';
import { mountOn } from './loop-disk.js';
import { debCacheDir } from './paths.js';

export interface InstalledPackage {
  name: string;
  version: string;
  arch: string;
}

/** What a finished root file system reports about itself (kept beside the cached layer). */
export interface RootfsFacts {
  kernelVersion: string;
  rootUuid: string;
  packages: InstalledPackage[];
}

/** A builder's progress reports (one line each, for the task list and the build log). */
export type Progress = (step: string) => void;

const chrootEnv = ['env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'DEBIAN_FRONTEND=noninteractive', 'LANG=C.UTF-8'];

/** Runs a command inside the mounted root (niced: the build host is shared) and logs it. */
export type InChroot = (argv: string[]) => Promise<string>;

/**
 * Makes `root` (the image's mounted partition) usable as a chroot and returns a runner for it.
 * The chroot gets a private /dev (tmpfs) holding the loop nodes and a by-uuid link: the host has
 * no udev, and without the link update-grub would write root=/dev/loopXp1 into grub.cfg.
 * The shared .deb cache is bind-mounted as apt's archive directory.
 */
export async function prepareChroot(
  root: string,
  disk: LoopDisk,
  rootUuid: string,
  logFile: string,
  cleanup: CleanupStack,
): Promise<InChroot> {
  const dev = path.join(root, 'dev');
  await mountOn('tmpfs', dev, cleanup, ['-t', 'tmpfs', '-o', 'mode=0755']);
  const nodes: [string, number, number][] = [
    ['null', 1, 3],
    ['zero', 1, 5],
    ['full', 1, 7],
    ['random', 1, 8],
    ['urandom', 1, 9],
    ['tty', 5, 0],
  ];
  for (const device of [disk.device, disk.partition]) {
    const { rdev } = await stat(device);
    nodes.push([path.basename(device), Math.floor(rdev / 256) & 0xfff, (rdev & 0xff) | ((rdev >> 12) & 0xfff00)]);
  }
  for (const [name, major, minor] of nodes) {
    await runLogged(logFile, [
      'mknod',
      '-m',
      '0660',
      path.join(dev, name),
      name.startsWith('loop') ? 'b' : 'c',
      String(major),
      String(minor),
    ]);
  }
  await mkdir(path.join(dev, 'disk/by-uuid'), { recursive: true });
  await symlink(`../../${path.basename(disk.partition)}`, path.join(dev, 'disk/by-uuid', rootUuid));
  await mountOn('proc', path.join(root, 'proc'), cleanup, ['-t', 'proc']);
  await mountOn('sysfs', path.join(root, 'sys'), cleanup, ['-t', 'sysfs']);
  await mkdir(path.join(debCacheDir, 'partial'), { recursive: true });
  await mountOn(debCacheDir, path.join(root, 'var/cache/apt/archives'), cleanup, ['--bind']);
  return (argv) => runLogged(logFile, ['nice', '-n', '10', 'chroot', root, ...chrootEnv, ...argv]);
}

/**
 * The last steps both installers share: grub.cfg must boot the root by UUID, the build-time
 * policy-rc.d goes, and the facts (one kernel, `dpkg -l`) are read back from the image.
 */
export async function finishRootfs(
  root: string,
  rootUuid: string,
  inChroot: InChroot,
  logFile: string,
): Promise<RootfsFacts> {
  await inChroot(['update-grub']);
  const grubCfg = await readFile(path.join(root, 'boot/grub/grub.cfg'), 'utf8');
  if (!grubCfg.includes(`root=UUID=${rootUuid}`)) {
    throw new Error(
      `grub.cfg does not boot root=UUID=${rootUuid} (update-grub did not see /dev/disk/by-uuid); see ${logFile}`,
    );
  }
  await unlink(path.join(root, 'usr/sbin/policy-rc.d'));
  const packages = parsePackages(
    await inChroot(['dpkg-query', '-W', '-f', '${Package}\\t${Version}\\t${Architecture}\\n']),
  );
  const kernels = (await readdir(path.join(root, 'boot'))).filter((f) => f.startsWith('vmlinuz-'));
  if (kernels.length !== 1) throw new Error(`expected one kernel in /boot, found: ${kernels.join(', ') || 'none'}`);
  return { kernelVersion: kernels[0]!.slice('vmlinuz-'.length), rootUuid, packages };
}

function parsePackages(dpkgQuery: string): InstalledPackage[] {
  return dpkgQuery
    .trim()
    .split('\n')
    .map((line) => {
      const [name = '', version = '', arch = ''] = line.split('\t');
      return { name, version, arch };
    });
}
