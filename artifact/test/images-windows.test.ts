// SPDX-License-Identifier: MIT
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { $ } from 'zx';
import { afterAll, describe, expect, test } from 'vitest';
import { ensureWindowsImage, windowsSkipMessage } from '../images/index.js';
import { autounattendXml, setupDoneMarker } from '../images/windows-autounattend.js';
import { installWindows, windowsDiskBytes, writeAnswerIso } from '../images/windows-install.js';
import { processesMentioning } from './support/processes.js';
import { checkWindowsMedium } from '../images/windows-medium.js';
import { readProductKey } from '../images/windows.js';

// No Windows ISO exists on the development machine, so the install itself (windows-install.ts)
// has never run here; these tests cover every step before QEMU starts, on real files and tools.
describe('Windows images (bring your own ISO)', () => {
  const dirs: string[] = [];
  const scratch = async (prefix: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  /** An ISO made by xorriso from `files`; `bootImage` makes it El Torito bootable (BIOS, no emulation). */
  async function isoWith(dir: string, files: Record<string, string>, bootImage?: string): Promise<string> {
    const root = path.join(
      dir,
      `tree-${dirs.length}-${Object.keys(files).length}-${bootImage ?? ''}`.replace(/[^\w-]/g, '_'),
    );
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await writeFile(path.join(root, name), content);
    }
    const iso = `${root}.iso`;
    const boot = bootImage === undefined ? [] : ['-b', bootImage, '-no-emul-boot', '-boot-load-size', '4'];
    await $`xorriso -as mkisofs -quiet -o ${iso} ${boot} ${root}`.quiet();
    return iso;
  }

  test('without an ISO every Windows step is skipped with the documented message', async () => {
    expect(windowsSkipMessage).toBe("skipped: no Windows ISO given (pass --windows-iso PATH; see README 'Windows')");
    await expect(ensureWindowsImage({})).resolves.toEqual({ status: 'skipped', message: windowsSkipMessage });
    await expect(ensureWindowsImage({ windowsIso: '' })).resolves.toEqual({
      status: 'skipped',
      message: windowsSkipMessage,
    });
  });

  test('a missing file, a non-ISO, and an ISO that is not a bootable Windows medium are refused before anything starts', async () => {
    const dir = await scratch('win-iso-');
    await expect(ensureWindowsImage({ windowsIso: path.join(dir, 'absent.iso') })).rejects.toThrow(
      /cannot open it \(ENOENT\).*Windows 7 or later ISO/,
    );
    const notIso = path.join(dir, 'zeros.iso');
    await writeFile(notIso, Buffer.alloc(0x9000));
    await expect(ensureWindowsImage({ windowsIso: notIso })).rejects.toThrow(/not an ISO 9660 image/);
    const notBootable = await isoWith(dir, { 'sources/install.wim': 'x' });
    await expect(ensureWindowsImage({ windowsIso: notBootable })).rejects.toThrow(
      /no El Torito boot image for a BIOS PC/,
    );
    const noSetupImage = await isoWith(
      dir,
      { 'boot/etfsboot.com': '\0'.repeat(2048), 'readme.txt': 'not windows' },
      'boot/etfsboot.com',
    );
    await expect(ensureWindowsImage({ windowsIso: noSetupImage })).rejects.toThrow(
      /no \/sources\/install\.wim or install\.esd/,
    );
    const medium = await isoWith(
      dir,
      { 'boot/etfsboot.com': '\0'.repeat(2048), 'sources/install.wim': 'x' },
      'boot/etfsboot.com',
    );
    await expect(checkWindowsMedium(medium)).resolves.toBeUndefined();
  });

  test('a product key comes from a file, must look like one, and is never echoed in an error', async () => {
    const dir = await scratch('win-key-');
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

  test('autounattend.xml is well-formed and answers the three passes: disk, image, key; OOBE; first logon', () => {
    const xml = autounattendXml({
      imageIndex: 2,
      productKey: 'ABCDE-12345-FGHIJ-67890-KLMNO',
      computerName: 'NETBOOT-WIN',
      administratorPassword: 'p<&>',
    });
    // Parsed by a real XML parser (Python's), which also reads back what the settings say.
    const summary = execFileSync(
      'python3',
      [
        '-c',
        `
import sys, xml.etree.ElementTree as ET
ns = {'u': 'urn:schemas-microsoft-com:unattend'}
root = ET.fromstring(sys.stdin.read())
print([s.get('pass') for s in root.findall('u:settings', ns)])
print(root.find('.//u:ImageInstall//u:MetaData/u:Value', ns).text, root.find('.//u:ProductKey/u:Key', ns).text)
print(root.find('.//u:ModifyPartition/u:Format', ns).text, root.find('.//u:ModifyPartition/u:Active', ns).text, root.find('.//u:Disk/u:WillWipeDisk', ns).text)
print(root.find('.//u:AutoLogon/u:Password/u:Value', ns).text)
print([c.find('u:CommandLine', ns).text for c in root.findall('.//u:FirstLogonCommands/u:SynchronousCommand', ns)])
`,
      ],
      { input: xml, encoding: 'utf8' },
    )
      .trim()
      .split('\n');
    expect(summary[0]).toBe("['windowsPE', 'specialize', 'oobeSystem']");
    expect(summary[1]).toBe('2 ABCDE-12345-FGHIJ-67890-KLMNO');
    expect(summary[2]).toBe('NTFS true true');
    expect(summary[3]).toBe('p<&>');
    expect(summary[4]).toContain('bcdedit /ems {current} on');
    expect(summary[4]).toContain(`cmd /c echo ${setupDoneMarker}>COM1`);
    expect(summary[4]!.indexOf('shutdown /s /t 0')).toBeGreaterThan(summary[4]!.indexOf(setupDoneMarker));
    expect(autounattendXml({ imageIndex: 1, computerName: 'PC', administratorPassword: 'x' })).not.toContain(
      '<ProductKey>',
    );
    expect(() =>
      autounattendXml({ imageIndex: 1, computerName: 'a name with spaces', administratorPassword: 'x' }),
    ).toThrow(/computer name/);
  });

  test('the answer CD holds autounattend.xml at its root', async () => {
    const dir = await scratch('win-answer-');
    const answers = { imageIndex: 1, computerName: 'PC', administratorPassword: 'x' };
    const iso = await writeAnswerIso(answers, dir, path.join(dir, 'install.log'));
    await $`xorriso -osirrox on -indev ${iso} -extract /autounattend.xml ${path.join(dir, 'extracted.xml')}`.quiet();
    expect(execFileSync('cat', [path.join(dir, 'extracted.xml')], { encoding: 'utf8' })).toBe(autounattendXml(answers));
  });

  test(
    'the install PC gets the disk, the medium, the answer CD and a first boot from CD, and fails clearly when Setup never reports',
    { timeout: 120_000 },
    async () => {
      const dir = await scratch('win-setup-');
      // Bootable and shaped like a Windows medium, but its boot image is zeros: Setup never runs.
      const medium = await isoWith(
        dir,
        { 'boot/etfsboot.com': '\0'.repeat(2048), 'sources/install.wim': 'x' },
        'boot/etfsboot.com',
      );
      const image = path.join(dir, 'windows.img');
      const answers = { imageIndex: 1, computerName: 'PC', administratorPassword: 'x' };
      const failure = await installWindows(
        medium,
        answers,
        image,
        path.join(dir, 'logs'),
        path.join(dir, 'install.log'),
        () => undefined,
        15_000,
      ).catch((e: Error) => e);
      expect((failure as Error).message).toMatch(
        /first logon did not report "netboot-bench: windows setup complete" on COM1 \(com1: .* did not appear within 15000 ms\)/,
      );
      const cmdline = await readFile(path.join(dir, 'logs', 'windows-setup.cmdline'), 'utf8');
      expect(cmdline).toContain(`file=${image},format=raw,if=ide,index=0`);
      expect(cmdline).toMatch(
        new RegExp(`file=${medium.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},format=raw,if=ide,index=2,media=cdrom`),
      );
      expect(cmdline).toContain('answer.iso,format=raw,if=ide,index=3,media=cdrom');
      expect(cmdline).toContain('-boot once=d');
      expect((await stat(image)).size).toBe(windowsDiskBytes);
      expect(await processesMentioning(dir)).toEqual([]);
    },
  );
});
