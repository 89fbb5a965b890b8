// SPDX-License-Identifier: MIT
import { writeFile } from 'node:fs/promises';

/**
 * A 512-byte boot sector (hand-assembled 16-bit code) for testbed tests: prints a line on COM1
 * and one on COM2, then echoes every byte received on COM1 back to COM1, forever.
 */
export const bootSectorLines = { com1: 'TESTBED COM1 OK\r\n', com2: 'TESTBED COM2 OK\r\n' } as const;

export async function writeEchoBootSector(file: string): Promise<void> {
  const code = [
    0x31,
    0xc0, //             xor ax,ax
    0x8e,
    0xd8, //             mov ds,ax
    0xbe,
    0x2e,
    0x7c, //       mov si,msg1
    0xba,
    0xf8,
    0x03, //       mov dx,0x3f8 (COM1)
    0xe8,
    0x18,
    0x00, //       call print
    0xbe,
    0x40,
    0x7c, //       mov si,msg2
    0xba,
    0xf8,
    0x02, //       mov dx,0x2f8 (COM2)
    0xe8,
    0x0f,
    0x00, //       call print
    0xba,
    0xfd,
    0x03, // echo: mov dx,0x3fd (COM1 line status)
    0xec, //                   in al,dx
    0xa8,
    0x01, //             test al,1 (data ready)
    0x74,
    0xf8, //             jz echo
    0xba,
    0xf8,
    0x03, //       mov dx,0x3f8
    0xec, //                   in al,dx
    0xee, //                   out dx,al
    0xeb,
    0xf1, //             jmp echo
    0xac, //            print: lodsb
    0x84,
    0xc0, //             test al,al
    0x74,
    0x03, //             jz return
    0xee, //                   out dx,al
    0xeb,
    0xf8, //             jmp print
    0xc3, //           return: ret
  ];
  const sector = Buffer.alloc(512);
  Buffer.from(code).copy(sector, 0);
  sector.write(`${bootSectorLines.com1}\0`, 0x2e, 'latin1');
  sector.write(`${bootSectorLines.com2}\0`, 0x40, 'latin1');
  sector[510] = 0x55;
  sector[511] = 0xaa;
  await writeFile(file, sector);
}
