// SPDX-License-Identifier: MIT
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root (artifact/core/ is two levels below it). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Where runs and the latest figures go: the repository's data/runs and figures/, or
 * $NETBOOT_OUTPUT_DIR/runs and $NETBOOT_OUTPUT_DIR/figures (tests use it to leave the checkout alone).
 */
const outputDir = process.env['NETBOOT_OUTPUT_DIR'];

export const paths = {
  runs: outputDir ? path.join(outputDir, 'runs') : path.join(repoRoot, 'data', 'runs'),
  paperData: path.join(repoRoot, 'data', 'paper'),
  comparisons: path.join(repoRoot, 'data', 'comparisons'),
  figures: outputDir ? path.join(outputDir, 'figures') : path.join(repoRoot, 'figures'),
  testbeds: path.join(repoRoot, 'data', 'testbeds'),
  cache: path.join(repoRoot, '.cache'),
  vmmElf: path.join(repoRoot, 'vmm', 'build', 'vmm.elf'),
  vblade: path.join(repoRoot, 'server', 'build', 'vblade'),
  aoeParallel: path.join(repoRoot, 'server', 'build', 'aoe-parallel'),
  aoeProbe: path.join(repoRoot, 'server', 'build', 'aoe-probe'),
  hddModel: path.join(repoRoot, 'artifact', 'testbed', 'hdd-model'),
  hddFilter: path.join(repoRoot, 'artifact', 'testbed', 'hdd-model', 'build', 'nbdkit-hdd-filter.so'),
  // Servers from Debian's packages (artifact/debian-packages.txt) that the testbed runs.
  dnsmasq: '/usr/sbin/dnsmasq',
  ganesha: '/usr/bin/ganesha.nfsd',
  rpcbind: '/usr/sbin/rpcbind',
  nbdkit: '/usr/bin/nbdkit',
  nbdfuse: '/usr/bin/nbdfuse',
};

/** Folder layout inside one run folder (data/runs/<run-id>/). */
export function runLayout(runDir: string) {
  return {
    root: runDir,
    manifest: path.join(runDir, 'manifest.json'),
    ledger: path.join(runDir, 'steps.json'),
    logs: path.join(runDir, 'logs'),
    raw: path.join(runDir, 'raw'),
    results: path.join(runDir, 'results'),
    analysis: path.join(runDir, 'analysis.json'),
    figures: path.join(runDir, 'figures'),
    reportHtml: path.join(runDir, 'report.html'),
    reportPdf: path.join(runDir, 'report.pdf'),
  };
}
export type RunLayout = ReturnType<typeof runLayout>;
