# SPDX-License-Identifier: MIT
"""The comparison the paper's design is measured against: the guest's own Linux AoE initiator
(the aoe module) reading and writing a disk on the same server over the same wire. Brings the
network interfaces up (the image configures none), waits for the target, puts a fresh ext4 on it
and mounts it where the fio test file goes."""
import glob
import os
import subprocess
import time

MOUNT_POINT = "/mnt/netboot-bench-aoe"
WAIT_SECONDS = 60


def mount(spec):
    device = f"/dev/etherd/e{int(spec['shelf'])}.{int(spec['slot'])}"
    run(["modprobe", "aoe"])
    for interface in sorted(os.listdir("/sys/class/net")):
        if interface != "lo":
            run(["ip", "link", "set", interface, "up"])
    deadline = time.monotonic() + WAIT_SECONDS
    while not os.path.exists(device):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{device} did not appear within {WAIT_SECONDS} s "
                               f"(interfaces: {sorted(os.listdir('/sys/class/net'))}, "
                               f"etherd: {glob.glob('/dev/etherd/*')})")
        # The aoe module rediscovers on this request; otherwise only every minute.
        if os.path.exists("/dev/etherd/discover"):
            with open("/dev/etherd/discover", "w", encoding="ascii") as f:
                f.write("\n")
        time.sleep(1)
    run(["mkfs.ext4", "-q", "-F", device])
    os.makedirs(MOUNT_POINT, exist_ok=True)
    run(["mount", device, MOUNT_POINT])
    return MOUNT_POINT


def run(args):
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
