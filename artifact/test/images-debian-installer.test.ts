// SPDX-License-Identifier: MIT
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { cpioNewc } from '../images/cpio-newc.js';
import { installerQuestion, installerStep, plainConsoleText } from '../images/debian-installer-console.js';
import { checkMirrorServesUdebs } from '../images/debian-installer-mirror.js';
import { debianInstallerPreseed } from '../images/debian-installer-preseed.js';
import { debianRecipe, imageName, parseDebianInstaller } from '../images/recipe.js';

/** Reads a newc archive back by the format's rules (the host has no cpio tool to do it). */
function readNewc(archive: Buffer): { name: string; mode: number; data: string }[] {
  const entries = [];
  let offset = 0;
  const align = (n: number) => (n + 3) & ~3;
  for (;;) {
    expect(archive.toString('latin1', offset, offset + 6)).toBe('070701');
    const field = (index: number) =>
      Number.parseInt(archive.toString('latin1', offset + 6 + index * 8, offset + 14 + index * 8), 16);
    const [mode, size, nameSize] = [field(1), field(6), field(11)];
    const name = archive.toString('utf8', offset + 110, offset + 110 + nameSize - 1);
    expect(archive[offset + 110 + nameSize - 1]).toBe(0);
    const dataStart = align(offset + 110 + nameSize);
    if (name === 'TRAILER!!!') {
      expect(align(dataStart)).toBe(archive.length);
      return entries;
    }
    entries.push({ name, mode, data: archive.toString('utf8', dataStart, dataStart + size) });
    offset = align(dataStart + size);
  }
}

describe('the Debian installer path', () => {
  test('cpioNewc writes regular files and the trailer, every record 4-byte aligned, and survives gzip concatenation', () => {
    const archive = cpioNewc([
      { name: 'preseed.cfg', data: Buffer.from('d-i foo string bar\n'), mode: 0o644 },
      { name: 'a/b', data: Buffer.from('xyz'), mode: 0o755 },
    ]);
    expect(archive.length % 4).toBe(0);
    expect(readNewc(archive)).toEqual([
      { name: 'preseed.cfg', mode: 0o100644, data: 'd-i foo string bar\n' },
      { name: 'a/b', mode: 0o100755, data: 'xyz' },
    ]);
    // Linux unpacks concatenated gzip members as one stream of archives; gunzip does the same.
    const initrd = Buffer.concat([gzipSync(cpioNewc([])), gzipSync(archive)]);
    expect(gunzipSync(initrd).subarray(-archive.length).equals(archive)).toBe(true);
    expect(() => cpioNewc([{ name: '/etc/x', data: Buffer.alloc(0), mode: 0o644 }])).toThrow(/relative path/);
  });

  test('the preseed answers every question the installer would ask at critical priority, from the recipe', () => {
    const recipe = debianRecipe('aoe-root', { installer: 'debian-installer', mirror: 'http://mirror.example/debian/' });
    const preseed = debianInstallerPreseed(recipe);
    const answers = new Map(
      preseed
        .trim()
        .split('\n')
        .map((line) => {
          const [owner, question, type, ...value] = line.split(' ');
          expect(owner).toMatch(/^(d-i|tasksel|popularity-contest)$/);
          expect(type).toMatch(/^(string|boolean|select|multiselect|password|note)$/);
          return [question!, value.join(' ')];
        }),
    );
    expect(answers.get('mirror/http/hostname')).toBe('mirror.example');
    expect(answers.get('mirror/http/directory')).toBe('/debian');
    expect(answers.get('mirror/suite')).toBe('bookworm');
    // The recipe's packages, except those the installer puts in itself (kernel, GRUB, init).
    expect(answers.get('pkgsel/include')).toBe('fio python3 flac w3m aoetools');
    expect(answers.get('partman-auto/expert_recipe')).toMatch(
      /\$primary\{ \} \$bootable\{ \} .*filesystem\{ ext4 \} mountpoint\{ \/ \}/,
    );
    expect(answers.get('partman-partitioning/choose_label')).toBe('msdos');
    expect(answers.get('grub-installer/bootdev')).toBe('/dev/sda');
    expect(answers.get('apt-setup/services-select')).toBe('');
    expect(answers.get('tasksel/first')).toBe('');
    expect(answers.get('debian-installer/exit/poweroff')).toBe('true');
    expect(() => debianInstallerPreseed(debianRecipe('stock', { mirror: 'https://deb.debian.org/debian' }))).toThrow(
      /needs an http:\/\/ mirror/,
    );
  });

  test('the installer is part of the recipe and of the cache name, and is checked on the command line', () => {
    const viaDebootstrap = debianRecipe('stock');
    const viaInstaller = debianRecipe('stock', { installer: 'debian-installer' });
    expect(viaDebootstrap.installer).toBe('debootstrap');
    expect({ ...viaInstaller, installer: 'debootstrap' }).toEqual(viaDebootstrap);
    expect([imageName(viaDebootstrap), imageName(viaInstaller)]).toEqual(['debian12-stock', 'debian12-stock-d-i']);
    expect(parseDebianInstaller('debian-installer')).toBe('debian-installer');
    expect(() => parseDebianInstaller('anaconda')).toThrow(
      'unknown installer "anaconda": use one of debootstrap, debian-installer',
    );
  });

  test('the console reader finds the newest step and the question screen the installer stopped at', async () => {
    const transcript = await readFile(
      path.join(import.meta.dirname, 'fixtures/debian-installer-mirror-prompt.com1.log'),
      'latin1',
    );
    const screen = plainConsoleText(transcript);
    expect(screen).not.toContain('\x1b');
    expect(installerStep(screen)).toBe('Checking the Debian archive mirror');
    const question = installerQuestion(screen)!;
    expect(question.split('\n')[0]).toBe('Download installer components');
    expect(question).toContain('The installer failed to download a file from the mirror.');
    expect(question.endsWith("Prompt: '?' for help")).toBe(true);
    // Before the prompt arrives nothing is being asked.
    expect(installerQuestion(screen.slice(0, screen.indexOf('Download installer components')))).toBeUndefined();
  });

  test('a mirror that serves .deb but not .udeb is refused before QEMU starts, with what to do', async () => {
    let servesUdebs = false;
    const index = gzipSync('Package: anna\nFilename: pool/main/a/anna/anna_1.91_amd64.udeb\n\n');
    const server = http.createServer((request, response) => {
      if (request.url === '/debian/dists/bookworm/main/debian-installer/binary-amd64/Packages.gz')
        response.writeHead(200).end(index);
      else if (request.url === '/debian/pool/main/a/anna/anna_1.91_amd64.udeb' && servesUdebs)
        response.writeHead(200).end();
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/debian`;
      const recipe = debianRecipe('stock', { installer: 'debian-installer', mirror });
      await expect(checkMirrorServesUdebs(recipe)).rejects.toThrow(
        /anna_1\.91_amd64\.udeb answered 404.*Use the default installer \(debootstrap\)/,
      );
      servesUdebs = true;
      await expect(checkMirrorServesUdebs(recipe)).resolves.toBeUndefined();
      await expect(checkMirrorServesUdebs({ ...recipe, suite: 'trixie' as 'bookworm' })).rejects.toThrow(
        /no installer components for trixie: .* answered 404/,
      );
    } finally {
      server.close();
    }
  });
});
