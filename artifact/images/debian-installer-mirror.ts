// SPDX-License-Identifier: MIT
import { gunzipSync } from 'node:zlib';
import type { DebianRecipe } from './recipe.js';

/**
 * The installer's own components are .udeb packages it downloads from the mirror's
 * main/debian-installer section. A mirror or proxy that serves .deb but not .udeb (this
 * workplace's does: 404 for every .udeb) would leave the installer on its "Download installer
 * components" error screen; asking one udeb first turns that into an immediate, clear error.
 */
export async function checkMirrorServesUdebs(recipe: DebianRecipe): Promise<void> {
  const base = recipe.mirror.replace(/\/$/, '');
  const index = `${base}/dists/${recipe.suite}/main/debian-installer/binary-amd64/Packages.gz`;
  const packages = await fetch(index).catch((error: Error) => {
    throw new Error(`the installer path cannot reach the mirror (${index}: ${error.message})`);
  });
  if (!packages.ok)
    throw new Error(
      `the mirror has no installer components for ${recipe.suite}: ${index} answered ${packages.status}; use the default installer (debootstrap)`,
    );
  const text = gunzipSync(Buffer.from(await packages.arrayBuffer())).toString('utf8');
  const filename = /^Filename: (\S+\.udeb)$/m.exec(text)?.[1];
  if (filename === undefined) throw new Error(`${index} lists no .udeb file`);
  const udeb = `${base}/${filename}`;
  const answer = await fetch(udeb, { method: 'HEAD' });
  if (!answer.ok) {
    throw new Error(
      `the mirror ${recipe.mirror} does not serve the installer's components: ${udeb} answered ${answer.status}. ` +
        "Debian's installer downloads its parts as .udeb files, so it cannot run against this mirror. Use the default installer (debootstrap), " +
        "or a network whose mirror serves .udeb files (Debian's public mirrors do; a filtering proxy may not)",
    );
  }
}
