// SPDX-License-Identifier: MIT
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { withBuildLock } from './build-lock.js';
import type { Progress } from './image-chroot.js';
import { imageCacheDir, repoRoot } from './paths.js';
import { hashFiles } from './recipe-hash.js';
import type { AutounattendOptions } from './windows-autounattend.js';
import { checkWindowsMedium } from './windows-medium.js';
import { installWindows } from './windows-install.js';

/** Printed for every Windows step when the user gave no ISO (Windows cannot be redistributed). */
export const windowsSkipMessage = "skipped: no Windows ISO given (pass --windows-iso PATH; see README 'Windows')";

export type WindowsImageOutcome =
  { status: 'skipped'; message: string } | { status: 'ready'; path: string; manifest: WindowsImageManifest };

export interface WindowsImageOptions {
  windowsIso?: string;
  /** A file holding the product key (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX): keys stay out of argv and the manifest. */
  windowsProductKeyFile?: string;
  cacheDir?: string;
  onProgress?: Progress;
}

export interface WindowsImageManifest {
  iso: string;
  isoSha256: string;
  imageHash: string;
  imageIndex: number;
  installSeconds: number;
  builtAt: string;
}

/**
 * The local Administrator's password in the installed image. The PC has no network and the
 * account only logs on once by itself, to finish Setup; it is documented in the README.
 */
export const windowsAdministratorPassword = 'netboot-bench';

/** Sources whose change means another installation. */
const installSources = ['windows.ts', 'windows-install.ts', 'windows-autounattend.ts', 'windows-medium.ts'];

/**
 * Windows guests are bring-your-own. Without an ISO every Windows step is skipped with
 * windowsSkipMessage. With one, the ISO and the product key file are checked, and the image is
 * installed unattended in QEMU (windows-install.ts) or found in the cache: keyed by the ISO's
 * SHA-256, the key and the installer's sources. Never run against a real ISO on the development
 * machine (none is available there): README 'Windows' says so.
 */
export async function ensureWindowsImage(options: WindowsImageOptions): Promise<WindowsImageOutcome> {
  if (options.windowsIso === undefined || options.windowsIso === '')
    return { status: 'skipped', message: windowsSkipMessage };
  const progress = options.onProgress ?? (() => undefined);
  const iso = options.windowsIso;
  await checkIso(iso);
  await checkWindowsMedium(iso);
  const productKey =
    options.windowsProductKeyFile === undefined ? undefined : await readProductKey(options.windowsProductKeyFile);
  const answers: AutounattendOptions = {
    imageIndex: 1,
    computerName: 'NETBOOT-WIN',
    administratorPassword: windowsAdministratorPassword,
    ...(productKey === undefined ? {} : { productKey }),
  };

  progress(`Windows: hashing ${path.basename(iso)}`);
  const isoSha256 = await sha256File(iso);
  const hash = createHash('sha256').update(isoSha256).update(JSON.stringify(answers));
  await hashFiles(hash, path.join(repoRoot, 'artifact/images'), (file) => installSources.includes(path.basename(file)));
  const imageHash = hash.digest('hex').slice(0, 16);
  const cacheDir = options.cacheDir ?? imageCacheDir;
  const imagePath = path.join(cacheDir, `windows-${imageHash}.img`);
  const manifestPath = `${imagePath.slice(0, -4)}.json`;
  const cached = async (): Promise<WindowsImageOutcome | undefined> =>
    existsSync(imagePath) && existsSync(manifestPath)
      ? {
          status: 'ready',
          path: imagePath,
          manifest: JSON.parse(await readFile(manifestPath, 'utf8')) as WindowsImageManifest,
        }
      : undefined;
  const hit = await cached();
  if (hit) return hit;

  await mkdir(cacheDir, { recursive: true });
  return withBuildLock(
    path.join(cacheDir, 'windows.lock'),
    (pid) => progress(`Windows: waiting for process ${pid}, which is installing it`),
    async () => {
      const builtMeanwhile = await cached();
      if (builtMeanwhile) return builtMeanwhile;
      const partial = `${imagePath}.partial-${process.pid}`;
      const logDir = `${imagePath.slice(0, -4)}.install`;
      const start = performance.now();
      try {
        await installWindows(iso, answers, partial, logDir, path.join(logDir, 'install.log'), progress);
        const manifest: WindowsImageManifest = {
          iso,
          isoSha256,
          imageHash,
          imageIndex: answers.imageIndex,
          installSeconds: (performance.now() - start) / 1000,
          builtAt: new Date().toISOString(),
        };
        await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
        await rename(partial, imagePath);
        return { status: 'ready' as const, path: imagePath, manifest };
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
  );
}

/** An ISO 9660 image carries "CD001" at byte 0x8001 (the primary volume descriptor). */
async function checkIso(file: string): Promise<void> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    throw new Error(
      `--windows-iso ${file}: cannot open it (${(error as NodeJS.ErrnoException).code}); give the path of a Windows 7 or later ISO`,
    );
  }
  try {
    const magic = Buffer.alloc(5);
    await handle.read(magic, 0, 5, 0x8001);
    if (magic.toString('latin1') !== 'CD001')
      throw new Error(`--windows-iso ${file} is not an ISO 9660 image (no CD001 signature at 0x8001)`);
  } finally {
    await handle.close();
  }
}

/** The key file holds one product key, five groups of five letters or digits; the error never echoes the file. */
export async function readProductKey(file: string): Promise<string> {
  let text;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`--windows-product-key-file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  const key = text.trim().toUpperCase();
  if (!/^[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/.test(key)) {
    throw new Error(
      `--windows-product-key-file ${file} does not hold one product key of the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`,
    );
  }
  return key;
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 2 ** 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
