// SPDX-License-Identifier: MIT
// Builds (or finds cached) a Debian image from the command line:
//   tsx artifact/images/build-image.ts [stock|aoe-root|kvm-host] [debootstrap|debian-installer]
import { ensureDebianImage } from './ensure-image.js';
import { parseDebianInstaller, parseDebianVariant } from './recipe.js';

let variant;
let installer;
try {
  variant = parseDebianVariant(process.argv[2] ?? 'stock');
  installer = parseDebianInstaller(process.argv[3] ?? 'debootstrap');
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const start = performance.now();
const image = await ensureDebianImage({
  variant,
  installer,
  onProgress: (step) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)} s] ${step}`),
}).catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
console.log(
  `${image.path}\n  kernel ${image.manifest.kernelVersion}, rootfs build ${image.manifest.rootfsBuildSeconds.toFixed(1)} s, payload ${image.manifest.payloadSeconds.toFixed(1)} s`,
);
