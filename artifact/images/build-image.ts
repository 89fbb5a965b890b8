// Builds (or finds cached) the Debian image from the command line:
//   tsx artifact/images/build-image.ts [stock]
import { ensureDebianImage } from './ensure-image.js';
import type { DebianVariant } from './recipe.js';

const variant = (process.argv[2] ?? 'stock') as DebianVariant;
if (variant !== 'stock') {
  console.error(`unknown image variant "${variant}": only "stock" exists`);
  process.exit(2);
}
const start = performance.now();
const image = await ensureDebianImage({ variant, onProgress: (step) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)} s] ${step}`) });
console.log(`${image.path}\n  kernel ${image.manifest.kernelVersion}, rootfs build ${image.manifest.rootfsBuildSeconds.toFixed(1)} s, payload ${image.manifest.payloadSeconds.toFixed(1)} s`);
