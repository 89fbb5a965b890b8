import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ensureWindowsImage, windowsSkipMessage } from '../images/index.js';
import { readProductKey } from '../images/windows.js';

describe('Windows images (bring your own ISO)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test('without an ISO every Windows step is skipped with the documented message', async () => {
    expect(windowsSkipMessage).toBe("skipped: no Windows ISO given (pass --windows-iso PATH; see README 'Windows')");
    await expect(ensureWindowsImage({})).resolves.toEqual({ status: 'skipped', message: windowsSkipMessage });
    await expect(ensureWindowsImage({ windowsIso: '' })).resolves.toEqual({ status: 'skipped', message: windowsSkipMessage });
  });

  test('a missing or non-ISO file is refused with what to give instead', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'win-iso-'));
    dirs.push(dir);
    await expect(ensureWindowsImage({ windowsIso: path.join(dir, 'absent.iso') })).rejects.toThrow(/cannot open it \(ENOENT\).*Windows 7 or later ISO/);
    const notIso = path.join(dir, 'zeros.iso');
    await writeFile(notIso, Buffer.alloc(0x9000));
    await expect(ensureWindowsImage({ windowsIso: notIso })).rejects.toThrow(/not an ISO 9660 image/);
  });

  test('a real ISO signature is accepted, and the missing installer is reported, not faked', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'win-iso-'));
    dirs.push(dir);
    const iso = path.join(dir, 'fake-signature.iso');
    const bytes = Buffer.alloc(0x9000);
    bytes.write('CD001', 0x8001, 'latin1');
    await writeFile(iso, bytes);
    await expect(ensureWindowsImage({ windowsIso: iso })).rejects.toThrow(/not implemented yet.*run without --windows-iso/);
  });

  test('a product key comes from a file, must look like one, and is never echoed in an error', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'win-key-'));
    dirs.push(dir);
    const good = path.join(dir, 'key');
    await writeFile(good, 'abcde-12345-FGHIJ-67890-KLMNO\n');
    await expect(readProductKey(good)).resolves.toBe('ABCDE-12345-FGHIJ-67890-KLMNO');
    const bad = path.join(dir, 'bad');
    await writeFile(bad, 'SECRET-BUT-WRONG');
    const error = await readProductKey(bad).catch((e: Error) => e);
    expect((error as Error).message).toMatch(/does not hold one product key of the form XXXXX-XXXXX/);
    expect((error as Error).message).not.toContain('SECRET');
    await expect(readProductKey(path.join(dir, 'absent'))).rejects.toThrow(/cannot read it \(ENOENT\)/);
  });
});
