// SPDX-License-Identifier: MIT
import { runDiskProfile } from '../core/disk-profile.js';
import { summarizeClientHardware } from '../core/client-hardware.js';
import { verdictLabel, verdictLegend, type ClaimVerdict } from '../core/claims.js';
import { configurationLabels, type ConfigurationId } from '../core/configurations.js';
import type { Manifest } from '../core/manifest.js';
import type { PaperValue } from '../core/paper-data.js';
import type { ExperimentAnalysis } from '../core/analysis.js';
import type { Experiment } from '../core/experiment.js';
import type { ConfigurationWallTime } from '../core/step-ledger.js';
import type { RenderedFigure } from '../stages/figures.js';

export const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

const style = `
body { font-family: 'DejaVu Sans', sans-serif; font-size: 11px; margin: 16px; color: #222; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 24px; } h3 { font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #ccc; padding: 3px 6px; vertical-align: top; text-align: left; }
.reproduced { background: #dff0d8; } .differs { background: #fcf8e3; } .not-run { background: #eeeeee; color: #555; }
.indicative-reproduced { background: #f3f9f1; font-style: italic; } .indicative-differs { background: #fefcf4; font-style: italic; } .inconclusive { background: #e8eef7; }
.figure { page-break-inside: avoid; margin-bottom: 18px; } .figure svg { max-width: 100%; height: auto; }
.note { color: #555; }
`;

export function table(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rowClass: (index: number) => string = () => '',
): string {
  const head = `<tr>${headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = rows
    .map((row, i) => `<tr class="${rowClass(i)}">${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table>${head}\n${body}</table>`;
}

/** One row per claim; the row's class is its verdict label ("indicative: reproduced" -> indicative-reproduced). */
export function claimsTable(claims: readonly ClaimVerdict[]): string {
  const labels = claims.map(verdictLabel);
  return (
    table(
      ['Claim', 'Statement', 'Paper figure', "Paper's value", 'This run', 'Verdict', 'Rule'],
      claims.map((c, i) => [c.id, c.claim, c.paperFigure, c.paper, c.ours, labels[i]!, c.rule]),
      (i) => labels[i]!.replace(/:? /g, '-'),
    ) + `<p class="note">${escapeHtml(verdictLegend)}</p>`
  );
}

/** Which configurations ran, and why the others did not. */
/** Repetitions measured while the host did other work, named with what it did. */
const disturbedText = (disturbed: readonly { repetition: number; reason: string }[] | undefined) =>
  disturbed === undefined
    ? ''
    : `; disturbed: ${disturbed.map((d) => `repetition ${d.repetition} (${d.reason})`).join('; ')}`;

export function statusTable(analysis: ExperimentAnalysis): string {
  const entries = Object.entries(analysis.configurations) as [
    ConfigurationId,
    ExperimentAnalysis['configurations'][ConfigurationId],
  ][];
  return table(
    ['Configuration', 'Status'],
    entries.map(([configuration, entry]) => [
      configurationLabels[configuration],
      entry?.status === 'ran'
        ? `ran: ${entry.repetitions} repetition(s)${disturbedText(entry.disturbed)}`
        : `${entry?.status === 'failed' ? 'failed' : 'not run'}: ${entry && 'reason' in entry ? entry.reason : ''}`,
    ]),
  );
}

export function paperValuesList(paper: readonly PaperValue[], figure: number): string {
  const values = paper.filter((v) => v.figure === figure);
  if (values.length === 0) return '';
  return `<p class="note">The paper's text states (2011 hardware):</p><ul class="note">${values.map((v) => `<li>${escapeHtml(v.statement)} (§${v.section})</li>`).join('')}</ul>`;
}

export function figureSection(figure: RenderedFigure, body: string): string {
  return `<div class="figure"><h3>Fig. ${figure.experiment.figure}: ${escapeHtml(figure.experiment.title)} (§${figure.experiment.section})</h3>${figure.svg}${body}</div>`;
}

/** Under each figure on the emulated testbed: how it differs from the 2011 PCs, and the prediction. */
export function testbedNote(experiment: Experiment): string {
  return `<p class="note"><b>Emulated testbed vs the paper's 2011 PCs:</b> ${escapeHtml(experiment.testbedDifference)}</p>`;
}

/** Minutes per experiment configuration in this run (the ledger's step times). */
export function wallTimeTable(times: readonly ConfigurationWallTime[]): string {
  const minutes = (seconds: number) => (seconds / 60).toFixed(1);
  return table(
    ['Experiment', 'Configuration', 'Repetitions', 'Minutes', 'Minutes per repetition'],
    times.map((t) => [
      t.experiment,
      t.configuration,
      String(t.repetitions),
      minutes(t.seconds),
      minutes(t.seconds / t.repetitions),
    ]),
  );
}

export function manifestTable(manifest: Manifest): string {
  const m = manifest.machine;
  const rows: [string, string][] = [
    ['Run', manifest.runId],
    ['Options', JSON.stringify(manifest.options)],
    [
      'Testbed parameters',
      manifest.parameters === undefined
        ? 'not recorded (run made before they were)'
        : JSON.stringify(manifest.parameters),
    ],
    ['Started / finished', `${manifest.startedAt} / ${manifest.finishedAt ?? 'not finished'}`],
    [
      'Client testbed',
      manifest.hardwareTestbed === undefined
        ? 'emulated (QEMU PCs on this host)'
        : `hardware "${manifest.hardwareTestbed.name}": ${JSON.stringify(manifest.hardwareTestbed.client)}`,
    ],
    [
      'Client hardware (as its guest saw it)',
      manifest.clientHardware === undefined
        ? 'not reported (no benchmark job ran)'
        : summarizeClientHardware(manifest.clientHardware),
    ],
    ['CPU', `${m.cpuModel}, ${m.cores} cores`],
    [
      'CPU virtualisation flags',
      m.cpuFlags.filter((f) => ['vmx', 'svm', 'npt', 'ept', 'hypervisor'].includes(f)).join(' ') || 'none',
    ],
    ['Memory', `${(m.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
    ['Disk', m.disk],
    ['Client and server disk profile', diskProfileDetail(manifest)],
    ['OS / kernel', `${m.os} / ${m.kernel}`],
    ['QEMU', m.qemuVersion],
    [
      'KVM usable',
      `${m.kvm.usable ? 'yes' : 'no'} (${m.kvm.reason}); accelerator used: ${m.acceleratorUsed}` +
        (m.hypervisorPcs === undefined ? '' : `; PCs with our hypervisor: ${m.hypervisorPcs.reason}`),
    ],
    ['Node.js', m.nodeVersion],
    ['Git', `${m.git.commit}${m.git.dirty ? ' (uncommitted changes)' : ''}`],
    [
      'npm packages',
      Object.entries(m.npmPackages)
        .map(([n, v]) => `${n} ${v}`)
        .join(', '),
    ],
    ...manifest.guestImages.map((image): [string, string] => [
      `Guest image (${image.variant}, ${image.installer ?? 'debootstrap'})`,
      `${image.path}: ${image.packages.length} packages; ${image.packages
        .filter((p) => /^(linux-image-|systemd$|fio$|grub-pc$)/.test(p.name))
        .map((p) => `${p.name} ${p.version}`)
        .join(', ')}`,
    ]),
  ];
  return table(['Item', 'Value'], rows);
}

export function htmlPage(title: string, sections: readonly string[]): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${style}</style></head>\n<body><h1>${escapeHtml(title)}</h1>\n${sections.join('\n')}\n</body></html>\n`;
}

/**
 * The profile, and where a measured k came from (the yardstick's passes and the reference rate):
 * the scaled profile's model scale, or, under a fixed profile, only 2011's balance on the sweep.
 */
function diskProfileDetail(manifest: Manifest): string {
  const yardstick = manifest.diskProfile?.yardstick;
  if (yardstick === undefined) return runDiskProfile(manifest);
  const use =
    manifest.diskProfile?.profile === 'hdd-2011-scaled'
      ? ''
      : ` This profile keeps its own disk speeds; k only marks 2011's balance (1/k) on the disk-speed sweep (Figs 12, 13).`;
  return (
    `${runDiskProfile(manifest)}: k = ${yardstick.referenceMBps.toFixed(1)} MB/s / ${yardstick.medianMBps.toFixed(1)} MB/s, ` +
    `the median of ${yardstick.seqReadMBps.map((v) => v.toFixed(1)).join(', ')} MB/s (${yardstick.what}). ${yardstick.assumption}${use}`
  );
}
