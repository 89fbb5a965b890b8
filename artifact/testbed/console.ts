// SPDX-License-Identifier: MIT
import { createWriteStream, type WriteStream } from 'node:fs';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { findInTranscript, formatTimedLine, type TimedMatch, type TranscriptChunk } from './transcript.js';

/**
 * Our hypervisor's last words on its console (COM2): it stops (PANIC), finds nothing to boot
 * (boot failed) or will not run on this CPU (refusing to start). No guest output follows.
 */
export const hypervisorGaveUp = /vmm: (?:PANIC|boot failed|refusing to start): /;

/** A Linux kernel's last words: after this line it prints nothing more and never answers. */
const kernelPanicked = /Kernel panic - not syncing: /;

/**
 * A machine's last words end every wait on its consoles at once, instead of at the wait's
 * timeout: our hypervisor giving up on COM2 (where a PC runs it), and a kernel panic on any port
 * (the guest's console; a KVM host's nested guest on COM2).
 */
export function failWaitsOnLastWords(consoles: { com1: SerialConsole; com2?: SerialConsole }): void {
  const all = [consoles.com1, ...(consoles.com2 === undefined ? [] : [consoles.com2])];
  consoles.com2?.failWaitsOn(hypervisorGaveUp, all, (line, port) => new Error(`${port} reported: ${line}`));
  for (const console of all)
    console.failWaitsOn(
      kernelPanicked,
      all,
      (line, port, tail) => new Error(`${port}: the kernel panicked: ${line}; its last output:\n${tail}`),
    );
}

/**
 * A console that printed nothing for longer than its caller allowed (SerialConsole.failWhenSilent):
 * the guest stalled, which a caller may answer by booting again; other failures it should not.
 */
export class ConsoleSilentError extends Error {
  override readonly name = 'ConsoleSilentError';
}

/** The error a fatal line (failWaitsOn) ends waits with: from the line, the port and the port's last output. */
export type FatalLineError = (line: string, port: string, tail: string) => Error;

/**
 * One serial port of a running machine. Output is kept in memory (for waitFor) and written to
 * <logDir>/<machine>.<port>.log (raw bytes) and .timed.log (chunks with host timestamps).
 */
export class SerialConsole {
  readonly chunks: TranscriptChunk[] = [];
  private waiters = new Set<() => void>();
  private closed = false;
  private readonly raw: WriteStream;
  private readonly timed: WriteStream;
  /** Where the next waitFor starts looking, so consecutive waits see output in order. */
  private cursor = 0;
  private allText = '';
  /** Set by fail(): waits that have not matched end with it. */
  private failure: Error | undefined;
  /** Lines that end every wait (failWaitsOn), each with how far this port's output was searched for it. */
  private readonly fatal: {
    pattern: RegExp;
    consoles: readonly SerialConsole[];
    error: FatalLineError;
    searchedTo: number;
  }[] = [];
  /** Set by failWhenSilent(): re-armed by each piece of output until disarmed. */
  private silence: { limitMs: number; waitingFor: string; timer: NodeJS.Timeout } | undefined;

  constructor(
    readonly port: string,
    private readonly stream: Duplex,
    private readonly now: () => number,
    logDir: string,
    machineName: string,
  ) {
    const base = path.join(logDir, `${machineName}.${port}`);
    this.raw = createWriteStream(`${base}.log`);
    this.timed = createWriteStream(`${base}.timed.log`);
    stream.setEncoding('latin1');
    stream.on('data', (text: string) => this.receive(text));
    stream.on('close', () => this.finish());
    stream.on('error', () => this.finish());
  }

  /** The whole output so far as one string. */
  get text(): string {
    return this.allText;
  }

  /**
   * Waits until `pattern` appears in a complete line of output not consumed by an earlier wait;
   * resolves with the host time (ms since QEMU start) of its arrival. Only text up to the last line
   * end is searched: a serial port delivers lines in pieces, and a pattern matched against half a
   * line ("continuing without the netw") would let the caller read a sentence that has not
   * arrived yet. Rejects on timeout or when the port closes.
   */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<TimedMatch> {
    return this.waitUntil(pattern, timeoutMs, 'line');
  }

  /**
   * Waits for a prompt: text that stays without a line end until someone types (a login prompt, a
   * shell prompt). Matches partial lines, so the pattern must end where the prompt ends.
   */
  waitForPrompt(pattern: RegExp, timeoutMs: number): Promise<TimedMatch> {
    return this.waitUntil(pattern, timeoutMs, 'prompt');
  }

  private waitUntil(pattern: RegExp, timeoutMs: number, scope: 'line' | 'prompt'): Promise<TimedMatch> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        // A closed port ends its last line.
        const searched =
          scope === 'line' && !this.closed ? this.allText.slice(0, this.allText.lastIndexOf('\n') + 1) : this.allText;
        const found = findInTranscript(this.chunks, pattern, this.cursor, searched);
        if (found === undefined) return false;
        this.cursor = found.match.index + found.match[0].length;
        done();
        resolve(found);
        return true;
      };
      const onChange = () => {
        if (check()) return;
        if (this.failure !== undefined) {
          done();
          reject(this.failure);
        } else if (this.closed) {
          done();
          reject(new Error(`${this.port} closed before ${pattern} appeared; last output:\n${this.tail()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`${this.port}: ${pattern} did not appear within ${timeoutMs} ms; last output:\n${this.tail()}`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(onChange);
      };
      this.waiters.add(onChange);
      onChange();
    });
  }

  /**
   * Makes a complete line of this console that matches `pattern` end every wait on `consoles`
   * that has not matched yet, and every later one, with `error` made from that line: a hypervisor
   * that printed "boot failed" or "PANIC" will not let a login prompt appear, and a boot test or
   * session should say so at once instead of at its timeout. A wait for the line itself still
   * matches. Several patterns may be armed; the first line that matches any of them counts.
   */
  failWaitsOn(pattern: RegExp, consoles: readonly SerialConsole[], error: FatalLineError): void {
    this.fatal.push({ pattern, consoles, error, searchedTo: 0 });
    this.checkFatal();
  }

  /** Ends every wait that has not matched (see failWaitsOn). */
  fail(error: Error): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const waiter of [...this.waiters]) waiter();
  }

  /**
   * Ends every wait that has not matched with a ConsoleSilentError once this port has printed
   * nothing for `limitMs` (counted from now, and again from each piece of output), until the
   * returned function disarms it. `waitingFor` says what the caller awaited, for the message.
   */
  failWhenSilent(limitMs: number, waitingFor: string): () => void {
    this.disarmSilence();
    const watch = { limitMs, waitingFor, timer: setTimeout(() => this.silent(), limitMs) };
    this.silence = watch;
    return () => {
      if (this.silence === watch) this.disarmSilence();
    };
  }

  /** Marks all output so far as seen: the next waitFor only looks at output arriving later. */
  skipPending(): void {
    this.cursor = this.allText.length;
  }

  /** Sends text to the guest as serial input (e.g. a shell command ending in "\n"). */
  send(text: string): void {
    if (this.closed) throw new Error(`${this.port} is closed; the machine has stopped`);
    this.stream.write(text, 'latin1');
  }

  /** Resolves when QEMU closed the port and both log files are flushed. */
  async closeLogs(): Promise<void> {
    this.finish();
    await Promise.all([this.raw, this.timed].map((s) => new Promise<void>((r) => (s.closed ? r() : s.end(r)))));
  }

  private receive(text: string): void {
    const chunk = { t: this.now(), text };
    this.chunks.push(chunk);
    this.allText += text;
    this.raw.write(text, 'latin1');
    this.timed.write(formatTimedLine(chunk));
    for (const waiter of [...this.waiters]) waiter();
    this.checkFatal();
    if (this.silence !== undefined) this.silence.timer.refresh();
  }

  private silent(): void {
    const watch = this.silence;
    if (watch === undefined) return;
    this.silence = undefined;
    this.fail(
      new ConsoleSilentError(
        `${this.port}: no output for ${watch.limitMs / 1000} s ${watch.waitingFor}; last output:\n${this.tail()}`,
      ),
    );
  }

  private disarmSilence(): void {
    if (this.silence !== undefined) clearTimeout(this.silence.timer);
    this.silence = undefined;
  }

  private checkFatal(): void {
    const complete = this.allText.lastIndexOf('\n') + 1;
    for (const watch of this.fatal) {
      if (complete <= watch.searchedTo) continue;
      const lines = this.allText.slice(watch.searchedTo, complete);
      watch.searchedTo = complete;
      const found = watch.pattern.exec(lines);
      if (found === null) continue;
      const line = lines.slice(lines.lastIndexOf('\n', found.index) + 1, lines.indexOf('\n', found.index)).trim();
      const error = watch.error(line, this.port, this.tail(2000)); // an oops is long
      for (const console of watch.consoles) console.fail(error);
      return;
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.disarmSilence();
    for (const waiter of [...this.waiters]) waiter();
  }

  private tail(chars = 600): string {
    return this.text.slice(-chars);
  }
}
