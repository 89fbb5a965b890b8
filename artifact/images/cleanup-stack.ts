// SPDX-License-Identifier: MIT
/**
 * Undo actions registered while building (mounts, loop devices, temp files), run newest first.
 * Every action runs even if an earlier one fails; failures are reported together.
 */
export class CleanupStack {
  private actions: { label: string; run: () => Promise<unknown> }[] = [];

  push(label: string, run: () => Promise<unknown>): void {
    this.actions.push({ label, run });
  }

  async runAll(): Promise<void> {
    const failures: string[] = [];
    for (const action of this.actions.reverse()) {
      try {
        await action.run();
      } catch (error) {
        failures.push(`${action.label}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    this.actions = [];
    if (failures.length > 0)
      throw new Error(`cleanup failed (check with "losetup -a" and "findmnt"):\n  ${failures.join('\n  ')}`);
  }
}
