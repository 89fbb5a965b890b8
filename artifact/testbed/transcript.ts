// SPDX-License-Identifier: MIT
/** Serial output as it arrived: each chunk stamped with host time in ms since QEMU was started. */
export interface TranscriptChunk {
  t: number;
  text: string;
}

export interface TimedMatch {
  /** Host time (ms since QEMU start) of the chunk that completed the match. */
  t: number;
  match: RegExpExecArray;
}

/** Finds the first match of `pattern` at or after character `from`; pure. */
export function findInTranscript(
  chunks: readonly TranscriptChunk[],
  pattern: RegExp,
  from = 0,
  text = chunks.map((c) => c.text).join(''),
): TimedMatch | undefined {
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  re.lastIndex = from;
  const match = re.exec(text);
  if (match === null) return undefined;
  return { t: timeAtOffset(chunks, match.index + Math.max(match[0].length, 1) - 1), match };
}

function timeAtOffset(chunks: readonly TranscriptChunk[], offset: number): number {
  let end = 0;
  for (const chunk of chunks) {
    end += chunk.text.length;
    if (offset < end) return chunk.t;
  }
  return chunks.at(-1)?.t ?? 0;
}

/**
 * The timed log format written beside each raw serial log: one line per received chunk,
 * "<ms since QEMU start with 3 decimals> <chunk as a JSON string>". JSON keeps \r, escapes and
 * partial lines exact, so the transcript can be replayed byte for byte.
 */
export function formatTimedLine(chunk: TranscriptChunk): string {
  return `${chunk.t.toFixed(3)} ${JSON.stringify(chunk.text)}\n`;
}

export function parseTimedLog(content: string): TranscriptChunk[] {
  const chunks: TranscriptChunk[] = [];
  content.split('\n').forEach((line, index) => {
    if (line === '') return;
    const space = line.indexOf(' ');
    const t = Number(line.slice(0, space));
    let text: unknown;
    try {
      text = JSON.parse(line.slice(space + 1));
    } catch {
      text = undefined;
    }
    if (space < 0 || !Number.isFinite(t) || typeof text !== 'string') {
      throw new Error(`timed log line ${index + 1} is not "<ms> <JSON string>": ${line.slice(0, 80)}`);
    }
    chunks.push({ t, text });
  });
  return chunks;
}

/** Removes ANSI/VT100 escape sequences (GRUB draws its menu with them) for matching and reading. */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][0-9A-Za-z]|\x1b[=>78cDEHM]/g, '');
}
