// SPDX-License-Identifier: MIT
import net from 'node:net';

/** Minimal QMP client: one command at a time, replies matched in order, events ignored. */
export class QmpClient {
  private buffer = '';
  private pending: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private greeted: Promise<void>;

  private constructor(private readonly socket: net.Socket) {
    let markGreeted!: () => void;
    this.greeted = new Promise((r) => (markGreeted = r));
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      this.buffer += data;
      let newline: number;
      while ((newline = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, newline).trim();
        this.buffer = this.buffer.slice(newline + 1);
        if (line === '') continue;
        const message = JSON.parse(line) as {
          QMP?: unknown;
          return?: unknown;
          error?: { desc: string };
          event?: string;
        };
        if (message.QMP !== undefined) markGreeted();
        else if (message.event !== undefined) continue;
        else if (message.error !== undefined) this.pending.shift()?.reject(new Error(`QMP: ${message.error.desc}`));
        else this.pending.shift()?.resolve(message.return);
      }
    });
    const failAll = () => {
      for (const p of this.pending.splice(0)) p.reject(new Error('QMP connection closed (QEMU exited)'));
    };
    socket.on('close', failAll);
    socket.on('error', failAll);
  }

  static async connect(socket: net.Socket): Promise<QmpClient> {
    const client = new QmpClient(socket);
    await client.greeted;
    await client.execute('qmp_capabilities');
    return client;
  }

  execute(command: string, args?: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) {
        reject(new Error(`QMP ${command}: connection closed (QEMU exited)`));
        return;
      }
      this.pending.push({ resolve, reject });
      this.socket.write(`${JSON.stringify(args ? { execute: command, arguments: args } : { execute: command })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}
