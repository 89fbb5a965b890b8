#!/bin/sh
# SPDX-License-Identifier: MIT
# Entry point of netboot-bench.service. Kept in sh, not Python, so a plain boot pays only a
# modprobe and two file tests.
# QEMU PCs get the job through fw_cfg; real PCs have no fw_cfg, so there the pipeline writes it
# into the served image before power-on, and it is taken (renamed) so that it runs once.
fw_cfg_job=/sys/firmware/qemu_fw_cfg/by_name/opt/netboot-bench/job.json/raw
disk_job=/var/lib/netboot-bench/job.json
modprobe -q qemu_fw_cfg 2>/dev/null
if [ -e "$fw_cfg_job" ]; then
  job=$fw_cfg_job
elif [ -e "$disk_job" ]; then
  job=/var/lib/netboot-bench/job.taken.json
  mv "$disk_job" "$job"
else
  exit 0
fi
# A job run owns the serial console: no login prompt in the middle of the result frames.
systemctl stop serial-getty@ttyS0.service
exec python3 /usr/local/lib/netboot-bench/runner.py "$job"
