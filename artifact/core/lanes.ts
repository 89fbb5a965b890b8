// SPDX-License-Identifier: MIT
import os from 'node:os';
import type { Lane } from './experiment.js';

/**
 * The lanes of `reproduce --jobs N`: N client PCs at once, each on CPUs of its own (the host's
 * CPUs split evenly, at least one each). A unit takes one free lane, or, when it must run alone
 * (it measures boot times), all of them; units are served in the order they asked (first come,
 * first served), so one that must run alone is not starved by the others.
 */
export class Lanes {
  private readonly free: number[];
  private readonly waiting: { alone: boolean; resolve: (lanes: number[]) => void }[] = [];
  readonly all: readonly Lane[];

  constructor(
    readonly count: number,
    cpus = os.availableParallelism(),
  ) {
    const perLane = Math.max(1, Math.floor(cpus / count));
    this.all = Array.from({ length: count }, (_, index) => {
      const first = (index * perLane) % cpus;
      return { index, cpus: perLane === 1 ? String(first) : `${first}-${first + perLane - 1}` };
    });
    this.free = this.all.map((lane) => lane.index);
  }

  /**
   * Runs `body` in a lane (undefined with a single lane, or when running alone: then the client
   * may use every CPU), and gives the lane back when it ends.
   */
  async run<T>(alone: boolean, body: (lane: Lane | undefined) => Promise<T>): Promise<T> {
    const taken = await new Promise<number[]>((resolve) => {
      this.waiting.push({ alone, resolve });
      this.serve();
    });
    try {
      return await body(alone || this.count === 1 ? undefined : this.all[taken[0]!]);
    } finally {
      this.free.push(...taken);
      this.serve();
    }
  }

  private serve(): void {
    while (this.waiting.length > 0) {
      const next = this.waiting[0]!;
      const needed = next.alone ? this.count : 1;
      if (this.free.length < needed) return;
      this.waiting.shift();
      next.resolve(this.free.splice(0, needed));
    }
  }
}
