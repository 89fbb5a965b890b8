// SPDX-License-Identifier: MIT
import type { ConfigurationId } from '../../artifact/core/configurations.js';
import type { ConfigurationPlan } from '../../artifact/core/experiment.js';

/**
 * The paper measured Figs 5-11 on Windows 7 (CrystalDiskMark, PCMark Vantage). Windows cannot be
 * shipped, so these rows are bring-your-own: without --windows-iso the provision stage blocks
 * 'windows-image' and every row below is reported "not run" with windowsSkipMessage. They have
 * no runner: the benchmark payload has not been ported to Windows, so even with an image they
 * say so instead of standing in for Windows with Linux numbers.
 */
export const windowsGuestPlans: Partial<Record<ConfigurationId, ConfigurationPlan>> = {
  'windows-local': { needs: ['windows-image', 'testbed-library'] },
  'windows-vmm-aoe-cache-on': { needs: ['windows-image', 'hypervisor-aoe', 'aoe-server', 'testbed-library'] },
  'windows-vmm-aoe-cache-off': { needs: ['windows-image', 'hypervisor-aoe', 'aoe-server', 'testbed-library'] },
};
