# SPDX-License-Identifier: MIT
"""The paper's Fig. 8 measurement (section 5.5): the RTT of every AoE request by its packet index
within one disk access, averaged over `accesses` 1024 KB sequential reads (O_DIRECT, QD1).
The hypervisor keeps the statistics; this zeroes them right before the reads and asks the
hypervisor to print them on its console right after, so they cover exactly the reads."""
import json

import fio_tests
import hypercall

BLOCK_DEVICE_QUEUE = "/sys/block/sda/queue"


def run(spec, seed, emit):
    size = f"{int(spec['sizeMiB'])}m"
    test_file = fio_tests.prefill(size, seed)
    with open("/proc/sys/vm/drop_caches", "w", encoding="ascii") as f:
        f.write("3\n")
    hypercall.call(hypercall.AOE_STATS_RESET)
    # io_size loops over the file when the accesses outnumber its MiB.
    result = fio_tests.fio([
        "--name=rtt-seq-read", f"--filename={test_file}", f"--size={size}",
        f"--io_size={int(spec['accesses'])}m", "--rw=read", "--bs=1m", "--iodepth=1",
        "--ioengine=libaio", "--direct=1", "--output-format=json",
    ])
    hypercall.call(hypercall.AOE_STATS_LOG)
    # How the block layer may split one 1 MiB access into ATA commands.
    emit({"type": "rtt", "accesses": int(spec["accesses"]), "queue": queue_limits(), "fio": json.loads(result)})


def queue_limits():
    limits = {}
    for name in ("max_sectors_kb", "max_hw_sectors_kb", "max_segments", "max_segment_size"):
        with open(f"{BLOCK_DEVICE_QUEUE}/{name}", encoding="ascii") as f:
            limits[name] = int(f.read())
    return limits
