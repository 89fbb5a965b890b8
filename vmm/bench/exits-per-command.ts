// SPDX-License-Identifier: MIT
// Benchmark: hypervisor exits per ATA command of the network disk (issue 6's "exits per command").
// Stock Debian network-boots through the hypervisor; at its shell, for each workload, the guest
// asks the hypervisor (VMMCALL, guest/netboot-bench/hypercall.py) to zero its AoE statistics and
// print its exit counts, reads its disk with O_DIRECT, and asks for both again. Exits per command
// = the exit counts' difference / the AoE data commands in between. Once with the whole task file
// trapped (the default) and once with the paper's split (ata_regs=split: Sector Count and LBA at
// the placeholder disk behind the channel). Prints the numbers and the machine description; run as
// root:  npx tsx vmm/bench/exits-per-command.ts
import { describeMachine } from '../../artifact/core/machine-description.js';
import { ensureDebianImage } from '../../artifact/images/index.js';
import { createNetns, runInShell, startMachine } from '../../artifact/testbed/index.js';
import { parseAoeStatsBlocks } from '../../experiments/shared/hypervisor-aoe-stats.js';
import { parseExitCountLines } from '../../experiments/shared/hypervisor-exits.js';
import { buildServer, spawnVblade, stopProcess } from '../../server/lab.js';
import { buildHypervisor } from '../test/support/hypervisor.js';
import { guestHypercall, HYPERCALL_LOG_EXIT_COUNTS } from '../../experiments/shared/guest-hypercall.js';
import { networkBootClient, privateCopy } from '../test/support/network-boot.js';

/** dd reads at LBAs below 2^28 (Linux then uses 28-bit commands): 4 KiB and 1 MiB blocks. */
const workloads = [
  { name: 'read 4 KiB x 2000', dd: 'bs=4k count=2000 skip=100000' },
  { name: 'read 1 MiB x 20', dd: 'bs=1M count=20 skip=100' },
];

/** The whole task file trapped (the default), and the paper's split (ata_regs=split). */
const registerModes = [
  { name: 'ata_regs=all', append: '' },
  { name: 'ata_regs=split', append: ' ata_regs=split' },
];

buildHypervisor();
buildServer();
const image = (await ensureDebianImage()).path;
const rows: string[] = [];
for (const mode of registerModes) {
  const disk = privateCopy(image, 'bench-exits');
  const netns = await createNetns(`bench-exits-${process.pid}`);
  const vblade = spawnVblade({ netns: netns.name, ifname: netns.taps[0]!, image: disk.path, shelf: 1, slot: 1 });
  const machine = await startMachine(
    networkBootClient(
      'bench-exits',
      { image: disk.path, shelf: 1, slot: 1 },
      { netns: netns.name, tap: netns.taps[0]!, mac: '52:54:00:a0:e0:09' },
      { append: `aoe=1.1 hypercalls=any${mode.append}` }, // the guest's tool calls from user space
    ),
  );
  try {
    await machine.consoles.com1.waitForPrompt(/login: /, 20 * 60_000);
    if (mode.append && !/ata_regs=split: sector count and LBA/.test(machine.consoles.com2.text))
      throw new Error(`${mode.name}: the hypervisor did not split the registers: ${machine.consoles.com2.text}`);
    for (const workload of workloads) {
      const before = machine.consoles.com2.text.length;
      const command = [
        guestHypercall('AOE_STATS_RESET'),
        guestHypercall(HYPERCALL_LOG_EXIT_COUNTS),
        `dd if=/dev/sda of=/dev/null ${workload.dd} iflag=direct status=none`,
        guestHypercall(HYPERCALL_LOG_EXIT_COUNTS),
        guestHypercall('AOE_STATS_LOG'),
      ].join('; ');
      const result = await runInShell(machine.consoles.com1, command, { timeoutMs: 10 * 60_000 });
      if (result.exitCode !== 0) throw new Error(`${workload.name}: the guest command failed: ${result.output}`);
      await machine.consoles.com2.waitFor(/aoe stats end/, 10_000);
      const console = machine.consoles.com2.text.slice(before);
      const counts = parseExitCountLines(console)
        .filter((line) => line.when === 'on guest request')
        .map((line) => ({ total: line.total, ioio: line.byReason['ioio'] ?? 0 }));
      const stats = parseAoeStatsBlocks(console).at(-1);
      if (counts.length < 2 || !stats) throw new Error(`${workload.name}: the hypervisor did not print its counts`);
      const commands = (stats.dataCommands.read?.count ?? 0) + (stats.dataCommands.write?.count ?? 0);
      const exits = counts[1]!.total - counts[0]!.total;
      const ioio = counts[1]!.ioio - counts[0]!.ioio;
      rows.push(
        `${mode.name.padEnd(15)} ${workload.name.padEnd(20)} data commands ${String(commands).padStart(5)}  exits ${String(exits).padStart(7)}  per command ${(exits / commands).toFixed(1)} (port I/O ${(ioio / commands).toFixed(1)})`,
      );
    }
  } finally {
    await machine.powerOff();
    await stopProcess(vblade.process);
    await netns.destroy();
    disk.dispose();
  }
}
console.log(
  `exits per ATA command of the network disk (stock Debian, ata_piix, DMA; other guest I/O in the interval counts too)\n${rows.join('\n')}`,
);
console.log(`machine: ${JSON.stringify(describeMachine())}`);
