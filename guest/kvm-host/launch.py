# SPDX-License-Identifier: MIT
"""kvm-host launcher: the KVM + NFS baseline the paper compares against (section 5.7).

At boot of the kvm-host image, if the pipeline handed over a configuration through fw_cfg
(opt/netboot-bench/kvm-guest.json), this brings up the NIC with the given address, mounts the
server's NFS export with the paper's options, and runs the stock guest image from it under
QEMU/KVM: an IDE disk (as for our hypervisor), the guest's console on this host's ttyS1 (the
outer PC's COM2, where the pipeline also types into the guest's shell), and the benchmark jobs
passed on through fw_cfg under the names the pipeline gave them. When the guest powers off, so
does this host. Progress lines go to ttyS0 as "kvm-host: ..." (the pipeline times "starting the guest").
Without a configuration it does nothing: a plain boot stays plain.
"""
import json
import os
import subprocess
import time

FW_CFG = "/sys/firmware/qemu_fw_cfg/by_name/opt/netboot-bench"
CONFIG = f"{FW_CFG}/kvm-guest.json/raw"
JOB = f"{FW_CFG}/job.json/raw"
# A boot session's jobs (experiments/shared/boot-session.ts), typed into the guest's shell.
SESSION_JOBS = f"{FW_CFG}/s"
MOUNT_POINT = "/mnt/guest-disk"


def say(text):
    with open("/dev/ttyS0", "w", encoding="utf-8") as console:
        console.write(f"kvm-host: {text}\n")


def run(*argv):
    subprocess.run(argv, check=True)


def first_nic():
    nics = sorted(name for name in os.listdir("/sys/class/net") if os.path.exists(f"/sys/class/net/{name}/device"))
    if not nics:
        raise RuntimeError("no NIC found")
    return nics[0]


def wait_for_carrier(nic, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/sys/class/net/{nic}/carrier", encoding="ascii") as f:
                if f.read().strip() == "1":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{nic} has no link after {seconds} s")


def mount_export(config):
    os.makedirs(MOUNT_POINT, exist_ok=True)
    source = f"{config['server']}:{config['export']}"
    for attempt in range(10):
        if subprocess.run(["mount", "-t", "nfs", "-o", config["mountOptions"], source, MOUNT_POINT]).returncode == 0:
            break
        time.sleep(2)
    else:
        raise RuntimeError(f"mount {source} failed 10 times")
    with open("/proc/mounts", encoding="utf-8") as mounts:
        line = next(line for line in mounts if f" {MOUNT_POINT} " in line)
    # The options the kernel actually uses (what the paper's "noac,rsize=4096,wsize=4096" became).
    say(f"mounted {line.strip()}")


def guest_argv(config):
    argv = [
        "qemu-system-x86_64", "-enable-kvm", "-M", "pc", "-cpu", "host", "-smp", "1",
        "-m", str(config["guestMemoryMiB"]), "-nodefaults", "-vga", "std", "-display", "none",
        # cache=none: O_DIRECT on the NFS file, so this host's page cache does not stand in for
        # the server's (the paper's noac only stops attribute caching).
        "-drive", f"file={MOUNT_POINT}/{config['image']},format=raw,if=ide,index=0,media=disk,cache=none",
        "-serial", "/dev/ttyS1",
        "-no-reboot",
    ]
    if os.path.exists(JOB):
        argv += ["-fw_cfg", f"name=opt/netboot-bench/job.json,file={JOB}"]
    if os.path.isdir(SESSION_JOBS):
        for name in sorted(os.listdir(SESSION_JOBS)):
            argv += ["-fw_cfg", f"name=opt/netboot-bench/s/{name},file={SESSION_JOBS}/{name}/raw"]
    return argv


def main():
    subprocess.run(["modprobe", "-q", "qemu_fw_cfg"], check=False)
    if not os.path.exists(CONFIG):
        return
    with open(CONFIG, encoding="utf-8") as f:
        config = json.load(f)
    try:
        nic = first_nic()
        run("ip", "link", "set", nic, "mtu", str(config["mtu"]), "up")
        run("ip", "addr", "add", config["address"], "dev", nic)
        wait_for_carrier(nic, 60)
        mount_export(config)
        say("starting the guest")
        status = subprocess.run(guest_argv(config)).returncode
        say(f"the guest stopped (QEMU exit status {status})")
        subprocess.run(["umount", MOUNT_POINT], check=False)
    except Exception as error:  # the pipeline reads the reason from the console
        say(f"failed: {error}")
    subprocess.run(["systemctl", "poweroff"], check=False)


if __name__ == "__main__":
    main()
