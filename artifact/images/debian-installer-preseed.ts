// SPDX-License-Identifier: MIT
import type { DebianRecipe } from './recipe.js';

/** Packages the installer installs by itself; everything else of the recipe goes to pkgsel/include. */
const installedByInstaller = new Set(['linux-image-amd64', 'grub-pc', 'systemd-sysv']);

/**
 * The preseed answers for Debian's own installer (d-i), so that it installs the recipe's system
 * unattended: one bootable ext4 partition on an MBR disk, no swap, no desktop or "standard"
 * task, the recipe's packages, GRUB in the MBR, then power-off. Network: QEMU's user-mode NAT,
 * by DHCP, to the recipe's mirror (the mirror needs its host name, not an address).
 * Root gets no password ("*" locks it): the serial console's autologin is the only way in,
 * the same as the debootstrap path.
 */
export function debianInstallerPreseed(recipe: DebianRecipe): string {
  const mirror = new URL(recipe.mirror);
  if (mirror.protocol !== 'http:') throw new Error(`the installer path needs an http:// mirror, not ${recipe.mirror}`);
  const packages = [...recipe.bootstrapPackages, ...recipe.chrootPackages].filter(
    (name) => !installedByInstaller.has(name),
  );
  const answers: [owner: string, question: string, type: string, value: string][] = [
    ['d-i', 'debian-installer/locale', 'string', 'C.UTF-8'],
    ['d-i', 'keyboard-configuration/xkb-keymap', 'select', 'us'],
    ['d-i', 'hw-detect/load_firmware', 'boolean', 'false'],
    ['d-i', 'netcfg/choose_interface', 'select', 'auto'],
    ['d-i', 'netcfg/get_hostname', 'string', 'debian'],
    ['d-i', 'netcfg/get_domain', 'string', ''],
    ['d-i', 'netcfg/hostname', 'string', 'debian'],
    ['d-i', 'mirror/country', 'string', 'manual'],
    ['d-i', 'mirror/http/hostname', 'string', mirror.host],
    ['d-i', 'mirror/http/directory', 'string', mirror.pathname.replace(/\/$/, '') || '/'],
    ['d-i', 'mirror/http/proxy', 'string', ''],
    ['d-i', 'mirror/suite', 'string', recipe.suite],
    ['d-i', 'passwd/root-login', 'boolean', 'true'],
    ['d-i', 'passwd/make-user', 'boolean', 'false'],
    ['d-i', 'passwd/root-password-crypted', 'password', '*'],
    ['d-i', 'clock-setup/utc', 'boolean', 'true'],
    ['d-i', 'time/zone', 'string', 'Etc/UTC'],
    ['d-i', 'clock-setup/ntp', 'boolean', 'false'],
    ['d-i', 'partman-auto/disk', 'string', '/dev/sda'],
    ['d-i', 'partman-auto/method', 'string', 'regular'],
    ['d-i', 'partman-partitioning/choose_label', 'select', 'msdos'],
    ['d-i', 'partman-partitioning/default_label', 'string', 'msdos'],
    // One primary, bootable ext4 root filling the disk (the debootstrap path's layout).
    [
      'd-i',
      'partman-auto/expert_recipe',
      'string',
      'root :: 1000 1000 -1 ext4 $primary{ } $bootable{ } method{ format } format{ } use_filesystem{ } filesystem{ ext4 } mountpoint{ / } label{ debian-root } .',
    ],
    ['d-i', 'partman-auto/choose_recipe', 'select', 'root'],
    ['d-i', 'partman-basicfilesystems/no_swap', 'boolean', 'false'],
    ['d-i', 'partman-partitioning/confirm_write_new_label', 'boolean', 'true'],
    ['d-i', 'partman/choose_partition', 'select', 'finish'],
    ['d-i', 'partman/confirm', 'boolean', 'true'],
    ['d-i', 'partman/confirm_nooverwrite', 'boolean', 'true'],
    ['d-i', 'base-installer/kernel/image', 'string', 'linux-image-amd64'],
    ['d-i', 'base-installer/install-recommends', 'boolean', 'false'],
    // Only the mirror is reachable here: no security or updates suites.
    ['d-i', 'apt-setup/services-select', 'multiselect', ''],
    ['d-i', 'apt-setup/non-free-firmware', 'boolean', 'false'],
    ['d-i', 'apt-setup/contrib', 'boolean', 'false'],
    ['d-i', 'apt-setup/non-free', 'boolean', 'false'],
    ['tasksel', 'tasksel/first', 'multiselect', ''],
    ['d-i', 'pkgsel/include', 'string', packages.join(' ')],
    ['d-i', 'pkgsel/upgrade', 'select', 'none'],
    ['d-i', 'pkgsel/update-policy', 'select', 'none'],
    ['popularity-contest', 'popularity-contest/participate', 'boolean', 'false'],
    ['d-i', 'grub-installer/only_debian', 'boolean', 'true'],
    ['d-i', 'grub-installer/with_other_os', 'boolean', 'false'],
    ['d-i', 'grub-installer/bootdev', 'string', '/dev/sda'],
    ['d-i', 'finish-install/reboot_in_progress', 'note', ''],
    // QEMU runs with -no-reboot, so the power-off ends the install.
    ['d-i', 'debian-installer/exit/poweroff', 'boolean', 'true'],
  ];
  return answers.map((answer) => `${answer.join(' ').trimEnd()}\n`).join('');
}
