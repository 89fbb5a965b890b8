// SPDX-License-Identifier: MIT
// Boot-time AoE device management through the real stack: the hypervisor drives QEMU's e1000,
// discovers the patched vblade on a tap inside a private network namespace, sends IDENTIFY
// DEVICE and reads LBA 0 over AoE, and reports on its console. Also: no target answering, and a
// target that stops answering for good (aoe_deadline).
import { readFileSync, statSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { buildServer, spawnVblade, stopProcess, type RunningServer } from '../../server/lab.js';
import { createNetns, startMachine, type Machine, type Netns, type NicModel } from '../../artifact/testbed/index.js';
import { buildHypervisor, probeGuestImage, testLogDir, vmmImage } from './support/hypervisor.js';
import {
  addRelayedServerLink,
  startLossyRelay,
  type LossyRelay,
  type LossyRelayOptions,
} from './support/lossy-relay.js';

const timeoutMs = 120_000;
const guestMac = '52:54:00:a0:e0:01';
let machine: Machine | undefined;
let netns: Netns | undefined;
let vblade: RunningServer | undefined;
let relay: LossyRelay | undefined;

/** FNV-1a 64 of the first `bytes` of a file, as the hypervisor's self-check read logs it. */
function fnv1a64(file: string, bytes: number): string {
  const data = readFileSync(file).subarray(0, bytes);
  let hash = 0xcbf29ce484222325n;
  for (const byte of data) hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return hash.toString(16).padStart(16, '0');
}

async function boot(name: string, ns: Netns, append: string, model: NicModel = 'e1000'): Promise<Machine> {
  machine = await startMachine({
    name,
    logDir: testLogDir(name),
    kernel: vmmImage,
    append,
    disks: [{ kind: 'image', path: probeGuestImage, format: 'raw', mode: 'snapshot' }],
    netns: ns.name,
    nics: [{ kind: 'tap', tap: ns.taps[0]!, mac: guestMac, model }],
    noReboot: true,
  });
  return machine;
}

/** The probe image served read-only as e3.7 behind the lossy relay (its deterministic impairments), in a fresh namespace. */
async function serveBehindRelay(
  name: string,
  impairments: Pick<LossyRelayOptions, 'dropEveryNthResponse' | 'silentAfterResponses' | 'silentSeconds'>,
): Promise<{ ns: Netns; wire: LossyRelay }> {
  const ns = await createNetns(`vmm-aoe-${name}-${process.pid}`);
  netns = ns;
  const link = await addRelayedServerLink(ns);
  const wire = await startLossyRelay({ netns: ns.name, clientIf: ns.taps[0]!, serverIf: link.relayIf, ...impairments });
  relay = wire;
  vblade = spawnVblade({
    netns: ns.name,
    ifname: link.serverIf,
    image: probeGuestImage,
    shelf: 3,
    slot: 7,
    flags: ['-r'],
  });
  return { ns, wire };
}

beforeAll(() => {
  buildHypervisor();
  buildServer();
}, 180_000);

afterEach(async () => {
  await machine?.kill();
  machine = undefined;
  await stopProcess(vblade?.process);
  await relay?.stop();
  vblade = undefined;
  relay = undefined;
  await netns?.destroy();
  netns = undefined;
});

describe('hypervisor AoE discovery over a real e1000 and the patched vblade', () => {
  // QEMU's e1000 is the 82540EM (8086:100e), e1000-82545em the 82545EM (100f), e1000e the PCIe
  // 82574L (10d3), whose EEPROM read register has another layout.
  for (const { mtu, sectorsPerFrame, model, deviceId, part } of [
    { mtu: 1500, sectorsPerFrame: 2, model: 'e1000', deviceId: '100e', part: '82540EM' },
    { mtu: 9000, sectorsPerFrame: 17, model: 'e1000', deviceId: '100e', part: '82540EM' },
    { mtu: 1500, sectorsPerFrame: 2, model: 'e1000-82545em', deviceId: '100f', part: '82545EM' },
    { mtu: 1500, sectorsPerFrame: 2, model: 'e1000e', deviceId: '10d3', part: '82574L' },
  ] satisfies { mtu: number; sectorsPerFrame: number; model: NicModel; deviceId: string; part: string }[]) {
    test(
      `finds e3.7 over ${model} at MTU ${mtu}, identifies it and reads its first MiB`,
      async () => {
        netns = await createNetns(`vmm-aoe-${mtu}-${process.pid}`, { mtu });
        vblade = spawnVblade({
          netns: netns.name,
          ifname: netns.taps[0]!,
          image: probeGuestImage,
          shelf: 3,
          slot: 7,
          flags: ['-r'],
        });
        const m = await boot(`aoe-${model}-${mtu}`, netns, `aoe=auto mtu=${mtu} aoe_wait=20`, model);
        // Stops at the first of: the guest starting (after every AoE line), a refusal, or AoE giving
        // up (then the assertions say which).
        await m.consoles.com2.waitFor(/vmm: (starting the guest|halted|AoE: .*continuing without)/, timeoutMs);
        const hv = m.consoles.com2.text;

        expect(hv).toMatch(
          new RegExp(`vmm: e1000 at PCI [0-9a-f:.]+ \\(8086:${deviceId}, ${part}\\), .*MAC ${guestMac}, MTU ${mtu}`),
        );
        const found =
          /AoE: target e(\d+)\.(\d+) found at ([0-9a-f:]+), buffer count (\d+), (\d+) sectors per frame/.exec(hv);
        expect(found, hv).not.toBeNull();
        expect([found![1], found![2]]).toEqual(['3', '7']);
        expect(Number(found![4])).toBeGreaterThan(0);
        expect(Number(found![5])).toBe(sectorsPerFrame);
        const sectors = Number(/AoE: IDENTIFY: sectors (\d+)/.exec(hv)?.[1]);
        expect(sectors).toBe(statSync(probeGuestImage).size / 512);
        expect(hv).toMatch(/AoE: LBA 0 carries the 55AA boot signature/);
        // The first MiB (the whole 1 MiB image) read back in 64 KiB commands, byte for byte.
        const check =
          /AoE: self-check read of (\d+) sectors in (\d+) us \((\d+) KB\/s\), FNV-1a 64 ([0-9a-f]{16})/.exec(hv);
        expect(check, hv).not.toBeNull();
        expect(Number(check![1])).toBe(2048);
        expect(check![4]).toBe(fnv1a64(probeGuestImage, 2048 * 512));
        // IDENTIFY, LBA 0, 16 self-check commands. Every frame beyond one per request is a
        // counted retransmission (a loaded host may delay answers past the timeout); nothing stale.
        const perCommand = Math.ceil(128 / sectorsPerFrame);
        const stats =
          /aoe stats: commands (\d+), frames sent (\d+), retransmits (\d+), duplicates (\d+), stale (\d+)/.exec(hv)!;
        expect(Number(stats[1])).toBe(18);
        expect(Number(stats[2])).toBe(2 + 16 * perCommand + Number(stats[3]));
        expect(Number(stats[4])).toBeLessThanOrEqual(Number(stats[3]));
        expect(Number(stats[5])).toBe(0);
        // Fig. 8's data: one RTT bucket per packet index of the 64 KiB commands.
        expect(hv).toMatch(new RegExp(`aoe rtt read index ${perCommand - 1}: count \\d+ mean \\d+ us`));
        expect(hv).not.toMatch(new RegExp(`aoe rtt read index ${perCommand}:`));
      },
      timeoutMs * 2,
    );
  }

  test(
    'retransmits over a lossy wire, reports a silent server, and still reads every byte',
    async () => {
      // The lossy wire (support/lossy-relay.ts): every 9th response lost; after the 400th,
      // nothing for 15 s: three times the 5 s report interval, because under a loaded host the
      // hypervisor's TSC calibration has been seen to come out up to 3x fast, so its seconds pass
      // slower than the relay's.
      const { ns, wire } = await serveBehindRelay('loss', {
        dropEveryNthResponse: 9,
        silentAfterResponses: 400,
        silentSeconds: 15,
      });
      const m = await boot('aoe-loss', ns, 'aoe=3.7 aoe_wait=20');
      await m.consoles.com2.waitFor(/vmm: (starting the guest|halted|AoE: .*continuing without)/, timeoutMs);
      const hv = m.consoles.com2.text;

      expect(hv, wire.output()).toMatch(/AoE target e3\.7 not answering; still retrying \(\d+ s without an answer\)/);
      const check = /AoE: self-check read of (\d+) sectors .* FNV-1a 64 ([0-9a-f]{16})/.exec(hv);
      expect(check, hv).not.toBeNull();
      expect(check![2]).toBe(fnv1a64(probeGuestImage, 2048 * 512));
      const stats =
        /aoe stats: commands (\d+), frames sent (\d+), retransmits (\d+), duplicates (\d+), stale (\d+)/.exec(hv)!;
      // At least one per dropped response: 1026 requests lose about 114 answers to the every-9th rule.
      expect(Number(stats[3])).toBeGreaterThanOrEqual(100);
      expect(Number(stats[2])).toBe(1026 + Number(stats[3]));
    },
    timeoutMs * 2,
  );

  test(
    'a target that stops answering after IDENTIFY: the boot checks fail at aoe_deadline and the hypervisor boots on without it',
    async () => {
      // The relay passes discovery and the first ATA answer (IDENTIFY), then drops every answer
      // for good: a server that dies and never comes back.
      const { ns, wire } = await serveBehindRelay('dead', { silentAfterResponses: 2, silentSeconds: 1e6 });
      const m = await boot('aoe-dead', ns, 'aoe=3.7 aoe_deadline=5');
      await m.consoles.com2.waitFor(/vmm: (halted|AoE: continuing without the network disk)/, timeoutMs);
      const hv = m.consoles.com2.text;
      expect(hv, wire.output()).toMatch(/AoE: IDENTIFY: sectors \d+/);
      expect(hv).toMatch(
        /AoE target e3\.7 gave no answer for \d+ s \(aoe_deadline=5\): the command fails with an ATA error/,
      );
      expect(hv).toMatch(
        /AoE: read of LBA 0 failed: the target found by discovery stopped answering \(aoe_deadline=5 s\)/,
      );
      expect(hv).toMatch(/AoE: continuing without the network disk/);
      await m.consoles.com2.waitFor(/vmm: starting the guest in real mode/, timeoutMs);
      expect(hv).not.toMatch(/PANIC/);
    },
    timeoutMs * 2,
  );

  test(
    'reports a silent network and boots on without the network disk',
    async () => {
      netns = await createNetns(`vmm-aoe-none-${process.pid}`);
      const m = await boot('aoe-none', netns, 'aoe=0.1 aoe_wait=7');
      await m.consoles.com2.waitFor(/vmm: (halted|AoE: .*continuing without)/, timeoutMs);
      expect(m.consoles.com2.text).toMatch(
        /AoE: no target answered within 7 s \(aoe_wait=\); continuing without the network disk/,
      );
      const hv = m.consoles.com2.text;
      expect(hv).toMatch(
        /AoE: no target answered Query Config for 5 s \(looking for the configured one\); still searching/,
      );
      await m.consoles.com2.waitFor(/vmm: starting the guest in real mode/, timeoutMs);
    },
    timeoutMs * 2,
  );
});
