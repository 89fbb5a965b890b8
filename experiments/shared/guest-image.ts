// SPDX-License-Identifier: MIT
import path from 'node:path';
import type { RepetitionContext } from '../../artifact/core/experiment.js';
import { diskModelScale } from '../../artifact/core/disk-profile.js';
import type { GuestImage } from '../../artifact/core/manifest.js';
import type { DebianVariant } from '../../artifact/images/index.js';
import type { DiskSpec } from '../../artifact/testbed/index.js';
import { hddModelStatsFile } from '../../artifact/testbed/modelled-disk.js';

/** The Debian image of `variant` (default stock) the provision stage made for this run. */
export function guestImage(ctx: RepetitionContext, variant: DebianVariant = 'stock'): GuestImage {
  const image = ctx.guestImages.find((candidate) => candidate.variant === variant);
  if (!image)
    throw new Error(
      `no ${variant} Debian image in this run (the provision stage did not make one); rerun npm run reproduce`,
    );
  return image;
}

/**
 * The stock Debian image as the client's IDE disk. Snapshot mode: each boot starts from the same
 * image and writes never reach it, so repetitions are independent. cache 'none' (O_DIRECT on the
 * host): the "local disk" must behave like a disk, not like the host's RAM, or it would be a
 * second server cache and the cache-on vs local comparisons (C1, C4) would compare RAM with RAM.
 */
export function guestImageDisk(ctx: RepetitionContext, variant: DebianVariant = 'stock'): DiskSpec {
  // --profile hdd-2011(-scaled): the paper's drive, modelled.
  const scale = diskModelScale(ctx);
  if (scale !== undefined) return modelledImageDisk(ctx, scale, variant);
  const image = guestImage(ctx, variant);
  return { kind: 'image', path: image.path, format: image.format, mode: 'snapshot', cache: 'none' };
}

/**
 * The image behind the hard disk model with every time multiplied by `scale` (1: the paper's
 * drive); the guest's writes stay in nbdkit's overlay, as in snapshot mode, and the model's
 * counters go beside the client's logs.
 */
export function modelledImageDisk(ctx: RepetitionContext, scale: number, variant: DebianVariant = 'stock'): DiskSpec {
  const image = guestImage(ctx, variant);
  if (image.format !== 'raw')
    throw new Error(`the hard disk model serves raw images; ${image.path} is ${image.format}`);
  return {
    kind: 'modelled',
    path: image.path,
    scale,
    writeCache: true,
    statsFile: path.join(ctx.rawDir, hddModelStatsFile),
  };
}
