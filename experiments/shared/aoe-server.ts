import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import type { RepetitionContext } from '../../artifact/core/experiment.js';
import { stockImage } from './guest-image.js';
import { paths } from '../../artifact/core/paths.js';
import { createNetns } from '../../artifact/testbed/index.js';
import type { ClientBoot } from './client-pc.js';

/** The client's MAC and the hypervisor's AoE settings: MTU 1500 = 2 sectors per frame, as in the paper. */
const clientMac = '52:54:00:a0:e0:01';
const hypervisorCommandLine = 'aoe=auto mtu=1500';
/** vblade's advertised buffer count (its default 16 overflows its socket buffer with larger windows). */
const serverBuffers = 64;

/**
 * The paper's network boot: the patched vblade exports a scratch copy of the stock image on a tap
 * device in a private network namespace (cache off = `-d`, O_DIRECT), and the client PC boots the
 * hypervisor, which finds the target and serves the BIOS's drive 0x80 from it. The client has a
 * placeholder disk of the image's size so the BIOS enumerates drive 0x80 at POST. The scratch copy
 * (written by cp, so its pages start in the server's page cache) is deleted afterwards.
 */
export async function withAoeServer(ctx: RepetitionContext, cache: 'on' | 'off', body: (boot: ClientBoot) => Promise<void>): Promise<void> {
  const image = stockImage(ctx);
  const scratchDir = path.join(paths.cache, 'scratch');
  const scratch = path.join(scratchDir, `${ctx.experimentId}-${ctx.configuration}-rep${ctx.repetition}.img`);
  await mkdir(scratchDir, { recursive: true });
  ctx.progress(`rep ${ctx.repetition}: copying the image for the server`);
  await $`cp --sparse=always ${image.path} ${scratch}`.quiet();
  const netns = await createNetns(`aoe-${process.pid}-${ctx.repetition}`, { mtu: 1500 });
  const flags = ['-b', String(serverBuffers), ...(cache === 'off' ? ['-d'] : [])];
  const vblade = spawn('ip', ['netns', 'exec', netns.name, paths.vblade, ...flags, '0', '1', netns.taps[0]!, scratch], { stdio: ['ignore', 'pipe', 'pipe'] });
  const serverLog = createWriteStream(path.join(ctx.rawDir, 'vblade.log'));
  vblade.stdout.pipe(serverLog);
  vblade.stderr.pipe(serverLog);
  const vbladeExited = new Promise((resolve) => vblade.once('exit', resolve));
  ctx.log(`vblade ${flags.join(' ')} e0.1 on ${netns.name}/${netns.taps[0]}: ${scratch}`);
  try {
    await body({
      disk: { kind: 'placeholder', sizeBytes: (await stat(image.path)).size },
      kernel: paths.vmmElf,
      append: hypervisorCommandLine,
      netns: netns.name,
      nics: [{ kind: 'tap', tap: netns.taps[0]!, mac: clientMac, model: 'e1000' }],
    });
  } finally {
    if (vblade.exitCode === null && vblade.signalCode === null) vblade.kill('SIGTERM');
    await vbladeExited;
    await netns.destroy();
    await rm(scratch, { force: true });
  }
}
