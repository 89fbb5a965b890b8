// SPDX-License-Identifier: MIT
// SerialConsole's waits: a line wait never sees half a line (the race that made a discovery test
// flaky: it matched "continuing without the netw" and then read a sentence not yet arrived); a
// prompt wait sees text that no line end follows.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { ConsoleSilentError, failWaitsOnLastWords, SerialConsole } from '../testbed/console.js';

async function consoleOver(port = 'com2'): Promise<{
  console: SerialConsole;
  say: (text: string) => Promise<void>;
  stream: PassThrough;
}> {
  const stream = new PassThrough();
  let now = 0;
  const console = new SerialConsole(
    port,
    stream,
    () => (now += 10),
    await mkdtemp(path.join(os.tmpdir(), 'console-')),
    'pc',
  );
  // Each piece is delivered as its own chunk, as a serial port does.
  const say = (text: string) =>
    new Promise<void>((resolve) => stream.write(text, 'latin1', () => setImmediate(resolve)));
  return { console, say, stream };
}

describe('SerialConsole waits', () => {
  test('a line wait resolves only once the line is complete, and then sees the whole line', async () => {
    const { console, say } = await consoleOver();
    let resolved = false;
    const waiting = console
      .waitFor(/AoE: .*continuing without[^\n]*/, 5_000)
      .then((found) => ((resolved = true), found));
    await say('vmm: AoE: no target answered within 7 s (aoe_wait=); continuing without the netw');
    await new Promise((r) => setTimeout(r, 50));
    expect(resolved).toBe(false);
    await say('ork disk\r\n');
    const found = await waiting;
    expect(found.match[0]).toBe(
      'AoE: no target answered within 7 s (aoe_wait=); continuing without the network disk\r',
    );
    expect(found.t).toBe(20);
  });

  test('a number at the end of a line is read whole, not its first digits', async () => {
    const { console, say } = await consoleOver();
    const waiting = console.waitFor(/@@EXIT:(\d+)/, 5_000);
    await say('@@EXIT:1');
    await say('27\r\n');
    expect((await waiting).match[1]).toBe('127');
  });

  test('a prompt wait resolves on text no line end follows; consecutive waits consume output in order', async () => {
    const { console, say } = await consoleOver();
    await say('Debian GNU/Linux 12 debian ttyS0\r\n\r\ndebian login: ');
    expect((await console.waitForPrompt(/login: /, 5_000)).t).toBe(10);
    await say('root (automatic login)\r\nroot@debian:~# ');
    await console.waitForPrompt(/root@debian:~# /, 5_000);
    await expect(console.waitForPrompt(/root@debian:~# /, 100)).rejects.toThrow(/did not appear within 100 ms/);
  });

  test('the last line counts as complete once the port has closed', async () => {
    const { console, say, stream } = await consoleOver();
    await say('reboot: Power down');
    const waiting = console.waitFor(/reboot: Power down/, 5_000);
    stream.destroy();
    await expect(waiting).resolves.toBeDefined();
  });

  test("the hypervisor's last words end waits on both ports at once; a wait for those words still matches", async () => {
    const com1 = await consoleOver('com1');
    const com2 = await consoleOver('com2');
    failWaitsOnLastWords({ com1: com1.console, com2: com2.console });
    const login = com1.console.waitForPrompt(/login: /, 60_000);
    const started = com2.console.waitFor(/starting the guest/, 60_000);
    const failure = com2.console.waitFor(/boot failed: ([^\r\n]*)/, 60_000);
    login.catch(() => undefined);
    started.catch(() => undefined);
    await com2.say(
      '[    1.162219] vmm: starting the guest in real mode\r\n[    1.169699] vmm: boot failed: INT 13h could not ',
    );
    await new Promise((r) => setTimeout(r, 50));
    await com2.say('read BIOS drive 80 (status 0c)\r\n');
    expect((await failure).match[1]).toBe('INT 13h could not read BIOS drive 80 (status 0c)');
    await expect(started).resolves.toBeDefined();
    await expect(login).rejects.toThrow(
      /^com2 reported: \[ +1\.169699\] vmm: boot failed: INT 13h could not read BIOS drive 80 \(status 0c\)$/,
    );
    // Later waits fail at once, not at their timeout.
    await expect(com1.console.waitFor(/Linux version/, 60_000)).rejects.toThrow(/boot failed/);
  });

  test('a guest that prints the same words on COM1 ends nothing', async () => {
    const com1 = await consoleOver('com1');
    const com2 = await consoleOver('com2');
    failWaitsOnLastWords({ com1: com1.console, com2: com2.console });
    const login = com1.console.waitForPrompt(/login: /, 5_000);
    await com1.say('echo vmm: PANIC: not really\r\nvmm: PANIC: not really\r\ndebian login: ');
    await expect(login).resolves.toBeDefined();
  });

  test("a guest kernel's panic ends waits on both ports at once with an error carrying the oops", async () => {
    const com1 = await consoleOver('com1');
    const com2 = await consoleOver('com2');
    failWaitsOnLastWords({ com1: com1.console, com2: com2.console });
    const jobEnd = com1.console.waitFor(/"type":"job-end"/, 60_000);
    const hypervisor = com2.console.waitFor(/vmm: aoe stats end/, 60_000);
    jobEnd.catch(() => undefined);
    hypervisor.catch(() => undefined);
    await com1.say('[   35.231331] traps: PANIC: double fault, error_code: 0x0\r\n');
    await com1.say('[   35.233650] RIP: 0010:exc_page_fault+0x15/0x170\r\n');
    await com1.say('[   35.251508] Kernel panic - not syncing: Fatal exception in interrupt\r\n');
    const error = await jobEnd.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /^com1: the kernel panicked: \[ +35\.251508\] Kernel panic - not syncing: Fatal exception in interrupt; its last output:\n/,
    );
    expect((error as Error).message).toContain('RIP: 0010:exc_page_fault+0x15/0x170');
    await expect(hypervisor).rejects.toThrow(/^com1: the kernel panicked: /);
  });

  test('a console silent for longer than allowed ends its waits with a ConsoleSilentError; output re-arms the limit', async () => {
    const { console, say } = await consoleOver();
    console.failWhenSilent(150, 'while booting to the login prompt');
    const login = console.waitForPrompt(/login: /, 60_000);
    login.catch(() => undefined);
    // Output every 50 ms keeps the watch quiet for longer than its limit.
    for (let i = 0; i < 5; i += 1) {
      await say(`line ${i}\r\n`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await say('Loading initial ramdisk ...\r\n');
    const error = await login.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(ConsoleSilentError);
    expect((error as Error).message).toMatch(
      /^com2: no output for 0.15 s while booting to the login prompt; last output:\n[^]*Loading initial ramdisk/,
    );
  });

  test('a disarmed silence watch ends nothing', async () => {
    const { console, say } = await consoleOver();
    const disarm = console.failWhenSilent(50, 'while booting');
    disarm();
    await new Promise((r) => setTimeout(r, 100));
    const login = console.waitForPrompt(/login: /, 5_000);
    await say('debian login: ');
    await expect(login).resolves.toBeDefined();
  });
});
