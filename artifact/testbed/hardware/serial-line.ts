// SPDX-License-Identifier: MIT
import { constants, existsSync, openSync } from 'node:fs';
import { Duplex } from 'node:stream';
import tty from 'node:tty';
import { $ } from 'zx';

/**
 * Opens a serial device (a USB adapter, a null-modem port, or a pty) as a byte stream in raw mode
 * at `baud`, 8N1, no flow control: what GRUB, Linux and the payload print on the client's COM1.
 * Reading and writing use two descriptors, as libuv watches each tty descriptor for one direction.
 */
export async function openSerialLine(device: string, baud: number): Promise<Duplex> {
  if (!existsSync(device))
    throw new Error(
      `console device ${device} does not exist: check the cable or adapter (ls /dev/ttyUSB* /dev/ttyS*) and client.console.device`,
    );
  const configured = await $`stty -F ${device} ${baud} raw -echo cs8 -cstopb -parenb -crtscts clocal`.quiet().nothrow();
  if (configured.exitCode !== 0)
    throw new Error(`console device ${device} cannot be set to ${baud} 8N1 raw: ${configured.stderr.trim()}`);
  const readFd = openSync(device, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  const writeFd = openSync(device, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  const reader = new tty.ReadStream(readFd);
  reader.setRawMode(true);
  const writer = new tty.WriteStream(writeFd);
  return Duplex.from({ readable: reader, writable: writer });
}
