// SPDX-License-Identifier: MIT
/**
 * Reading the Debian installer's serial console (text frontend, inside GNU screen): its progress
 * lines ("<step>  ... 10%... 100%") and the prompt it shows when it needs an answer. Under
 * priority=critical with a complete preseed it asks nothing, so any prompt means the install is
 * stuck (a missing answer, or an error screen such as a failed download) and should end now.
 */

const escapeSequence = /\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b./g;
const progressLine = /([A-Z][^\r\n%]{3,80}?)\s+\.\.\. \d+%/g;
const promptLine = "Prompt: '?' for help";

/** The console text without terminal control sequences (GNU screen's status line, colours). */
export function plainConsoleText(text: string): string {
  return text.replace(escapeSequence, '').replace(/\r/g, '');
}

/** The title of the newest step the installer reported progress for, or undefined before the first. */
export function installerStep(plainText: string): string | undefined {
  return [...plainText.matchAll(progressLine)].at(-1)?.[1]?.trim();
}

/**
 * The question the installer is waiting on: the screen from its title (underlined with dashes)
 * to the prompt, or undefined while it is not asking anything.
 */
export function installerQuestion(plainText: string): string | undefined {
  const prompt = plainText.lastIndexOf(promptLine);
  if (prompt === -1) return undefined;
  const lines = plainText.slice(0, prompt + promptLine.length).split('\n');
  let underline = lines.length - 1;
  while (underline > 0 && !/^-{4,}\s*$/.test(lines[underline]!)) underline--;
  const screen = lines.slice(underline > 0 ? underline - 1 : Math.max(0, lines.length - 12));
  return screen
    .map((line) => line.trimEnd())
    .filter((line) => line !== '')
    .join('\n');
}
