// SPDX-License-Identifier: MIT
import { Listr, PRESET_TIMER, type ListrTask } from 'listr2';

/** Listr with timers on every task; plain line output when stdout is not a terminal (CI, logs). */
export function listWithTimers<Context>(tasks: ListrTask<Context>[]): Listr<Context> {
  return new Listr<Context>(tasks, {
    exitOnError: true,
    renderer: 'default',
    rendererOptions: { timer: PRESET_TIMER, collapseSubtasks: false },
    fallbackRenderer: 'simple',
    fallbackRendererOptions: { timer: PRESET_TIMER },
  });
}
