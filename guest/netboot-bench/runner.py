# SPDX-License-Identifier: MIT
"""netboot-bench runner: reads a job (JSON from the host), runs its tasks, emits result frames,
then powers the machine off. Job fields are described by artifact/images/guest-job.ts."""
import json
import subprocess
import sys
import traceback

import aoe_disk
import app_tests
import fio_tests
import inventory
import rtt_tests
from frames import FrameWriter

CONSOLE = "/dev/ttyS0"
RESULTS_DIR = "/var/lib/netboot-bench"


def main(job_path):
    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    frames = FrameWriter(CONSOLE, f"{RESULTS_DIR}/{job['id']}/results.jsonl")
    frames.emit({"type": "job-start", "id": job["id"], "uptime": uptime()})
    frames.emit({"type": "client-hardware", **inventory.collect()})
    ok = True
    try:
        if job.get("fio"):
            directory = fio_tests.DEFAULT_DIRECTORY
            if job["fio"].get("guestAoeDisk"):
                directory = aoe_disk.mount(job["fio"]["guestAoeDisk"])
            fio_tests.run(job["fio"], job["seed"], frames.emit, directory)
        if job.get("rtt"):
            rtt_tests.run(job["rtt"], job["seed"], frames.emit)
        if job.get("apps"):
            app_tests.run(job["apps"], job["seed"], frames.emit)
    except Exception:
        ok = False
        frames.emit({"type": "error", "message": traceback.format_exc()})
    frames.emit({"type": "job-end", "id": job["id"], "ok": ok, "uptime": uptime()})
    if job.get("powerOff", True):
        subprocess.run(["systemctl", "poweroff"], check=False)


def uptime():
    with open("/proc/uptime", encoding="ascii") as f:
        return float(f.read().split()[0])


if __name__ == "__main__":
    main(sys.argv[1])
