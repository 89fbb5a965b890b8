// SPDX-License-Identifier: MIT
/**
 * A GRUB rescue CD that starts a multiboot kernel with a command line: how a Bochs PC (bochs.ts)
 * starts the hypervisor, where QEMU uses -kernel. GRUB writes nothing to the serial ports, which
 * stay the kernel's. Needs grub-mkrescue with GRUB's BIOS platform (grub-pc-bin), mtools and
 * xorriso, which artifact/bootstrap.sh installs.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';

export interface MultibootIsoSpec {
  kernel: string;
  /** The kernel's command line. */
  append: string;
  /** Where the ISO is written. */
  out: string;
}

/** grub.cfg: boot the kernel at once, no menu. */
export function grubConfig(kernelFile: string, append: string): string {
  if (/[\n"]/.test(append)) throw new Error(`a multiboot command line cannot hold a newline or '"': ${append}`);
  return [
    'set timeout=0',
    'set default=0',
    `menuentry "kernel" {`,
    `  multiboot /boot/${kernelFile} ${append}`,
    '  boot',
    '}',
    '',
  ].join('\n');
}

export async function buildMultibootIso(spec: MultibootIsoSpec): Promise<string> {
  if ((await $`command -v grub-mkrescue`.nothrow().quiet()).exitCode !== 0)
    throw new Error('grub-mkrescue is missing: run artifact/bootstrap.sh (grub-pc-bin, mtools, xorriso)');
  const tree = await mkdtemp(path.join(os.tmpdir(), 'multiboot-iso-'));
  try {
    const kernelFile = path.basename(spec.kernel);
    await mkdir(path.join(tree, 'boot', 'grub'), { recursive: true });
    await copyFile(spec.kernel, path.join(tree, 'boot', kernelFile));
    await writeFile(path.join(tree, 'boot', 'grub', 'grub.cfg'), grubConfig(kernelFile, spec.append));
    await mkdir(path.dirname(spec.out), { recursive: true });
    const made = await $`grub-mkrescue -o ${spec.out} ${tree}`.nothrow().quiet();
    if (made.exitCode !== 0) throw new Error(`grub-mkrescue failed:\n${made.stderr}`);
    return spec.out;
  } finally {
    await rm(tree, { recursive: true, force: true });
  }
}
