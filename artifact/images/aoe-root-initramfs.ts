// SPDX-License-Identifier: MIT
// The aoe-root image variant's one addition to Debian's boot path. aoetools' own initramfs scripts
// do the AoE part (hooks/aoe adds the aoe module and aoe-discover; local-top/aoe loads the module
// and discovers once). Before that, local-top/aoe runs initramfs-tools' configure_networking under
// `set -e`: its first DHCP round lasts 2 s, and a NIC still negotiating its link (the e1000 under
// TCG) loses it, so the script dies and the root never appears. AoE needs no address, only a NIC
// that is up: this init-premount script (it runs before every local-top script) brings each NIC up
// with klibc's ipconfig, protocol none, which also records /run/net-<nic>.conf, so
// configure_networking skips DHCP; then it waits for link, so the one discovery is heard.

/** What the script prints once a NIC has link (the test and the console log look for it). */
export const nicLinkMarker = 'nic-link-up: link on';
/** Seconds the script waits for any NIC's link before it lets the boot go on. */
export const linkWaitSeconds = 15;

export const nicLinkUpScript = [
  '#!/bin/sh',
  'PREREQ=""',
  'prereqs() { echo "$PREREQ"; }',
  'case "$1" in prereqs) prereqs; exit 0 ;; esac',
  'for netdev in /sys/class/net/*; do',
  '  nic="${netdev##*/}"',
  '  [ "$nic" = lo ] || ipconfig -t 1 -d ":::::${nic}:none" >/dev/null 2>&1',
  'done',
  'waited=0',
  `while [ "$waited" -le ${linkWaitSeconds} ]; do`,
  '  for netdev in /sys/class/net/*; do',
  '    nic="${netdev##*/}"',
  `    [ "$nic" != lo ] && [ "$(cat "$netdev/carrier" 2>/dev/null)" = 1 ] && echo "${nicLinkMarker} $nic after $waited s" && exit 0`,
  '  done',
  '  sleep 1',
  '  waited=$((waited + 1))',
  'done',
  `echo "nic-link-up: no NIC has link after ${linkWaitSeconds} s"`,
  '',
].join('\n');

/** Where the script goes in the root file system (initramfs-tools copies it into every initramfs). */
export const nicLinkUpPath = 'etc/initramfs-tools/scripts/init-premount/nic-link-up';
