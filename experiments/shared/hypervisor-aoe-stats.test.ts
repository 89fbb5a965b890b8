// SPDX-License-Identifier: MIT
import { describe, expect, it } from 'vitest';
import { parseAoeStatsBlocks } from './hypervisor-aoe-stats.js';

const console = [
  '[    1.126000] vmm: aoe stats begin (hypervisor boot checks)',
  '[    1.126966] vmm: aoe stats: commands 18, frames sent 1026, retransmits 0, duplicates 0, stale 0, ignored 0, ATA errors 0, AoE errors 0, bytes read 1049600, written 0',
  '[    1.127644] vmm: aoe rtt read index 0: count 18 mean 699 us max 1050 us total 12582 us',
  '[    1.127700] vmm: aoe stats end',
  'GRUB noise',
  '[   90.000000] vmm: aoe stats begin (guest request)\r',
  '[   90.000001] vmm: aoe stats: commands 4, frames sent 2050, retransmits 2, duplicates 1, stale 0, ignored 0, ATA errors 0, AoE errors 0, bytes read 2097152, written 0\r',
  '[   90.000002] vmm: aoe time: busy 100500 us, transmit 20000 us, doorbell 30000 us, receive 40000 us, idle 10000 us, other 500 us, frames received 2049\r',
  '[   90.000002] vmm: aoe commands read: count 4 sectors 4096 mean 25000 us max 31000 us total 100000 us\r',
  '[   90.000003] vmm: aoe rtt read index 0: count 4 mean 700 us max 900 us total 2801 us\r',
  '[   90.000004] vmm: aoe rtt read index 1: count 3 mean 800 us max 950 us total 2400 us\r',
  '[   90.000005] vmm: aoe stats end\r',
  '[   95.000000] vmm: aoe stats begin (guest request)',
  '[   95.000001] vmm: aoe stats: commands 1, frames sent 1, retransmits 0, duplicates 0, stale 0, ignored 0, ATA errors 0, AoE errors 0, bytes read 0, written 0',
].join('\n');

describe('hypervisor AoE statistics parser', () => {
  it('reads each complete block: counters, whole commands and RTT by packet index', () => {
    const blocks = parseAoeStatsBlocks(console);
    expect(blocks.map((b) => b.reason)).toEqual(['hypervisor boot checks', 'guest request']);
    const guest = blocks[1]!;
    expect(guest).toMatchObject({
      commands: 4,
      framesSent: 2050,
      retransmits: 2,
      duplicates: 1,
      bytesRead: 2097152,
      bytesWritten: 0,
    });
    expect(guest.dataCommands).toEqual({ read: { count: 4, sectors: 4096, maxUs: 31000, totalUs: 100000 } });
    expect(guest.rtt.read).toEqual([
      { index: 0, count: 4, maxUs: 900, totalUs: 2801 },
      { index: 1, count: 3, maxUs: 950, totalUs: 2400 },
    ]);
    expect(guest.rtt.write).toEqual([]);
    expect(guest.time).toEqual({
      busyUs: 100500,
      transmitUs: 20000,
      doorbellUs: 30000,
      receiveUs: 40000,
      idleUs: 10000,
      otherUs: 500,
      framesReceived: 2049,
    });
    // A hypervisor built before the time split printed no such line.
    expect(blocks[0]!.time).toBeUndefined();
  });

  it('ignores a block cut off before its end line', () => {
    expect(parseAoeStatsBlocks(console).filter((b) => b.commands === 1)).toEqual([]);
  });
});
