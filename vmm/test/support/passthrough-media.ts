// SPDX-License-Identifier: MIT
// Host-made media for the passthrough test: an ISO 9660 image for the CD-ROM drive and a small
// ext4 disk image for a USB stick. Both are built without mounting anything (xorriso, mkfs.ext4
// -d), and the guest's writes are read back from the disk image with debugfs (e2fsprogs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export type MediaFiles = Record<string, Buffer>;

function stageFiles(files: MediaFiles): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vmm-media-'));
  for (const [name, content] of Object.entries(files)) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name))
      throw new Error(`media file name "${name}" must be a plain lower-case name`);
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Writes an ISO 9660 image (Rock Ridge and Joliet names) holding `files` at its root. */
export function buildIso(image: string, volumeId: string, files: MediaFiles): void {
  const dir = stageFiles(files);
  try {
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-r', '-J', '-V', volumeId, '-o', image, dir], {
      stdio: 'pipe',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes a raw disk image of `sizeMiB` with one ext4 file system (no partition table) holding `files`. */
export function buildExt4Disk(image: string, sizeMiB: number, label: string, files: MediaFiles): void {
  const dir = stageFiles(files);
  try {
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', label, '-d', dir, image, `${sizeMiB}M`], { stdio: 'pipe' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads one file from the root of an (unmounted) ext4 image; throws when it is not there. */
export function readExt4File(image: string, name: string): Buffer {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vmm-media-'));
  const out = path.join(dir, 'file');
  try {
    // debugfs reports a missing file on stderr and still exits 0: the dump file is then absent.
    execFileSync('debugfs', ['-R', `dump /${name} ${out}`, image], { stdio: 'pipe' });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
