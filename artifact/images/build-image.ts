// Builds (or finds cached) the Debian image from the command line:
//   tsx artifact/images/build-image.ts [stock|aoe-root]
import { ensureDebianImage } from './ensure-image.js';
import { parseDebianVariant } from './recipe.js';

let variant;
try {
  variant = parseDebianVariant(process.argv[2] ?? 'stock');
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const start = performance.now();
const image = await ensureDebianImage({ variant, onProgress: (step) => console.log(`[${((performance.now() - start) / 1000).toFixed(1)} s] ${step}`) });
console.log(`${image.path}\n  kernel ${image.manifest.kernelVersion}, rootfs build ${image.manifest.rootfsBuildSeconds.toFixed(1)} s, payload ${image.manifest.payloadSeconds.toFixed(1)} s`);
