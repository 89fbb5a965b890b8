// SPDX-License-Identifier: MIT
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { bootDurations, extractBootMarkers, findInTranscript, parseTimedLog } from '../../artifact/testbed/index.js';
import type { MeasurementWithoutRepetition } from '../../artifact/core/experiment.js';
import type { MetricInfo } from '../../artifact/core/experiment.js';
import { clientName, guestConsoleOf } from './client-pc.js';
import { lastExitReport } from './hypervisor-exits.js';
import type { SessionPart } from './client-configurations.js';

/** The boot times parseBootToLogin measures (Figs 4, 10). */
export const bootTimeMetrics = {
  'os-boot': { label: 'OS boot', unit: 's', better: 'lower' },
  'vmm-boot': { label: 'VMM boot (power-on to hand-over; no VMM: to the GRUB menu)', unit: 's', better: 'lower' },
  'total-boot': { label: 'Power-on to login (incl. firmware and VMM)', unit: 's', better: 'lower' },
} as const satisfies Record<string, MetricInfo>;
/** Figs 4 and 10: measured from a boot session's boot itself (the console logs up to the login prompt). */
export const bootTime = { work: { kind: 'boot' }, parse: parseBootToLogin } as const satisfies SessionPart;

/**
 * What the layer below the guest prints on its own console when the guest starts: our hypervisor
 * (COM2) handing the PC to the guest's BIOS boot, or the KVM host (COM1) starting QEMU.
 */
const hypervisorStartsGuest = /(vmm|kvm-host): starting the guest/;

/**
 * OS boot = GRUB leaves its menu -> login prompt (the paper's stopwatch); total = power-on ->
 * login; VMM boot = power-on -> the hypervisor starts the guest, and where no hypervisor ran,
 * power-on -> the GRUB menu appears (the firmware's part, as issue 7 defines it for Fig. 4's
 * stacked bars; the BIOS's own time after a hypervisor's hand-over is in neither segment).
 */
export async function parseBootToLogin(rawDir: string): Promise<MeasurementWithoutRepetition[]> {
  const guestConsole = await guestConsoleOf(rawDir);
  const file = path.join(rawDir, `${clientName}.${guestConsole}.timed.log`);
  const markers = extractBootMarkers(parseTimedLog(await readFile(file, 'utf8')));
  const durations = bootDurations(markers);
  if (durations.osBoot === undefined || durations.total === undefined) {
    throw new Error(
      `${file}: boot markers missing (found ${JSON.stringify(markers)}); the guest did not reach its login prompt`,
    );
  }
  const measurements: MeasurementWithoutRepetition[] = [
    { metric: 'os-boot', unit: 's', value: durations.osBoot },
    { metric: 'total-boot', unit: 's', value: durations.total },
  ];
  const hypervisorLog = path.join(rawDir, `${clientName}.${guestConsole === 'com1' ? 'com2' : 'com1'}.timed.log`);
  const hypervisor = existsSync(hypervisorLog) ? parseTimedLog(await readFile(hypervisorLog, 'utf8')) : [];
  const guestStart = findInTranscript(hypervisor, hypervisorStartsGuest);
  if (guestStart) measurements.push({ metric: 'vmm-boot', unit: 's', value: guestStart.t / 1000 });
  else if (markers.grubMenu !== undefined)
    measurements.push({ metric: 'vmm-boot', unit: 's', value: markers.grubMenu / 1000 });
  const exits = markers.login === undefined ? undefined : lastExitReport(hypervisor, markers.login);
  if (exits) measurements.push({ metric: 'vmm-exits', unit: 'exits', value: exits.total });
  return measurements;
}
