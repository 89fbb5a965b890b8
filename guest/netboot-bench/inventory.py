# SPDX-License-Identifier: MIT
"""The client's hardware as the guest sees it, for the run manifest (on real PCs the pipeline has
no other way to learn it): CPU, memory, disks, NICs and firmware, all read from /proc and /sys."""
import os


def read(path, default=""):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().strip()
    except OSError:
        return default


def cpu():
    models = [line.split(":", 1)[1].strip() for line in read("/proc/cpuinfo").splitlines() if line.startswith("model name")]
    flags = next((line.split(":", 1)[1].split() for line in read("/proc/cpuinfo").splitlines() if line.startswith("flags")), [])
    return {"model": models[0] if models else "unknown", "logicalCpus": len(models), "svm": "svm" in flags, "hypervisorFlag": "hypervisor" in flags}


def memory_bytes():
    for line in read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def disks():
    found = []
    for name in sorted(os.listdir("/sys/block")):
        if name.startswith(("loop", "ram", "zram", "sr")):
            continue
        base = f"/sys/block/{name}"
        found.append({
            "name": name,
            "model": read(f"{base}/device/model", "unknown"),
            "bytes": int(read(f"{base}/size", "0")) * 512,
            "rotational": read(f"{base}/queue/rotational") == "1",
        })
    return found


def nics():
    found = []
    for name in sorted(os.listdir("/sys/class/net")):
        device = f"/sys/class/net/{name}/device"
        if not os.path.exists(device):
            continue
        vendor = read(f"{device}/vendor").removeprefix("0x")
        product = read(f"{device}/device").removeprefix("0x")
        driver = os.path.basename(os.readlink(f"{device}/driver")) if os.path.exists(f"{device}/driver") else "none"
        found.append({"name": name, "pciId": f"{vendor}:{product}", "driver": driver, "mac": read(f"/sys/class/net/{name}/address")})
    return found


def firmware():
    dmi = "/sys/class/dmi/id"
    return {
        "kind": "uefi" if os.path.exists("/sys/firmware/efi") else "bios",
        "vendor": read(f"{dmi}/bios_vendor", "unknown"),
        "version": read(f"{dmi}/bios_version", "unknown"),
        "product": read(f"{dmi}/product_name", "unknown"),
    }


def collect():
    return {"cpu": cpu(), "memoryBytes": memory_bytes(), "disks": disks(), "nics": nics(), "firmware": firmware(), "kernel": os.uname().release}
