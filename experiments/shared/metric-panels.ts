// SPDX-License-Identifier: MIT
import type { MetricInfo } from '../../artifact/core/experiment.js';

/** One figure panel per metric, in the metrics' order: what the bar and line layouts take. */
export function panelsOf(
  metrics: Record<string, Pick<MetricInfo, 'label' | 'unit'>>,
): { id: string; label: string; unit: string }[] {
  return Object.entries(metrics).map(([id, m]) => ({ id, label: m.label, unit: m.unit }));
}
