// SPDX-License-Identifier: MIT
/**
 * The "newc" cpio format (SVR4, no CRC) that Linux unpacks as an initramfs. Several archives
 * concatenated, each gzip-compressed on its own, form one initramfs: that is how a preseed file
 * is added to the Debian installer's initrd without unpacking it (the host has no cpio tool).
 */
export interface CpioEntry {
  /** Path inside the archive, without a leading "/". */
  name: string;
  data: Buffer;
  /** Permission bits; the entry is a regular file. */
  mode: number;
}

const regularFile = 0o100000;

function header(fields: { ino: number; mode: number; nlink: number; size: number; nameSize: number }): string {
  const values = [fields.ino, fields.mode, 0, 0, fields.nlink, 0, fields.size, 0, 0, 0, 0, fields.nameSize, 0];
  return `070701${values.map((value) => value.toString(16).padStart(8, '0')).join('')}`;
}

const padTo4 = (length: number) => Buffer.alloc((4 - (length % 4)) % 4);

function record(name: string, data: Buffer, fields: { ino: number; mode: number; nlink: number }): Buffer {
  const nameBytes = Buffer.from(`${name}\0`, 'utf8');
  const head = Buffer.concat([
    Buffer.from(header({ ...fields, size: data.length, nameSize: nameBytes.length }), 'latin1'),
    nameBytes,
  ]);
  return Buffer.concat([head, padTo4(head.length), data, padTo4(data.length)]);
}

/** One newc archive holding `entries` (regular files) and the closing TRAILER!!! record. */
export function cpioNewc(entries: readonly CpioEntry[]): Buffer {
  const records = entries.map((entry, index) => {
    if (entry.name === '' || entry.name.startsWith('/'))
      throw new Error(`cpio entry name "${entry.name}" must be a relative path`);
    return record(entry.name, entry.data, { ino: index + 1, mode: regularFile | (entry.mode & 0o7777), nlink: 1 });
  });
  return Buffer.concat([...records, record('TRAILER!!!', Buffer.alloc(0), { ino: 0, mode: 0, nlink: 1 })]);
}
