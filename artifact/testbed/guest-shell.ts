// SPDX-License-Identifier: MIT
import type { SerialConsole } from './console.js';
import { stripAnsi } from './transcript.js';

/** The stock image's root shell prompt on ttyS0 (autologin). */
export const rootPrompt = /root@debian:~# /;

/**
 * Waits until a shell on this console reads input. Bash may discard input that arrives while
 * it sets up the terminal right after printing its prompt, so it is poked with empty lines
 * until a fresh prompt answers.
 */
export async function waitForShell(console: SerialConsole, prompt = rootPrompt, attempts = 20): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    console.skipPending();
    console.send('\n');
    try {
      await console.waitForPrompt(prompt, 3_000);
      return;
    } catch {
      // no fresh prompt yet: poke again
    }
  }
  throw new Error(`no shell answers on ${console.port} (prompt ${prompt} did not come back after ${attempts} tries)`);
}

/**
 * Runs one command line in the console's shell and returns what it printed (escape sequences
 * removed) and its exit status. Output is taken between two markers the shell echoes; they are
 * typed as @@""BEGIN / @@""EXIT so the terminal's echo of the typed line never matches them.
 */
export async function runInShell(
  console: SerialConsole,
  command: string,
  options: { timeoutMs?: number; prompt?: RegExp } = {},
): Promise<{ output: string; exitCode: number }> {
  const prompt = options.prompt ?? rootPrompt;
  await waitForShell(console, prompt);
  console.send(`echo "@@""BEGIN"; ${command}; echo "@@""EXIT:$?"\n`);
  const begin = await console.waitFor(/@@BEGIN\r?\n/, 10_000);
  const end = await console.waitFor(/@@EXIT:(\d+)/, options.timeoutMs ?? 60_000);
  await console.waitForPrompt(prompt, 10_000);
  const printed = console.text.slice(begin.match.index + begin.match[0].length, end.match.index);
  return { output: stripAnsi(printed).replace(/\r\n/g, '\n'), exitCode: Number(end.match[1]) };
}
