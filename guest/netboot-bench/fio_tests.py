# SPDX-License-Identifier: MIT
"""CrystalDiskMark 3 equivalents with fio (see shared anchors): for each test, `passes` timed
passes of reading then writing a pre-filled test file with O_DIRECT. Every pass is reported
raw (fio's JSON); the host picks the best pass, as CrystalDiskMark does.

The test file is laid out once: the image comes with a 1000 MiB one (artifact/images/
guest-payload.ts), and a job that needs a larger one, or runs on another disk, writes it and
leaves it for the next job of the same boot session; no test measures its writing."""
import json
import os
import subprocess

# name -> (block size, random?, queue depth); CrystalDiskMark 3's four rows.
TESTS = {
    "seq-1m": ("1m", False, 1),
    "rand-512k": ("512k", True, 1),
    "rand-4k": ("4k", True, 1),
    "rand-4k-qd32": ("4k", True, 32),
}
# Not /var/tmp: systemd-tmpfiles may clean files there that are older than 30 days.
DEFAULT_DIRECTORY = "/var/lib/netboot-bench/fio"


def run(spec, seed, emit, directory=DEFAULT_DIRECTORY):
    size = f"{int(spec['sizeMiB'])}m"
    test_file = prefill(size, seed, directory)
    for name in spec["tests"]:
        bs, random, depth = TESTS[name]
        for direction in ("read", "write"):
            rw = ("rand" if random else "") + direction
            for index in range(int(spec["passes"])):
                result = fio([
                    f"--name={name}-{direction}", f"--filename={test_file}", f"--size={size}",
                    f"--rw={rw}", f"--bs={bs}", f"--iodepth={depth}", "--ioengine=libaio",
                    "--direct=1", "--time_based=1", f"--runtime={int(spec['runtimeSeconds'])}",
                    f"--randseed={seed + index}", "--end_fsync=1", "--clat_percentiles=0",
                    "--lat_percentiles=0", "--output-format=json",
                ])
                emit({"type": "fio", "test": name, "rw": direction, "pass": index + 1,
                      "fio": json.loads(result)})


def prefill(size, seed, directory=DEFAULT_DIRECTORY):
    """Writes the test file with incompressible data so reads hit real blocks (not holes), as CDM
    does, unless an earlier job left one at least `size` long; returns its path."""
    os.makedirs(directory, exist_ok=True)
    test_file = os.path.join(directory, "fio-test.dat")
    if os.path.exists(test_file) and os.path.getsize(test_file) >= mebibytes(size):
        return test_file
    fio(["--name=prefill", f"--filename={test_file}", f"--size={size}", "--rw=write", "--bs=1m",
         "--direct=1", "--ioengine=libaio", "--end_fsync=1", f"--randseed={seed}",
         "--refill_buffers=1"])
    return test_file


def mebibytes(size):
    """Bytes in a fio size written as '<n>m'."""
    return int(size.rstrip("m")) * 1024 * 1024


def fio(args):
    done = subprocess.run(["fio", *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"fio {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return done.stdout
