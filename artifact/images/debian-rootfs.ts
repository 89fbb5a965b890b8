import { mkdir, mkdtemp, readdir, readFile, rmdir, stat, symlink, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CleanupStack } from './cleanup-stack.js';
import { runLogged } from './command-log.js';
import { attachLoopDisk, mountOn, type LoopDisk } from './loop-disk.js';
import { debCacheDir } from './paths.js';
import type { DebianRecipe } from './recipe.js';
import { writeRootfsConfig } from './rootfs-config.js';

export interface InstalledPackage {
  name: string;
  version: string;
  arch: string;
}

export interface RootfsFacts {
  kernelVersion: string;
  rootUuid: string;
  packages: InstalledPackage[];
}

export type Progress = (step: string) => void;

const chrootEnv = ['env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', 'DEBIAN_FRONTEND=noninteractive', 'LANG=C.UTF-8'];

/**
 * Builds a bootable Debian into the raw image `imageFile` (created here): one bootable ext4
 * partition, debootstrap, kernel, GRUB on the MBR. Whatever happens, everything mounted or
 * attached is released before this returns or throws.
 */
export async function buildDebianRootfs(recipe: DebianRecipe, imageFile: string, logFile: string, progress: Progress): Promise<RootfsFacts> {
  const cleanup = new CleanupStack();
  try {
    progress('partitioning the raw image');
    await runLogged(logFile, ['truncate', '-s', String(recipe.sizeBytes), imageFile]);
    await runLogged(logFile, ['sh', '-c', `printf 'label: dos\\nstart=2048, type=83, bootable\\n' | sfdisk -q "$1"`, 'sfdisk', imageFile]);
    const disk = await attachLoopDisk(imageFile, cleanup);
    await runLogged(logFile, ['mkfs.ext4', '-F', '-q', '-L', 'debian-root', disk.partition]);
    const rootUuid = (await runLogged(logFile, ['blkid', '-s', 'UUID', '-o', 'value', disk.partition])).trim();

    const root = await mkdtemp(path.join(os.tmpdir(), 'image-root-'));
    cleanup.push(`remove ${root}`, () => rmdir(root));
    await mountOn(disk.partition, root, cleanup);

    progress('debootstrap (downloads are cached in .cache/apt/debs)');
    await mkdir(path.join(debCacheDir, 'partial'), { recursive: true });
    await runLogged(logFile, [
      'nice', '-n', '10', 'debootstrap', '--arch=amd64', `--include=${recipe.bootstrapPackages.join(',')}`,
      `--cache-dir=${debCacheDir}`, recipe.suite, root, recipe.mirror,
    ]);

    // debootstrap leaves its .debs in the image; the shared cache already has them.
    await runLogged(logFile, ['find', path.join(root, 'var/cache/apt/archives'), '-maxdepth', '1', '-name', '*.deb', '-delete']);

    progress('configuring serial console, fstab, GRUB defaults, initramfs modules');
    await writeRootfsConfig(root, recipe, rootUuid);

    progress(`installing ${recipe.chrootPackages.join(', ')} in the chroot`);
    await prepareChroot(root, disk, rootUuid, logFile, cleanup);
    const inChroot = (argv: string[]) => runLogged(logFile, ['nice', '-n', '10', 'chroot', root, ...chrootEnv, ...argv]);
    await inChroot(['sh', '-c', 'echo "grub-pc grub-pc/install_devices_empty boolean true" | debconf-set-selections']);
    await inChroot(['apt-get', 'install', '-y', '--no-install-recommends', ...recipe.chrootPackages]);

    progress('installing GRUB to the MBR and writing grub.cfg');
    await inChroot(['grub-install', '--target=i386-pc', disk.device]);
    await inChroot(['update-grub']);
    const grubCfg = await readFile(path.join(root, 'boot/grub/grub.cfg'), 'utf8');
    if (!grubCfg.includes(`root=UUID=${rootUuid}`)) {
      throw new Error(`grub.cfg does not boot root=UUID=${rootUuid} (update-grub did not see /dev/disk/by-uuid); see ${logFile}`);
    }
    await unlink(path.join(root, 'usr/sbin/policy-rc.d'));

    const packages = parsePackages(await inChroot(['dpkg-query', '-W', '-f', '${Package}\\t${Version}\\t${Architecture}\\n']));
    const kernels = (await readdir(path.join(root, 'boot'))).filter((f) => f.startsWith('vmlinuz-'));
    if (kernels.length !== 1) throw new Error(`expected one kernel in /boot, found: ${kernels.join(', ') || 'none'}`);
    return { kernelVersion: kernels[0]!.slice('vmlinuz-'.length), rootUuid, packages };
  } finally {
    await cleanup.runAll();
  }
}

/**
 * The chroot gets a private /dev (tmpfs) holding the loop nodes and a by-uuid link: the host has
 * no udev, and without the link update-grub would write root=/dev/loopXp1 into grub.cfg.
 * The shared .deb cache is bind-mounted as apt's archive directory.
 */
async function prepareChroot(root: string, disk: LoopDisk, rootUuid: string, logFile: string, cleanup: CleanupStack): Promise<void> {
  const dev = path.join(root, 'dev');
  await mountOn('tmpfs', dev, cleanup, ['-t', 'tmpfs', '-o', 'mode=0755']);
  const nodes: [string, number, number][] = [['null', 1, 3], ['zero', 1, 5], ['full', 1, 7], ['random', 1, 8], ['urandom', 1, 9], ['tty', 5, 0]];
  for (const device of [disk.device, disk.partition]) {
    const { rdev } = await stat(device);
    nodes.push([path.basename(device), Math.floor(rdev / 256) & 0xfff, (rdev & 0xff) | ((rdev >> 12) & 0xfff00)]);
  }
  for (const [name, major, minor] of nodes) {
    await runLogged(logFile, ['mknod', '-m', '0660', path.join(dev, name), name.startsWith('loop') ? 'b' : 'c', String(major), String(minor)]);
  }
  await mkdir(path.join(dev, 'disk/by-uuid'), { recursive: true });
  await symlink(`../../${path.basename(disk.partition)}`, path.join(dev, 'disk/by-uuid', rootUuid));
  await mountOn('proc', path.join(root, 'proc'), cleanup, ['-t', 'proc']);
  await mountOn('sysfs', path.join(root, 'sys'), cleanup, ['-t', 'sysfs']);
  await mountOn(debCacheDir, path.join(root, 'var/cache/apt/archives'), cleanup, ['--bind']);
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
